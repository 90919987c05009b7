import { Migration } from '@mikro-orm/migrations';

/** Each hop's seller's shipping fee per parcel, frozen at routing like its unit price. */
export class Migration20261201000420HopShippingFee extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table fulfillment_line_hop add column shipping_fee_amount bigint not null default 0 check (shipping_fee_amount >= 0)`);
  }
}
