import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/** Months of `stock_movement` partitions kept ready ahead of the current one. */
export const STOCK_MOVEMENT_MONTHS_AHEAD = 3;

/**
 * Creates the monthly partitions of `stock_movement` from the UTC month of `now` to `monthsAhead`
 * months after it, those that do not exist yet, and returns the names of those it created; rows of
 * those months waiting in the default partition move into them. For the worker's sweep; safe when two
 * sweeps run at once (the partitions are created under one advisory lock).
 */
export async function ensureStockMovementPartitions(em: EntityManager, now = new Date(), monthsAhead = STOCK_MOVEMENT_MONTHS_AHEAD): Promise<string[]> {
  const rows = await sqlRows<{ created: string | null }>(
    em,
    `select stock_movement_ensure_partition(month::date) as created
       from generate_series(date_trunc('month', ?::timestamptz at time zone 'UTC'),
                            date_trunc('month', ?::timestamptz at time zone 'UTC') + make_interval(months => ?),
                            interval '1 month') month`,
    [now, now, monthsAhead],
  );
  return rows.flatMap((row) => (row.created ? [row.created] : []));
}
