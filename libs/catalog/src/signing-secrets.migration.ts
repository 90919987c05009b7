import { Migration } from '@mikro-orm/migrations';

/**
 * What other contexts may read of a warehouse to sign its ERP deliveries: the webhooks context
 * claims a group of deliveries together with their signing secrets in one statement, through this
 * view instead of the warehouse table.
 */
export class Migration20261201000100WarehouseSigningSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace view warehouse_signing_secret as select id as warehouse_id, erp_webhook_secret as secret from warehouse`);
  }
}
