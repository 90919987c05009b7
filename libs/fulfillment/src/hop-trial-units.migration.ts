import { Migration } from '@mikro-orm/migrations';

/**
 * A hop's trial units (五折试销), frozen at routing beside its regular price: the first
 * `trial_units` units of the line cost `trial_unit_price_amount` at this hop, the rest
 * `unit_price_amount`. Units ship trial first; cancelled units come off the regular ones first.
 */
export class Migration20261201000841HopTrialUnits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table fulfillment_line_hop add column trial_units int not null default 0 check (trial_units >= 0)`);
    this.addSql(`alter table fulfillment_line_hop add column trial_unit_price_amount bigint not null default 0 check (trial_unit_price_amount >= 0)`);
    this.addSql(`create index fulfillment_line_hop_trial_idx on fulfillment_line_hop (offer_id, buyer_merchant_id) where trial_units > 0`);
  }
}
