import { Migration } from '@mikro-orm/migrations';

/**
 * What an exception is about, for the machines that clear it: an order held as `insufficient_funds`
 * names the buyer, the seller and the currency whose funds fell short, so that a top-up of that
 * partnership routes it again (found through the partial index, without scanning orders).
 */
export class Migration20261201000430FundsExceptions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table channel_order add column exception_detail jsonb`);
    this.addSql(`
      create index channel_order_funds_exception_idx
        on channel_order ((exception_detail ->> 'buyerMerchantId'), (exception_detail ->> 'sellerMerchantId'), (exception_detail ->> 'currency'))
        where status = 'exception' and exception_code = 'insufficient_funds'`);
  }
}
