import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { payloadHash, validateBody } from '@gongxiao/core';
import { CreateManualOrderDto, PushOrderDto } from './orders.dto';
import { acceptsPushOrderAsIs } from './push-order.plain-check';

/** What the decorators say of a body: true when they find nothing wrong. */
function decoratorsAccept(body: unknown): boolean {
  const instance = plainToInstance(PushOrderDto, body);
  return validateSync(instance as object, { whitelist: true, forbidNonWhitelisted: true }).length === 0;
}

const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: fc.constantFrom('a', 'Z', '7', '-', '省', '市', '号', ' ', '#') });
const ascii = fc.string({ minLength: 1, maxLength: 64, unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)) });
const amount = fc.integer({ min: 0, max: 10_000_000_000_000 });
const consignee = fc.record(
  {
    name: text(1, 100),
    phone: fc.stringMatching(/^\+?[0-9][0-9 -]{5,24}$/),
    province: text(1, 40),
    city: text(1, 40),
    district: text(1, 40),
    address: text(1, 300),
    countryCode: fc.constantFrom('CN', 'hk', 'US', 'Tw'),
  },
  { requiredKeys: ['name', 'phone', 'province', 'city', 'district', 'address'] },
);
const line = fc.record(
  { shopSkuCode: text(1, 100), title: text(0, 300), externalLineId: ascii, quantity: fc.integer({ min: 1, max: 100_000 }), unitPrice: amount },
  { requiredKeys: ['shopSkuCode', 'quantity', 'unitPrice'] },
);
const validOrder = fc.record(
  {
    externalOrderId: ascii,
    currency: fc.constantFrom('CNY', 'USD', 'HKD', 'EUR'),
    consignee,
    lines: fc.array(line, { minLength: 1, maxLength: 4 }),
    amounts: fc.record({ shipping: amount, discount: amount, total: amount }, { requiredKeys: [] }),
    remarks: text(0, 1000),
    placedAt: fc.constantFrom('2026-11-22', '2026-11-22T10:00:00+08:00', '2026-11-22T02:00:00.123Z'),
  },
  { requiredKeys: ['externalOrderId', 'consignee', 'lines'] },
);

/** Values near and past every edge the decorators draw, of every JSON type. */
const EDGES: unknown[] = [
  ...[null, true, 0, -0, 1, -1, 1.5, 100_000, 100_001, 10_000_000_000_000, 10_000_000_000_001, Number.MAX_SAFE_INTEGER, '', ' ', '0', 'CNY', 'cny', [], {}, [{}]],
  ...['\uFE0F', 'a\uFE0F', '😀', 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(100), 'x'.repeat(101), 'x'.repeat(300), 'x'.repeat(301), 'x'.repeat(1001), 'a\u0000'],
  ...['2026-13-01', '2026-11-22T25:00:00+08:00', '2026-11-22T10:00:00', 'yesterday', '+86 138-0013-8000', '1234', 'CHN', 'C1', { engraving: 'x' }],
];
const edgeValue = fc.oneof(fc.constantFrom(...EDGES), fc.string(), fc.integer(), fc.double());

const FIELDS = {
  order: ['externalOrderId', 'currency', 'consignee', 'lines', 'amounts', 'remarks', 'placedAt', 'extra', '__proto__', 'constructor'],
  consignee: ['name', 'phone', 'province', 'city', 'district', 'address', 'countryCode', 'extra', 'toString'],
  line: ['shopSkuCode', 'title', 'externalLineId', 'quantity', 'unitPrice', 'customization', 'extra'],
  amounts: ['shipping', 'discount', 'total', 'extra'],
} as const;
type Level = keyof typeof FIELDS;

/** A copy of a valid order with one field, at any level, set to a value or removed (undefined). */
function mutate(order: unknown, level: Level, field: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(order));
  const target = level === 'order' ? copy : level === 'consignee' ? copy.consignee : level === 'line' ? copy.lines[copy.lines.length - 1] : (copy.amounts ??= {});
  if (value === undefined) delete target[field];
  else Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
  return JSON.parse(JSON.stringify(copy));
}

const mutatedOrder = fc
  .tuple(validOrder, fc.constantFrom(...(Object.keys(FIELDS) as Level[])), fc.nat(), fc.option(edgeValue, { nil: undefined }))
  .map(([order, level, pick, value]) => mutate(order, level, FIELDS[level][pick % FIELDS[level].length], value));

const ORDER = {
  externalOrderId: 'YZ-1',
  consignee: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 100 号' },
  lines: [{ shopSkuCode: 'TEE', quantity: 1, unitPrice: 5990 }],
};

describe('acceptsPushOrderAsIs', () => {
  it('never accepts a body the decorators refuse', () => {
    fc.assert(
      fc.property(fc.oneof(validOrder, mutatedOrder, mutatedOrder, edgeValue), (candidate) => {
        if (acceptsPushOrderAsIs(candidate)) expect(decoratorsAccept(candidate)).toBe(true);
      }),
      { numRuns: 4000 },
    );
  });

  it('never accepts a body the decorators refuse: every field of every level set to every edge value, or removed', () => {
    for (const level of Object.keys(FIELDS) as Level[]) {
      for (const field of FIELDS[level]) {
        for (const value of [...EDGES, undefined]) {
          const candidate = mutate(ORDER, level, field, value);
          if (acceptsPushOrderAsIs(candidate)) expect({ level, field, value, accepted: decoratorsAccept(candidate) }).toEqual({ level, field, value, accepted: true });
        }
      }
    }
  });

  it('accepts the valid orders shops push, and hashes them as the decorators’ instance would be hashed', async () => {
    await fc.assert(
      fc.asyncProperty(
        validOrder.map((order) => JSON.parse(JSON.stringify(order))),
        async (order) => {
          expect(acceptsPushOrderAsIs(order)).toBe(true);
          // The stored payload hash (a re-push is the same order) must not depend on which path validated it.
          expect(payloadHash(await validateBody(PushOrderDto, order))).toBe(payloadHash(plainToInstance(PushOrderDto, order)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves to the decorators what it does not vouch for: customization, nulls, a manual order’s shopId', async () => {
    const order = ORDER;
    expect(acceptsPushOrderAsIs(order)).toBe(true);
    expect(acceptsPushOrderAsIs({ ...order, lines: [{ ...order.lines[0], customization: { engraving: '生日快乐' } }] })).toBe(false);
    expect(acceptsPushOrderAsIs({ ...order, remarks: null })).toBe(false);
    expect(CreateManualOrderDto.acceptsAsIs({ ...order, shopId: '1' })).toBe(false);
    await expect(validateBody(CreateManualOrderDto, { ...order, shopId: '1' })).resolves.toBeInstanceOf(CreateManualOrderDto);
    await expect(validateBody(PushOrderDto, { ...order, lines: [{ ...order.lines[0], quantity: 0 }] })).rejects.toMatchObject({ details: [{ field: 'lines[0].quantity' }] });
  });
});
