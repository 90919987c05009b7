import { Migration } from '@mikro-orm/migrations';

/**
 * Made to order (C2M): an origin offer whose goods are produced after orders are aggregated, not
 * shipped from stock. Its terms: the production lead time, the smallest and largest batch one run
 * makes, and the cut-off schedule (ISO weekdays and a time of day on the supplier's wall clock) at
 * which each run closes. One row per origin offer; re-shares inherit their origin's.
 */
export class Migration20261201000880OfferMadeToOrder extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table offer_made_to_order (
        offer_id bigint primary key references offer (id),
        lead_time_days int not null check (lead_time_days between 1 and 90),
        min_batch_units int not null check (min_batch_units between 1 and 1000000),
        max_batch_units int check (max_batch_units is null or (max_batch_units >= min_batch_units and max_batch_units <= 1000000)),
        cutoff_weekdays int[] not null check (cardinality(cutoff_weekdays) between 1 and 7 and cutoff_weekdays <@ array[1, 2, 3, 4, 5, 6, 7]),
        cutoff_time text not null check (cutoff_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }
}
