import { Migration } from '@mikro-orm/migrations';

/**
 * Stock alert rules per SKU (availability owns them: it evaluates them). Databases migrated before
 * this table moved here already have it from webhooks' migration 1300, hence `if not exists`.
 */
export class Migration20261122001310StockAlertRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table if not exists stock_alert_rule (
        sku_id bigint primary key references sku (id),
        merchant_id bigint not null references merchant (id),
        low_stock_threshold int not null check (low_stock_threshold >= 0),
        state text not null default 'ok' check (state in ('ok', 'low', 'out')),
        updated_at timestamptz not null default now()
      )`);
  }
}
