import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys of stock updates. */
export class Migration20261122001000StockUpdates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table stock_update_request (
        merchant_id bigint not null references merchant (id),
        idempotency_key text not null,
        request_hash text not null,
        created_at timestamptz not null default now(),
        primary key (merchant_id, idempotency_key)
      )`);
  }
}
