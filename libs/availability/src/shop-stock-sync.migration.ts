import { Migration } from '@mikro-orm/migrations';

/**
 * Which availability version each listing's shop has been told. Kept apart from
 * listing_availability so that recomputing and telling shops never lock the same rows.
 */
export class Migration20261122001200ShopStockSync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table listing_sync (
        listing_id bigint primary key references listing (id),
        shop_id bigint not null references shop (id),
        synced_version bigint not null,
        synced_at timestamptz not null default now()
      )`);
    // One sender per shop at a time, without holding a transaction open during the HTTP call.
    this.addSql(`
      create table shop_sync_lease (
        shop_id bigint primary key references shop (id),
        holder uuid not null,
        lease_until timestamptz not null
      )`);
  }
}
