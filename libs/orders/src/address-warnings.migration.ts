import { Migration } from '@mikro-orm/migrations';

/**
 * What normalizing a shop order's address could not settle (an unknown province, a city of another
 * province…), shown to the distributor with the order: `[{code, field, value, message}]`.
 */
export class Migration20261201000740ChannelOrderAddressWarnings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order add column if not exists address_warnings jsonb not null default '[]'::jsonb`);
  }
}
