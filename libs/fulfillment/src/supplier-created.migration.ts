import { Migration } from '@mikro-orm/migrations';

/**
 * A supplier's fulfillment orders by creation time: the inbox's date window and the order sheet of
 * some days read that supplier's orders of those days, not the supplier's whole history by id (a
 * day out of a year of orders was 92 ms at p50 against 1.2 ms with this index).
 */
export class Migration20261201000870FulfillmentOrderSupplierCreated extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index fulfillment_order_supplier_created_idx on fulfillment_order (supplier_merchant_id, created_at)`);
  }
}
