import { Migration } from '@mikro-orm/migrations';

/** Finished deliveries are pruned by age (pruneFinishedWebhookDeliveries). */
export class Migration20261201000541DeliveryRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists webhook_delivery_finished_idx on webhook_delivery (created_at) where status in ('delivered', 'failed')`);
  }
}
