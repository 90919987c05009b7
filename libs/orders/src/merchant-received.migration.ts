import { Migration } from '@mikro-orm/migrations';

/** A distributor's shop orders by arrival: its order list's date window reads those days only, not its whole history by id. */
export class Migration20261201000871ChannelOrderMerchantReceived extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index channel_order_merchant_received_idx on channel_order (merchant_id, received_at)`);
  }
}
