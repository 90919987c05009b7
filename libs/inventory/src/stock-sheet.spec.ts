import { STOCK_SHEET_SPEC, STOCK_EXPORT_COLUMNS, parseOnHand } from './stock-sheet';
import { stockRowKey } from './stock-import.handler';
import { headerKey } from '@gongxiao/core';

describe('the stock sheet', () => {
  it('reads whole numbers of units on hand, with thousands separators or a zero fraction', () => {
    expect(['0', '12', '1,200', '12.0', '100000000'].map(parseOnHand)).toEqual([{ onHand: 0 }, { onHand: 12 }, { onHand: 1200 }, { onHand: 12 }, { onHand: 100_000_000 }]);
  });

  it('says why a quantity is refused', () => {
    expect(['', '-3', '-0.5', '2.5', 'abc', '100000001', '1e+21'].map(parseOnHand)).toEqual([
      { reason: 'onHandRequired' },
      { reason: 'onHandNegative' },
      { reason: 'onHandNegative' },
      { reason: 'onHandDecimal' },
      { reason: 'onHandInvalid' },
      { reason: 'onHandInvalid' },
      { reason: 'onHandInvalid' },
    ]);
  });

  it('keys a row by file, row and what it resolved to: the same file repeats its keys, another does not', () => {
    const digest = 'a'.repeat(64);
    const update = { rowNumber: 7, warehouseId: '12', skuId: '345', onHand: 10 };
    const key = stockRowKey(digest, update);
    expect(key).toMatch(/^[\x21-\x7e]{1,100}$/);
    expect(stockRowKey(digest, { ...update })).toBe(key);
    expect(stockRowKey('b'.repeat(64), update)).not.toBe(key);
    expect(stockRowKey(digest, { ...update, rowNumber: 8 })).not.toBe(key);
    expect(stockRowKey(digest, { ...update, warehouseId: '13' })).not.toBe(key);
    expect(stockRowKey(digest, { ...update, rowNumber: 999_999, warehouseId: '9'.repeat(18), skuId: '9'.repeat(18) }).length).toBeLessThanOrEqual(100);
  });

  it('reads the export’s own headers (both languages) as the upload’s columns', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const headers = STOCK_EXPORT_COLUMNS.map((column) => headerKey(column.header[language]));
      const first = STOCK_SHEET_SPEC.columns.map((column) => headers.findIndex((header) => column.headers.some((accepted) => headerKey(accepted) === header)));
      // warehouse code, SKU code, on hand — never the name, reserved or available columns.
      expect(first).toEqual([0, 2, 4]);
    }
  });
});
