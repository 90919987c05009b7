import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isId, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { Shop } from '../channels.entities';
import { ShopRateLimiter } from '../shop-rate-limiter';
import { Integration, PlatformShop } from './platform-adapter';
import { platformShopOf } from './platform-shops';

/** A platform delivery already taken: what Gongxiao did with it. */
export interface PlatformWebhookReceipt {
  topic: string;
  outcome: 'applied' | 'ignored';
  detail: string | null;
  externalOrderId: string | null;
}

type WebhookShop = { id: string; integration: Integration; status: 'active' | 'disabled'; platform: PlatformShop | null };

/** As long as a webhook route keeps a shop's facts (credentials opened) before reading them again: a change takes effect within it. */
const WEBHOOK_SHOP_CACHE_MS = 1000;

/** Platform shops and their credentials, for the api's webhook routes and the worker's outbound calls. */
@Injectable()
export class PlatformShopsService {
  private readonly webhookShops = new Map<string, { shop: WebhookShop | null; until: number }>();

  constructor(
    private readonly em: EntityManager,
    private readonly rateLimiter: ShopRateLimiter,
  ) {}

  /** Counts an authenticated delivery against the shop's allowance, as native pushes are (429 shop_rate_limited past it). */
  takeAllowance(shopId: string): void {
    this.rateLimiter.take(shopId);
  }

  /** The shop with its credentials opened; null when there is no such shop or it is a native one. */
  async platformShopForSystem(shopId: string): Promise<PlatformShop | null> {
    if (!isId(shopId)) return null;
    const shop = await this.em.fork().findOne(Shop, { id: BigInt(shopId).toString() });
    return shop ? platformShopOf(shop) : null;
  }

  /** For a webhook route: the shop's integration and status, with its platform side (null for a native shop); null when there is no such shop. */
  async webhookShop(shopId: string): Promise<WebhookShop | null> {
    if (!isId(shopId)) return null;
    // A platform delivers many orders a second to one shop: its facts are read (and its credentials opened) once a second at most.
    const key = BigInt(shopId).toString();
    const cached = this.webhookShops.get(key);
    if (cached && cached.until > Date.now()) return cached.shop;
    const row = await sqlOne<{ id: string; merchant_id: string; integration: Integration; status: 'active' | 'disabled'; platform_credentials: string | null; platform_shop_ref: string | null }>(
      this.em,
      `select id::text, merchant_id::text, integration, status, platform_credentials, platform_shop_ref from shop where id = ?`,
      [key],
    );
    const shop = row
      ? {
          id: row.id,
          integration: row.integration,
          status: row.status,
          platform: platformShopOf({
            id: row.id,
            merchantId: row.merchant_id,
            integration: row.integration,
            status: row.status,
            platformCredentials: row.platform_credentials,
            platformShopRef: row.platform_shop_ref,
          }),
        }
      : null;
    if (this.webhookShops.size > 10_000) this.webhookShops.clear();
    this.webhookShops.set(key, { shop, until: Date.now() + WEBHOOK_SHOP_CACHE_MS });
    return shop;
  }

  /** The receipt of a delivery id already taken from this shop's platform, if any. */
  async receiptOf(shopId: string, deliveryId: string): Promise<PlatformWebhookReceipt | null> {
    const row = await sqlOne<{ topic: string; outcome: 'applied' | 'ignored'; detail: string | null; external_order_id: string | null }>(
      this.em,
      `select topic, outcome, detail, external_order_id from platform_webhook_receipt where shop_id = ? and delivery_id = ?`,
      [shopId, deliveryId],
    );
    return row ? { topic: row.topic, outcome: row.outcome, detail: row.detail, externalOrderId: row.external_order_id } : null;
  }

  /** Records a delivery once it was applied or ignored (a repeat of the same id records nothing new). */
  async recordReceipt(shopId: string, deliveryId: string, receipt: PlatformWebhookReceipt): Promise<void> {
    await sqlExec(
      this.em,
      `insert into platform_webhook_receipt (shop_id, delivery_id, topic, outcome, detail, external_order_id) values (?, ?, ?, ?, ?, ?) on conflict (shop_id, delivery_id) do nothing`,
      [shopId, deliveryId, receipt.topic.slice(0, 200), receipt.outcome, receipt.detail?.slice(0, 2000) ?? null, receipt.externalOrderId],
    );
  }

  /** The shop SKU code of the listings mapped to these platform variant ids (Shopify variant_id), by variant id. */
  async shopSkuCodesByVariant(shopId: string, variantIds: string[]): Promise<Map<string, string>> {
    if (variantIds.length === 0) return new Map();
    const rows = await sqlRows<{ platform_variant_id: string; shop_sku_code: string }>(
      this.em,
      `select l.platform_variant_id, l.shop_sku_code from listing l where l.shop_id = ? and l.platform_variant_id = any(?::text[]) order by l.id`,
      [shopId, [...new Set(variantIds)]],
    );
    const codes = new Map<string, string>();
    for (const row of rows) if (!codes.has(row.platform_variant_id)) codes.set(row.platform_variant_id, row.shop_sku_code);
    return codes;
  }
}
