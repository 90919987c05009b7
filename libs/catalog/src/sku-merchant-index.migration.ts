import { Migration } from '@mikro-orm/migrations';

/**
 * A merchant's SKUs in id order, for the keyset pages that stream its sheets (the stock sheet reads
 * every SKU once per warehouse): an index range per page instead of a scan of every merchant's SKUs.
 */
export class Migration20261201000730SkuMerchantIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists sku_merchant_idx on sku (merchant_id, id)`);
  }
}
