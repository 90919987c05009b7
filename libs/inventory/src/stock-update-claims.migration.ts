import { Migration } from '@mikro-orm/migrations';

/**
 * Claiming a bulk update's idempotency keys no longer checks the merchant once per key: the
 * foreign key's trigger locked the merchant's row for each of up to 5,000 keys, about half of the
 * claim. The merchant is the authenticated one and merchants are never deleted (as for stock_movement).
 */
export class Migration20261203000873StockUpdateClaims extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table stock_update_request drop constraint if exists stock_update_request_merchant_id_fkey`);
  }
}
