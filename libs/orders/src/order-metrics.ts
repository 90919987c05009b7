import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * Shop orders held as routing exceptions now, by exception code (for the api's metrics; orders owns
 * `channel_order`). The codes are a small fixed set, so the metric's cardinality stays bounded.
 * Served by the open-orders partial index.
 */
export async function routingExceptionCounts(em: EntityManager): Promise<{ code: string; count: number }[]> {
  const rows = await sqlRows<{ code: string; count: string }>(
    em,
    `select coalesce(exception_code, 'unknown') as code, count(*)::text as count from channel_order where status = 'exception' group by 1`,
  );
  return rows.map((row) => ({ code: row.code, count: Number(row.count) }));
}
