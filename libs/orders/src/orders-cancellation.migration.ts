import { Migration } from '@mikro-orm/migrations';

/**
 * Cancelled units per order line and when (and why) an order was cancelled. These statements first
 * ran inside fulfillment's `Migration20261122001500Cancellation`; the tables are orders', so they
 * live here now. Every statement is idempotent: on a database where the fulfillment migration
 * already made these changes it does nothing, on a fresh one it makes them, and both end alike.
 */
export class Migration20261122001501OrdersCancellation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order add column if not exists cancel_requested_at timestamptz, add column if not exists cancel_reason text`);
    this.addSql(`alter table channel_order_line add column if not exists cancelled_quantity int not null default 0`);
    this.addSql(`alter table channel_order_line drop constraint if exists channel_order_line_check`);
    this.addSql(`
      do $$
      begin
        if not exists (select 1 from pg_constraint where conname = 'channel_order_line_quantities' and conrelid = 'channel_order_line'::regclass) then
          alter table channel_order_line add constraint channel_order_line_quantities
            check (shipped_quantity >= 0 and cancelled_quantity >= 0 and shipped_quantity + cancelled_quantity <= quantity);
        end if;
      end
      $$`);
  }
}
