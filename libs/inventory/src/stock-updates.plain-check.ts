import { fieldsPass, isIntIn, isPlainObject, isPlainText } from '@gongxiao/core';
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
  const updates = value.updates;
  if (!Array.isArray(updates) || updates.length < 1 || updates.length > MAX_STOCK_UPDATES) return false;
  for (const item of updates) if (!isPlainObject(item) || !fieldsPass(item, CHECKS) || !('key' in item)) return false;
  return true;
}

const KEY = /^[\x21-\x7e]{1,100}$/;
const ID = /^\d{1,18}$/;
const REASONS: readonly unknown[] = STOCK_UPDATE_REASONS;
const UNITS = 100_000_000;

const CHECKS: Record<string, (value: unknown) => boolean> = {
  key: (value) => typeof value === 'string' && KEY.test(value),
  warehouseId: (value) => typeof value === 'string' && ID.test(value),
  warehouseCode: (value) => isPlainText(value, 1, 32),
  skuId: (value) => typeof value === 'string' && ID.test(value),
  skuCode: (value) => isPlainText(value, 1, 64),
  onHand: (value) => isIntIn(value, 0, UNITS),
  delta: (value) => isIntIn(value, -UNITS, UNITS) && value !== 0,
  safetyStock: (value) => isIntIn(value, 0, UNITS),
  reason: (value) => REASONS.includes(value),
  note: (value) => isPlainText(value, 1, 200),
};
