import { Migration } from '@mikro-orm/migrations';

/** Orders uploaded in a sheet (bulk orders for shops without an API) say so in `source`, beside pushed and hand-entered ones. */
export class Migration20261201000620ChannelOrderSourceSheet extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order drop constraint if exists channel_order_source_check`);
    this.addSql(`alter table channel_order add constraint channel_order_source_check check (source in ('push', 'manual', 'sheet'))`);
  }
}
