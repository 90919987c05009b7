import { Migration } from '@mikro-orm/migrations';

/** Light customization (轻定制): a shop order line's options as the shop sent them (checked and normalized at routing). */
export class Migration20261201000901ChannelOrderLineCustomization extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order_line add column customization jsonb`);
  }
}
