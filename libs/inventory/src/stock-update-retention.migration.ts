import { Migration } from '@mikro-orm/migrations';

/** Bulk stock updates' idempotency keys by age: the retention sweep deletes the old ones without reading the rest. */
export class Migration20261201000872StockUpdateRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index stock_update_request_created_idx on stock_update_request (created_at)`);
  }
}
