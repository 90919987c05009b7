import { Migration } from '@mikro-orm/migrations';

/** The shop platform's own id of an order line (a Shopify line item id, a Youzan oid), kept as text: Youzan's exceed 2^53. */
export class Migration20261201000751ExternalLineIds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order_line add column external_line_id text`);
  }
}
