import { Migration } from '@mikro-orm/migrations';

/**
 * What other contexts may read of a shop to sign its callbacks: the webhooks context claims a group
 * of deliveries together with their signing secrets in one statement, through this view instead of
 * the shop table.
 */
export class Migration20261201000200ShopSigningSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace view shop_signing_secret as select id as shop_id, webhook_secret as secret from shop`);
  }
}
