import { CURRENCIES, fieldsPass, isIntIn, isPlainObject, isPlainText, isTimestamp, MAX_AMOUNT } from '@gongxiao/core';

/**
 * Whether an order body is one class-validator would accept unchanged (see PushOrderDto): a shop's
 * push then skips building an instance per line and running every decorator on it, the largest CPU
 * cost of a push after the JSON itself. It answers false whenever in doubt (an unknown field, a null,
 * customization, text whose length class-validator counts differently); the decorators then say
 * what is wrong. `push-order.plain-check.spec.ts` checks it never accepts what they refuse.
 */
export function acceptsPushOrderAsIs(value: unknown): boolean {
  return isPlainObject(value) && fieldsPass(value, ORDER) && 'externalOrderId' in value && 'consignee' in value && 'lines' in value;
}

/** The patterns PushOrderDto's decorators use too: one definition, so the two cannot drift apart. */
export const VISIBLE_ASCII = /^[\x21-\x7e]{1,64}$/;
export const PHONE = /^\+?[0-9][0-9 -]{5,24}$/;
export const COUNTRY = /^[A-Za-z]{2}$/;
const CURRENCY_CODES: readonly unknown[] = CURRENCIES;

const visibleAscii = (value: unknown) => typeof value === 'string' && VISIBLE_ASCII.test(value);
const amount = (value: unknown) => isIntIn(value, 0, MAX_AMOUNT);

const CONSIGNEE: Record<string, (value: unknown) => boolean> = {
  name: (value) => isPlainText(value, 1, 100),
  phone: (value) => typeof value === 'string' && PHONE.test(value),
  province: (value) => isPlainText(value, 1, 40),
  city: (value) => isPlainText(value, 1, 40),
  district: (value) => isPlainText(value, 1, 40),
  address: (value) => isPlainText(value, 1, 300),
  countryCode: (value) => typeof value === 'string' && COUNTRY.test(value),
};

// Customization is not here: its values are checked by their own decorator.
const LINE: Record<string, (value: unknown) => boolean> = {
  shopSkuCode: (value) => isPlainText(value, 1, 100),
  title: (value) => isPlainText(value, 0, 300),
  externalLineId: visibleAscii,
  quantity: (value) => isIntIn(value, 1, 100_000),
  unitPrice: amount,
};

const AMOUNTS: Record<string, (value: unknown) => boolean> = { shipping: amount, discount: amount, total: amount };

const ORDER: Record<string, (value: unknown) => boolean> = {
  externalOrderId: visibleAscii,
  currency: (value) => CURRENCY_CODES.includes(value),
  consignee: (value) => isPlainObject(value) && fieldsPass(value, CONSIGNEE) && ['name', 'phone', 'province', 'city', 'district', 'address'].every((field) => field in value),
  lines: (value) =>
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 200 &&
    value.every((line) => isPlainObject(line) && fieldsPass(line, LINE) && 'shopSkuCode' in line && 'quantity' in line && 'unitPrice' in line),
  amounts: (value) => isPlainObject(value) && fieldsPass(value, AMOUNTS),
  remarks: (value) => isPlainText(value, 0, 1000),
  placedAt: isTimestamp,
};
