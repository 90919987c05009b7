import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, decodeIdCursor, isId, NotFoundError, Page, sqlExec, sqlOne, sqlRows, toPage } from '@gongxiao/core';
import { Shop } from '../channels.entities';
import { ShopRateLimiter } from '../shop-rate-limiter';
import { Integration, PlatformShop } from './platform-adapter';
import type { ListPlatformDeliveriesQueryDto, PlatformDeliveryResponseDto } from './platform-deliveries.dto';
import { platformShopOf } from './platform-shops';

export const RECEIPT_OUTCOMES = ['applied', 'ignored', 'refused', 'deferred'] as const;
/**
 * What Gongxiao did with a delivery: `refused` a verified delivery that cannot become a valid order
 * (answered 200, so the platform keeps the shop's feed), `deferred` a cancellation that came before its order.
 */
export type ReceiptOutcome = (typeof RECEIPT_OUTCOMES)[number];

/** A platform delivery already taken: what Gongxiao did with it. */
export interface PlatformWebhookReceipt {
  topic: string;
  outcome: ReceiptOutcome;
  detail: string | null;
  externalOrderId: string | null;
}

/** A cancellation that came before its order: applied when the order is created. */
export type DeferredCancellation = { deliveryId: string; topic: string; detail: string | null };

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

  /**
   * In one statement: the receipt of a delivery id already taken from this shop's platform, if any,
   * and (with an external order id) a cancellation of that order deferred because it came first.
   */
  async receiptAndDeferred(shopId: string, deliveryId: string, externalOrderId: string | null): Promise<{ known: PlatformWebhookReceipt | null; deferred: DeferredCancellation | null }> {
    const rows = await sqlRows<{ delivery_id: string; topic: string; outcome: ReceiptOutcome; detail: string | null; external_order_id: string | null }>(
      this.em,
      `select delivery_id, topic, outcome, detail, external_order_id from platform_webhook_receipt
        where shop_id = ? and (delivery_id = ? or (?::text is not null and external_order_id = ? and outcome = 'deferred'))
        order by received_at limit 2`,
      [shopId, deliveryId, externalOrderId, externalOrderId],
    );
    const receipt = (row: (typeof rows)[number]): PlatformWebhookReceipt => ({ topic: row.topic, outcome: row.outcome, detail: row.detail, externalOrderId: row.external_order_id });
    const known = rows.find((row) => row.delivery_id === deliveryId);
    const deferred = rows.find((row) => row.delivery_id !== deliveryId);
    return { known: known ? receipt(known) : null, deferred: deferred ? { deliveryId: deferred.delivery_id, topic: deferred.topic, detail: deferred.detail } : null };
  }

  /**
   * Takes a delivery's receipt in one statement: the receipt it already had when it was taken before (nothing
   * written then), and, for an order just created (`deferredOf`: its external order id), a cancellation of it that
   * came first.
   */
  async takeReceipt(
    shopId: string,
    deliveryId: string,
    receipt: PlatformWebhookReceipt,
    deferredOf: string | null,
  ): Promise<{ known: PlatformWebhookReceipt | null; deferred: DeferredCancellation | null }> {
    const rows = await sqlRows<{ kind: 'known' | 'deferred'; delivery_id: string; topic: string; outcome: ReceiptOutcome; detail: string | null; external_order_id: string | null }>(
      this.em,
      `with taken as (
         insert into platform_webhook_receipt (shop_id, delivery_id, topic, outcome, detail, external_order_id) values (?, ?, ?, ?, ?, ?)
         on conflict (shop_id, delivery_id) do nothing returning 1
       )
       select 'known' as kind, delivery_id, topic, outcome, detail, external_order_id from platform_webhook_receipt
        where shop_id = ? and delivery_id = ? and not exists (select 1 from taken)
       union all
       (select 'deferred', delivery_id, topic, outcome, detail, external_order_id from platform_webhook_receipt
         where ?::text is not null and shop_id = ? and external_order_id = ? and outcome = 'deferred' order by received_at limit 1)`,
      [shopId, deliveryId, receipt.topic.slice(0, 200), receipt.outcome, receipt.detail?.slice(0, 2000) ?? null, receipt.externalOrderId, shopId, deliveryId, deferredOf, shopId, deferredOf],
    );
    const known = rows.find((row) => row.kind === 'known');
    const deferred = rows.find((row) => row.kind === 'deferred');
    return {
      known: known ? { topic: known.topic, outcome: known.outcome, detail: known.detail, externalOrderId: known.external_order_id } : null,
      deferred: deferred ? { deliveryId: deferred.delivery_id, topic: deferred.topic, detail: deferred.detail } : null,
    };
  }

  /** The receipt of a delivery id already taken from this shop's platform, if any. */
  async receiptOf(shopId: string, deliveryId: string): Promise<PlatformWebhookReceipt | null> {
    return (await this.receiptAndDeferred(shopId, deliveryId, null)).known;
  }

  /** A deferred cancellation, applied once its order came: recorded with what it did. */
  async settleDeferred(shopId: string, deliveryId: string, outcome: 'applied' | 'ignored', detail: string): Promise<void> {
    await sqlExec(this.em, `update platform_webhook_receipt set outcome = ?, detail = ? where shop_id = ? and delivery_id = ? and outcome = 'deferred'`, [
      outcome,
      detail.slice(0, 2000),
      shopId,
      deliveryId,
    ]);
  }

  /** Records a delivery once it was applied or ignored (a repeat of the same id records nothing new). */
  async recordReceipt(shopId: string, deliveryId: string, receipt: PlatformWebhookReceipt): Promise<void> {
    await sqlExec(
      this.em,
      `insert into platform_webhook_receipt (shop_id, delivery_id, topic, outcome, detail, external_order_id) values (?, ?, ?, ?, ?, ?) on conflict (shop_id, delivery_id) do nothing`,
      [shopId, deliveryId, receipt.topic.slice(0, 200), receipt.outcome, receipt.detail?.slice(0, 2000) ?? null, receipt.externalOrderId],
    );
  }

  /** The shop's platform deliveries, newest first, for its owner (another merchant's shop is not found). */
  async listDeliveries(actor: ActorContext, shopId: string, query: ListPlatformDeliveriesQueryDto): Promise<Page<PlatformDeliveryResponseDto>> {
    const shop = isId(shopId) ? await sqlOne(this.em, `select id from shop where id = ? and merchant_id = ?`, [shopId, actor.merchantId]) : null;
    if (!shop) throw new NotFoundError('shop', shopId);
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<{ id: string; delivery_id: string; topic: string; outcome: string; detail: string | null; external_order_id: string | null; received_at: string | Date }>(
      this.em,
      `select r.seq::text as id, r.delivery_id, r.topic, r.outcome, r.detail, r.external_order_id, r.received_at from platform_webhook_receipt r
        where r.shop_id = ? and (?::text is null or r.outcome = ?::text) and (?::bigint is null or r.seq < ?::bigint)
        order by r.seq desc limit ?`,
      [shopId, query.outcome ?? null, query.outcome ?? null, before, before, limit + 1],
    );
    return toPage(rows, limit, (row) => ({
      deliveryId: row.delivery_id,
      topic: row.topic,
      outcome: row.outcome,
      detail: row.detail,
      externalOrderId: row.external_order_id,
      receivedAt: new Date(row.received_at).toISOString(),
    }));
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
