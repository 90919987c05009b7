import { Migration } from '@mikro-orm/migrations';

/** Delisting rules read one SKU's lines at a time (`salesQualityLines`): by SKU, then the order's routing time. */
export class Migration20261201000863FulfillmentLinesBySku extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index fulfillment_order_line_sku_idx on fulfillment_order_line (sku_id, fulfillment_order_id)`);
  }
}
