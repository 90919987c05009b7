import { Migration } from '@mikro-orm/migrations';

/** Which availability version each listing's shop has been told. */
export class Migration20261122001200ShopStockSync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table listing_availability add column synced_version bigint not null default 0`);
    this.addSql(`create index listing_availability_unsynced_idx on listing_availability (shop_id, listing_id) where version > synced_version`);
  }
}
