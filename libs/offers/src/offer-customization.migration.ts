import { Migration } from '@mikro-orm/migrations';

/**
 * Light customization (轻定制): the options an origin offer declares for its buyers to set per line
 * (text on the product, a packaging choice, a logo's URL), each with its extra price per unit. One row
 * per origin offer; re-shares inherit their origin's and have none of their own.
 */
export class Migration20261201000900OfferCustomization extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table offer_customization (
        offer_id bigint primary key references offer (id),
        options jsonb not null check (jsonb_typeof(options) = 'array' and jsonb_array_length(options) between 1 and 10),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }
}
