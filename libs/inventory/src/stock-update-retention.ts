import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec } from '@gongxiao/core';

/**
 * Deletes up to `batch` idempotency keys of bulk stock updates older than `olderThanDays` (a retry
 * that late is a new update), for the worker's retention sweep: through the created-at index, rows
 * another sweep holds skipped.
 */
export async function pruneStockUpdateRequests(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  return sqlExec(
    em,
    `delete from stock_update_request where ctid = any(array(
       select ctid from stock_update_request where created_at < now() - make_interval(days => ?) order by created_at limit ? for update skip locked))`,
    [olderThanDays, batch],
  );
}
