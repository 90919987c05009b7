import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * Webhook deliveries that failed: `retrying` (an attempt failed, more will come) and `failed` (given
 * up, kept until retention prunes them), by target kind — for the api's metrics. Served by a partial
 * index, so a scrape never reads the delivered ones.
 */
export async function failingWebhookDeliveryCounts(em: EntityManager): Promise<{ status: string; targetKind: string; count: number }[]> {
  const rows = await sqlRows<{ status: string; target_kind: string; count: string }>(
    em,
    `select status, target_kind, count(*)::text as count from webhook_delivery where status in ('retrying', 'failed') group by 1, 2`,
  );
  return rows.map((row) => ({ status: row.status, targetKind: row.target_kind, count: Number(row.count) }));
}
