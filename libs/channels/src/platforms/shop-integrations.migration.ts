import { Migration } from '@mikro-orm/migrations';

/**
 * Shops on real platforms: how a shop's webhooks arrive (`integration`: Gongxiao's own signed JSON, or
 * Shopify's, WooCommerce's or Youzan's deliveries), the platform credentials (encrypted JSON), the
 * platform's name for the shop (a Shopify domain, a WooCommerce site, a Youzan kdt_id: checked against
 * what a delivery says it comes from), the platform ids a listing needs to tell the platform its stock,
 * and one receipt per platform delivery id, so a re-delivery changes nothing (applied, ignored, refused:
 * verified but not a valid order, deferred: a cancellation that came before its order).
 */
export class Migration20261201000750ShopIntegrations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table shop
        add column integration text not null default 'native' check (integration in ('native', 'shopify', 'woocommerce', 'youzan')),
        add column platform_credentials text,
        add column platform_shop_ref text`);
    this.addSql(`
      alter table listing
        add column platform_product_id text,
        add column platform_variant_id text,
        add column platform_inventory_item_id text`);
    this.addSql(`
      create table platform_webhook_receipt (
        shop_id bigint not null references shop (id),
        delivery_id text not null,
        topic text not null,
        outcome text not null check (outcome in ('applied', 'ignored', 'refused', 'deferred')),
        detail text,
        external_order_id text,
        received_at timestamptz not null default now(),
        seq bigint generated always as identity,
        primary key (shop_id, delivery_id)
      )`);
    this.addSql(`create index platform_webhook_receipt_received_idx on platform_webhook_receipt (received_at)`);
    // A shop's deliveries newest first (the distributor's list), and a cancellation that came before its order, found by that order's id.
    this.addSql(`create index platform_webhook_receipt_shop_seq_idx on platform_webhook_receipt (shop_id, seq desc)`);
    this.addSql(`create index platform_webhook_receipt_external_idx on platform_webhook_receipt (shop_id, external_order_id) where external_order_id is not null`);
  }
}
