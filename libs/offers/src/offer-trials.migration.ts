import { Migration } from '@mikro-orm/migrations';

/**
 * Trial sale (五折试销): an offer's trial terms (a price below the offer's, for the first N units each
 * buyer orders within a period), and per offer × buyer the trial units taken so far (routing takes
 * them with a conditional update, a cancelled unit gives its unit back).
 */
export class Migration20261201000840OfferTrials extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table offer_trial (
        offer_id bigint primary key references offer (id),
        price_amount bigint not null check (price_amount >= 0),
        units_per_buyer int not null check (units_per_buyer >= 1),
        starts_at timestamptz not null,
        ends_at timestamptz not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint offer_trial_period check (starts_at < ends_at)
      )`);
    this.addSql(`
      create table offer_trial_use (
        offer_id bigint not null references offer (id),
        buyer_merchant_id bigint not null references merchant (id),
        units_taken int not null default 0 check (units_taken >= 0),
        updated_at timestamptz not null default now(),
        primary key (offer_id, buyer_merchant_id)
      )`);
  }
}
