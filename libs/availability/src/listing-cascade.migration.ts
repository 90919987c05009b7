import { Migration } from '@mikro-orm/migrations';

/** Deleting a listing deletes what availability and shop sync kept about it. */
export class Migration20261122001400ListingCascade extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table listing_availability drop constraint listing_availability_listing_id_fkey`);
    this.addSql(`alter table listing_availability add constraint listing_availability_listing_id_fkey foreign key (listing_id) references listing (id) on delete cascade`);
    this.addSql(`alter table listing_sync drop constraint listing_sync_listing_id_fkey`);
    this.addSql(`alter table listing_sync add constraint listing_sync_listing_id_fkey foreign key (listing_id) references listing (id) on delete cascade`);
  }
}
