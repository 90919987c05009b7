import { MAX_STOCK_UPDATES, STOCK_UPDATE_REASONS } from './stock-updates.constants';

/**
 * Whether a stock-updates body is one class-validator would accept unchanged (see StockUpdatesDto).
 * It answers false whenever in doubt (an unknown field, a null, text with characters whose length
 * class-validator counts differently); the global pipe then validates it with the decorators, which
 * name what is wrong. An ERP's 5,000-row push so skips 5,000 instances and their validation.
 * `stock-updates.plain-check.spec.ts` checks it never accepts what the decorators refuse.
 */
export function acceptsStockUpdatesAsIs(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const field in value) if (field !== 'updates') return false;
  const updates = (value as { updates?: unknown }).updates;
  if (!Array.isArray(updates) || updates.length < 1 || updates.length > MAX_STOCK_UPDATES) return false;
  for (const item of updates) if (!acceptsItem(item)) return false;
  return true;
}

const KEY = /^[\x21-\x7e]{1,100}$/;
const ID = /^\d{1,18}$/;
/** No surrogates, variation selectors or NUL: the string's length is the one class-validator counts. */
const PLAIN_TEXT = /^[^\u0000\uD800-\uDFFF\uFE0E\uFE0F]*$/;
const REASONS: readonly unknown[] = STOCK_UPDATE_REASONS;
const UNITS = 100_000_000;

function acceptsItem(item: unknown): boolean {
  if (!isPlainObject(item)) return false;
  const record = item as Record<string, unknown>;
  for (const field in record) {
    const value = record[field];
    if (!Object.hasOwn(CHECKS, field) || !CHECKS[field](value)) return false;
  }
  return 'key' in record;
}

const CHECKS: Record<string, (value: unknown) => boolean> = {
  key: (value) => typeof value === 'string' && KEY.test(value),
  warehouseId: (value) => typeof value === 'string' && ID.test(value),
  warehouseCode: (value) => isText(value, 32),
  skuId: (value) => typeof value === 'string' && ID.test(value),
  skuCode: (value) => isText(value, 64),
  onHand: (value) => isInt(value, 0, UNITS),
  delta: (value) => isInt(value, -UNITS, UNITS) && value !== 0,
  safetyStock: (value) => isInt(value, 0, UNITS),
  reason: (value) => REASONS.includes(value),
  note: (value) => isText(value, 200),
};

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isText(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && PLAIN_TEXT.test(value);
}

function isInt(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
