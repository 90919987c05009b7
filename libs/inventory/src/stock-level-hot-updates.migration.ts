import { Migration } from '@mikro-orm/migrations';

/**
 * Every reservation, release, shipment and ERP push rewrites stock levels, and no index holds the
 * columns they change (on_hand, reserved, safety_stock, updated_at): with room left in each page the
 * new row version stays on the page (a heap-only update) and no index is written. Pages written from
 * now on keep 20 % free; existing ones take it as rows move, or at once with `VACUUM FULL stock_level`
 * in a maintenance window.
 */
export class Migration20261204000876StockLevelHotUpdates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table stock_level set (fillfactor = 80)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table stock_level reset (fillfactor)`);
  }
}
