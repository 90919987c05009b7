import { Migration } from '@mikro-orm/migrations';

/**
 * Deliveries that share an ordering key (the notices of one fulfillment order to its ERP) are sent
 * one after another, in the order they were created.
 */
export class Migration20261201000300DeliveryOrdering extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table webhook_delivery add column if not exists ordering_key text`);
    this.addSql(`create index if not exists webhook_delivery_ordering_idx on webhook_delivery (ordering_key, id) where ordering_key is not null`);
  }
}
