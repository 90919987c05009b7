import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

/** The time zone whose months a merchant settles in, unless it chose another. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** A month as its first day, `YYYY-MM-01`. */
export type Period = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The month `at` falls in, in that time zone. */
export function periodOf(at: Date, timeZone: string): Period {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const year = parts.find((part) => part.type === 'year')!.value;
  const month = parts.find((part) => part.type === 'month')!.value;
  return `${year}-${month}-01`;
}

export function nextPeriod(period: Period): Period {
  const [year, month] = period.split('-').map(Number);
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

export function previousPeriod(period: Period): Period {
  const [year, month] = period.split('-').map(Number);
  return month === 1 ? `${year - 1}-12-01` : `${year}-${String(month - 1).padStart(2, '0')}-01`;
}

/** Where an entry of month `period` lands: that month, or the first open one after it when it is closed. */
export function landingPeriod(period: Period, closed: ReadonlySet<Period>): Period {
  let landing = period;
  while (closed.has(landing)) landing = nextPeriod(landing);
  return landing;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Each merchant's settlement time zone (the default when it set none). */
export async function timeZonesOf(em: EntityManager, merchantIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(merchantIds)];
  const rows = unique.length
    ? await sqlRows<{ merchant_id: string; time_zone: string }>(em, `select merchant_id::text, time_zone from settlement_settings where merchant_id = any(?::bigint[])`, [unique])
    : [];
  const zones = new Map(rows.map((row) => [row.merchant_id, row.time_zone]));
  return new Map(unique.map((id) => [id, zones.get(id) ?? DEFAULT_TIME_ZONE]));
}

/** The closed months of each merchant from `from` on. */
export async function closedPeriodsOf(em: EntityManager, merchantIds: string[], from: Period): Promise<Map<string, Set<Period>>> {
  const unique = [...new Set(merchantIds)];
  const rows = unique.length
    ? await sqlRows<{ merchant_id: string; period: string }>(
        em,
        `select merchant_id::text, to_char(period, 'YYYY-MM-DD') as period from closed_period where merchant_id = any(?::bigint[]) and period >= ?::date`,
        [unique, from],
      )
    : [];
  const closed = new Map(unique.map((id) => [id, new Set<Period>()]));
  for (const row of rows) closed.get(row.merchant_id)!.add(row.period);
  return closed;
}

function periodLockKey(merchantId: string): string {
  return `settlement_period:${merchantId}`;
}

/**
 * Posting takes each payee's period lock shared, closing a month takes it exclusive: an entry is
 * either in before the month closes or sees it closed and lands in the next open one.
 */
export async function lockPeriodsShared(em: EntityManager, merchantIds: string[]): Promise<void> {
  const unique = [...new Set(merchantIds)].sort();
  if (unique.length === 0) return;
  await sqlExec(em, `select pg_advisory_xact_lock_shared(hashtextextended(k, 0)) from unnest(?::text[]) with ordinality as t(k, n) order by n`, [unique.map(periodLockKey)]);
}

export async function lockPeriodsExclusive(em: EntityManager, merchantId: string): Promise<void> {
  await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended(?, 0))`, [periodLockKey(merchantId)]);
}
