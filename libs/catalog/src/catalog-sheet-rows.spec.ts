import { safeCellText } from '@gongxiao/core';
import { parseCatalogRow, parseCatalogRows, unescapeSheetText } from './catalog-sheet-rows';
import { CatalogSheetKey } from './catalog-sheet';

const row = (rowNumber: number, values: Partial<Record<CatalogSheetKey, string>>) => ({
  rowNumber,
  values: { productName: '', skuCode: '', skuName: '', spec: '', barcode: '', weightGrams: '', ...values },
});

describe('the products sheet’s rows', () => {
  it('reads a row with empty optional cells as "keep what is stored"', () => {
    expect(parseCatalogRow(row(2, { productName: '纯棉T恤', skuCode: 'TEE-M' }), 'zh-CN')).toEqual({
      rowNumber: 2,
      productName: '纯棉T恤',
      skuCode: 'TEE-M',
      skuName: null,
      spec: null,
      barcode: null,
      weightGrams: null,
    });
  });

  it('reads 规格 as the SKU’s spec', () => {
    expect(parseCatalogRow(row(2, { productName: '纯棉T恤', skuCode: 'TEE-M', spec: '白色 / M' }), 'zh-CN')).toEqual(expect.objectContaining({ skuCode: 'TEE-M', spec: '白色 / M' }));
  });

  it('checks with the product API’s constraints and says every reason, in the upload’s language', () => {
    const bad = row(3, { productName: 'x'.repeat(201), skuCode: '-TEE', barcode: '12', weightGrams: '2000000' });
    expect(parseCatalogRow(bad, 'zh-CN')).toEqual([
      '商品名称最长 200 个字符',
      '商品编码须为 1–64 位字母、数字或 . _ - /，并以字母或数字开头',
      '条码须为 4–32 位字母、数字或 -',
      '重量(克)须为 0 到 1000000 之间的整数',
    ]);
    expect(parseCatalogRow(row(5, { productName: 'T', skuCode: 'T-1', spec: '红'.repeat(201) }), 'zh-CN')).toEqual(['规格最长 200 个字符']);
    expect(parseCatalogRow(row(5, { productName: 'T', skuCode: 'T-1', spec: '红'.repeat(201) }), 'en')).toEqual(['Spec must be at most 200 characters']);
    // Counted as the column's check counts them: "❤️" is two characters (the heart and its variation selector), "😀" one.
    expect(parseCatalogRow(row(5, { productName: 'T', skuCode: 'T-1', spec: '❤️'.repeat(101) }), 'zh-CN')).toEqual(['规格最长 200 个字符']);
    expect(parseCatalogRow(row(5, { productName: 'T', skuCode: 'T-1', spec: '😀'.repeat(200) }), 'zh-CN')).toEqual(expect.objectContaining({ spec: '😀'.repeat(200) }));
    expect(parseCatalogRow(row(4, { weightGrams: '2.5' }), 'en')).toEqual(['Product name is required', 'SKU code is required', 'Weight (g) must be a whole number from 0 to 1000000']);
  });

  it('refuses every row of a SKU code that appears twice, even when one of them has other faults too', () => {
    const parsed = parseCatalogRows([row(2, { productName: 'A', skuCode: 'X-1' }), row(3, { productName: 'A', skuCode: 'X-1', barcode: '1' }), row(4, { productName: 'A', skuCode: 'X-2' })], 'en');
    expect(parsed.inputs.map((input) => input.skuCode)).toEqual(['X-2']);
    expect(parsed.rejected.get(2)).toEqual(['SKU code X-1 appears more than once in this sheet (rows 2, 3); keep one row']);
    expect(parsed.rejected.get(3)).toEqual(['Barcode must be 4-32 letters, digits or -', 'SKU code X-1 appears more than once in this sheet (rows 2, 3); keep one row']);
  });

  it('undoes the apostrophe our sheets put before formula-like text, so an exported name comes back as stored', () => {
    for (const text of ['=1+1', '+86 特价', '-50% 特价杯', '@home', '普通名称', "'quoted"]) expect(unescapeSheetText(safeCellText(text))).toBe(text);
  });
});
