import { Migration } from '@mikro-orm/migrations';

/**
 * The ship-by standard frozen on each fulfillment order at routing (routed at + the origin offer's
 * hours) and when it was announced overdue (once per order). The partial indexes hold only orders
 * not yet shipped that have a ship-by: the sweep and the inbox's overdue filter never read shipped history.
 */
export class Migration20261201000801FulfillmentShipBy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table fulfillment_order add column ship_by timestamptz, add column overdue_notified_at timestamptz`);
    this.addSql(
      `create index fulfillment_order_overdue_sweep_idx on fulfillment_order (ship_by)
        where status in ('pending_merge', 'new', 'acknowledged', 'partially_shipped') and ship_by is not null and overdue_notified_at is null`,
    );
    this.addSql(
      `create index fulfillment_order_unshipped_by_supplier_idx on fulfillment_order (supplier_merchant_id, ship_by)
        where status in ('pending_merge', 'new', 'acknowledged', 'partially_shipped') and ship_by is not null`,
    );
  }
}
