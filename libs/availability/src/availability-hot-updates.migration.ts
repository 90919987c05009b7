import { Migration } from '@mikro-orm/migrations';

/**
 * Every stock change rewrites the availability of every listing selling the goods (10,000 rows for
 * a hot SKU) and, once shops are told, their sync rows. Those updates are made heap-only (HOT):
 * no index holds a column they change, and pages keep room for the new row versions, so an update
 * writes one page instead of one page and three index entries. The `(merchant_id, updated_at)`
 * index goes, and `(merchant_id, listing_id)` (no changing column) comes: the merchant's pages of
 * `GET /v1/listing-availability` (`?updatedSince=` filters them as it walks) read it in listing order
 * instead of sorting every row of the merchant for each page.
 *
 * The fillfactor applies to pages written from now on; existing pages take it as rows move, or at
 * once with `VACUUM FULL listing_availability, listing_sync` in a maintenance window.
 */
export class Migration20261204000875AvailabilityHotUpdates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists listing_availability_updated_idx`);
    this.addSql(`create index listing_availability_merchant_idx on listing_availability (merchant_id, listing_id)`);
    this.addSql(`alter table listing_availability set (fillfactor = 70)`);
    this.addSql(`alter table listing_sync set (fillfactor = 70)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table listing_sync reset (fillfactor)`);
    this.addSql(`alter table listing_availability reset (fillfactor)`);
    this.addSql(`drop index if exists listing_availability_merchant_idx`);
    this.addSql(`create index listing_availability_updated_idx on listing_availability (merchant_id, updated_at)`);
  }
}
