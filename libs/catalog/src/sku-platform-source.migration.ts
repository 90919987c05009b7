import { Migration } from '@mikro-orm/migrations';

/**
 * Where a SKU came from when it was imported from a platform's product export (Shopify,
 * WooCommerce, Youzan): the platform, its product and variant ids as text (Youzan ids exceed
 * 2^53), and the price the platform sells it at (the supplier's list price, in minor units).
 */
export class Migration20261201000770SkuPlatformSource extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table sku
        add column platform text check (platform in ('shopify', 'woocommerce', 'youzan')),
        add column platform_product_id text check (char_length(platform_product_id) <= 64),
        add column platform_variant_id text check (char_length(platform_variant_id) <= 64),
        add column list_price_amount bigint check (list_price_amount >= 0),
        add column list_price_currency char(3),
        add constraint sku_list_price_currency check ((list_price_amount is null) = (list_price_currency is null))`);
  }
}
