import { Migration } from '@mikro-orm/migrations';

/**
 * An offer can be suspended by its owner's quality rule (automatic delisting): its chains close like a
 * withdrawn offer's, and its owner reinstates it. The delisting that suspended it is recorded (quality's id,
 * no foreign key across the wall). A suspended offer keeps its place in the one-active-offer key, so the
 * owner cannot publish a second one beside it that a reinstatement would collide with.
 */
export class Migration20261201000861OfferSuspension extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer drop constraint offer_status_check`);
    this.addSql(`alter table offer add constraint offer_status_check check (status in ('active', 'withdrawn', 'suspended'))`);
    this.addSql(`alter table offer add column suspended_by_delisting_id bigint`);
    this.addSql(`drop index offer_active_key`);
    this.addSql(`
      create unique index offer_active_key on offer (seller_merchant_id, origin_sku_id, coalesce(upstream_offer_id, 0), coalesce(buyer_merchant_id, 0))
        where status in ('active', 'suspended')`);
    this.addSql(`create index offer_origin_sku_idx on offer (origin_sku_id, seller_merchant_id)`);
  }
}
