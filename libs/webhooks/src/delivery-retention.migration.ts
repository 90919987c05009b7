import { Migration } from '@mikro-orm/migrations';

/** Finished deliveries are pruned by age (pruneFinishedWebhookDeliveries); failing ones are counted for the metrics (failingWebhookDeliveryCounts). */
export class Migration20261201000541DeliveryRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists webhook_delivery_finished_idx on webhook_delivery (created_at) where status in ('delivered', 'failed')`);
    this.addSql(`create index if not exists webhook_delivery_failing_idx on webhook_delivery (status, target_kind) where status in ('retrying', 'failed')`);
  }
}
