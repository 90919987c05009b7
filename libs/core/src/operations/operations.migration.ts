import { Migration } from '@mikro-orm/migrations';

/** Indexes for retention: processed outbox events and idempotency records are pruned by age. */
export class Migration20261201000540CoreRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists outbox_event_processed_idx on outbox_event (processed_at) where processed_at is not null`);
    this.addSql(`create index if not exists idempotency_record_created_idx on idempotency_record (created_at)`);
  }
}
