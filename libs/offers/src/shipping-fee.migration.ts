import { Migration } from '@mikro-orm/migrations';

/** What each seller charges its buyer per parcel on an offer, in minor units (0: no fee). */
export class Migration20261201000410OfferShippingFee extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer add column shipping_fee_amount bigint not null default 0 check (shipping_fee_amount >= 0)`);
  }
}
