import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec } from '@gongxiao/core';

/**
 * Retention of finished webhook deliveries (webhooks owns `webhook_delivery`): delivered ones, and
 * failed ones whose attempts are used up, created more than `olderThanDays` days ago. One batch per
 * call (chosen by ctid under SKIP LOCKED, so a delivery being sent is never waited on); the caller
 * repeats while a batch comes back full. Returns how many were deleted.
 */
export async function pruneFinishedWebhookDeliveries(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  return sqlExec(
    em,
    `delete from webhook_delivery where ctid = any(array(
       select ctid from webhook_delivery
        where status in ('delivered', 'failed') and created_at < now() - make_interval(days => ?)
        limit ? for update skip locked))`,
    [olderThanDays, batch],
  );
}
