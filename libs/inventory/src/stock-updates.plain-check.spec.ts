import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { payloadHash } from '@gongxiao/core';
import { StockUpdateItemDto, StockUpdatesDto } from './stock-updates.dto';
import { stockUpdateHash } from './stock-updates.service';
import { acceptsStockUpdatesAsIs } from './stock-updates.plain-check';

/** What the global pipe's decorators say of a body: true when they find nothing wrong. */
function decoratorsAccept(body: unknown): boolean {
  const instance = plainToInstance(StockUpdatesDto, body);
  return validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
}

const validText = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom('a', 'Z', '7', '-', '仓', '库', ' ') });
const validItem = fc.record(
  {
    key: fc.string({ minLength: 1, maxLength: 100, unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)) }),
    warehouseId: fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }).map(String),
    warehouseCode: validText(32),
    skuId: fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }).map(String),
    skuCode: validText(64),
    onHand: fc.integer({ min: 0, max: 100_000_000 }),
    delta: fc.integer({ min: -100_000_000, max: 100_000_000 }).filter((delta) => delta !== 0),
    safetyStock: fc.integer({ min: 0, max: 100_000_000 }),
    reason: fc.constantFrom('erp_sync', 'stock_count', 'manual_adjustment'),
    note: validText(200),
  },
  { requiredKeys: ['key'] },
);

/** Values near and past every edge the decorators draw, of every JSON type. */
const edgeValue = fc.oneof(
  fc.constantFrom(null, true, 0, -0, 1, -1, 1.5, 100_000_000, 100_000_001, -100_000_001, Number.MAX_SAFE_INTEGER, '', ' ', '0', '-1', 'erp_sync', 'ERP_SYNC', [], {}),
  fc.constantFrom('\uFE0F', 'a\uFE0F', '😀', 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(101), '1234567890123456789', 'a\u0000'),
  fc.string(),
  fc.integer(),
  fc.double(),
);
const field = fc.constantFrom('key', 'warehouseId', 'warehouseCode', 'skuId', 'skuCode', 'onHand', 'delta', 'safetyStock', 'reason', 'note', 'extra', '__proto__', 'constructor', 'toString');

/** A valid item with one field set to an edge value, or removed. */
const mutatedItem = fc.tuple(validItem, field, fc.option(edgeValue, { nil: undefined })).map(([item, name, value]) => {
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(item));
  if (value === undefined) delete copy[name];
  else Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
});

const body = (item: fc.Arbitrary<unknown>) => fc.array(item, { minLength: 1, maxLength: 5 }).map((updates) => JSON.parse(JSON.stringify({ updates })));

describe('acceptsStockUpdatesAsIs', () => {
  it('never accepts a body the decorators refuse', () => {
    const anyBody = fc.oneof(body(fc.oneof(validItem, mutatedItem, edgeValue)), fc.record({ updates: edgeValue }), edgeValue, fc.record({ updates: fc.constant([{ key: 'k' }]), extra: edgeValue }));
    fc.assert(
      fc.property(anyBody, (candidate) => {
        if (acceptsStockUpdatesAsIs(candidate)) expect(decoratorsAccept(candidate)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts the valid bodies ERPs send, so they skip the decorators', () => {
    fc.assert(
      fc.property(body(validItem), (candidate) => expect(acceptsStockUpdatesAsIs(candidate)).toBe(decoratorsAccept(candidate))),
      { numRuns: 500 },
    );
    expect(acceptsStockUpdatesAsIs({ updates: [{ key: 'erp-1', warehouseCode: 'WH', skuCode: 'TEE-M', onHand: 12 }] })).toBe(true);
  });

  it('leaves to the decorators every body with something wrong', () => {
    const wrong: unknown[] = [
      undefined,
      null,
      [],
      {},
      { updates: [] },
      { updates: Array.from({ length: 5001 }, (_, index) => ({ key: `k${index}`, skuCode: 'A', warehouseCode: 'W', onHand: 1 })) },
      { updates: [{ key: 'k', onHand: 1, extra: 1 }] },
      { updates: [{ warehouseCode: 'W', skuCode: 'A', onHand: 1 }] },
      { updates: [{ key: 'k', delta: 0 }] },
      { updates: [{ key: 'k', onHand: null }] },
      { updates: [{ key: 'k', note: 'a\u0000b' }] },
      { updates: [{ key: 'k', skuCode: '\uFE0F' }] },
      { updates: [{ key: 'k' }], other: true },
    ];
    for (const candidate of wrong) expect(acceptsStockUpdatesAsIs(candidate)).toBe(false);
  });
});

describe('stockUpdateHash', () => {
  it('is the hash stored for a key before: the body without its key, codes replaced by ids', () => {
    fc.assert(
      fc.property(validItem, fc.option(fc.constant('11'), { nil: undefined }), fc.option(fc.constant('22'), { nil: undefined }), (item, warehouseId, skuId) => {
        const { key, ...body } = item as StockUpdateItemDto;
        expect(key).toBeDefined();
        const stored = payloadHash({ ...body, warehouseId, skuId, warehouseCode: undefined, skuCode: undefined });
        expect(stockUpdateHash(item as StockUpdateItemDto, warehouseId, skuId)).toBe(stored);
      }),
    );
  });
});
