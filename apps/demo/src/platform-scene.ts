import { Client } from 'pg';
import { progress, step } from './console-output';
import { DemoClient } from './http-client';
import { waitFor } from './local-stack';
import { DemoMerchant, DemoNetwork } from './network';
import { GIVEN, PLACES, seededRandom, SURNAMES } from './order-generator';
import { FakeShopify, FakeWooCommerce, FakeYouzan } from './platform-fakes';
import { PlatformDelivery, PlatformOrder, shopifyDelivery, wooCommerceDelivery, youzanDelivery } from './platform-pushes';

type Integration = 'shopify' | 'woocommerce' | 'youzan';

/** A distributor's shop on a real platform: the platform pushes in its own format, Gongxiao calls the platform back. */
export interface DemoPlatformShop {
  id: string;
  integration: Integration;
  name: string;
  codes: string[];
  /** The platform's signed delivery of an order (`deliveryId` is what the platform deduplicates on). */
  deliver(order: PlatformOrder, deliveryId: string, cancelled?: boolean): PlatformDelivery;
}

export interface PlatformFakes {
  shopify: FakeShopify;
  woocommerce: FakeWooCommerce;
  youzan: FakeYouzan;
}

export interface PlatformOutcome {
  pushed: Record<Integration, number>;
  redeliveriesAnswered: number;
  cancelled: number;
  youzanOid: string;
}

const SHOPIFY = { domain: 'happy-home.myshopify.com', secret: 'shpss_demo_app_secret_2f9c', accessToken: 'shpat_demo_token_77ab', locationId: '655441491' };
const WOO = { secret: 'wc_demo_webhook_secret_5d1e', consumerKey: 'ck_demo_4b7f0a9c2e', consumerSecret: 'cs_demo_9e1d3c7b5a' };
const YOUZAN = { clientId: 'yz-demo-client', clientSecret: 'yz-demo-secret-8c2a', kdtId: '44152698' };

/** The platforms the demo's platform shops live on: loopback stand-ins that answer as each platform documents. */
export async function startPlatformFakes(): Promise<PlatformFakes> {
  return {
    shopify: await FakeShopify.start(SHOPIFY.accessToken),
    woocommerce: await FakeWooCommerce.start(WOO.consumerKey, WOO.consumerSecret),
    youzan: await FakeYouzan.start(YOUZAN.clientId, YOUZAN.clientSecret, YOUZAN.kdtId),
  };
}

/** Three shops of the second distributor, one per platform, each listing every offer with the platform's item ids. */
export async function openPlatformShops(client: DemoClient, network: DemoNetwork, fakes: PlatformFakes): Promise<DemoPlatformShop[]> {
  const distributor = network.distributors[1];
  const plans: { integration: Integration; platform: string; name: string; prefix: string; credentials: Record<string, string>; deliver: DemoPlatformShop['deliver'] }[] = [
    {
      integration: 'shopify',
      platform: 'shopify',
      name: 'Happy Home on Shopify',
      prefix: 'SH',
      credentials: { shopDomain: SHOPIFY.domain, webhookSecret: SHOPIFY.secret, accessToken: SHOPIFY.accessToken, locationId: SHOPIFY.locationId, apiBaseUrl: fakes.shopify.baseUrl },
      deliver: (order, id, cancelled) => shopifyDelivery(order, SHOPIFY, id, cancelled ? 'orders/cancelled' : 'orders/create'),
    },
    {
      integration: 'woocommerce',
      platform: 'woocommerce',
      name: 'Little Red Notes on WooCommerce',
      prefix: 'WC',
      credentials: { siteUrl: fakes.woocommerce.baseUrl, webhookSecret: WOO.secret, consumerKey: WOO.consumerKey, consumerSecret: WOO.consumerSecret },
      deliver: (order, id, cancelled) => wooCommerceDelivery(order, { siteUrl: fakes.woocommerce.baseUrl, secret: WOO.secret }, id, cancelled ? 'cancelled' : 'processing'),
    },
    {
      integration: 'youzan',
      platform: 'youzan',
      name: 'Happy Home 有赞微商城',
      prefix: 'YZ',
      credentials: { ...YOUZAN, apiBaseUrl: fakes.youzan.baseUrl },
      deliver: (order, id) => youzanDelivery(order, YOUZAN, id),
    },
  ];
  const shops: DemoPlatformShop[] = [];
  for (const plan of plans) {
    const shop = await client.call('POST', '/v1/shops', {
      token: distributor.token,
      body: { platform: plan.platform, name: plan.name, integration: plan.integration, platformCredentials: plan.credentials },
    });
    const codes: string[] = [];
    for (const [index, offer] of network.offers.entries()) {
      const code = `${plan.prefix}-${offer.code}`;
      const ids = { platformProductId: `70${index + 1}0`, platformVariantId: `70${index + 1}1`, platformInventoryItemId: `70${index + 1}2` };
      await listOffer(client, distributor, { shopId: shop.id, shopSkuCode: code, offerId: offer.offerId, retailPrice: { amount: Math.round(offer.price * 1.6), currency: 'CNY' }, ...ids });
      codes.push(code);
    }
    shops.push({ id: shop.id, integration: plan.integration, name: plan.name, codes, deliver: plan.deliver });
  }
  return shops;
}

function listOffer(client: DemoClient, distributor: DemoMerchant, body: Record<string, unknown>) {
  return client.call('POST', '/v1/listings', { token: distributor.token, body });
}

/** Orders as each platform numbers them: Shopify and WooCommerce ids, Youzan tids and oids (above 2^53). */
export function planPlatformOrders(shop: DemoPlatformShop, network: DemoNetwork, count: number, serial: string): PlatformOrder[] {
  const random = seededRandom(Number(shop.id) * 7919);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const codeFor = (skuCode: string) => shop.codes.find((code) => code.endsWith(`-${skuCode}`))!;
  return Array.from({ length: count }, (_, index) => {
    const skuCodes = [...new Set([pick(network.factoryCodes), ...(random() < 0.3 ? [pick(network.farmCodes)] : [])])];
    const orderNo = `${serial}${String(index).padStart(4, '0')}`;
    const id = shop.integration === 'youzan' ? `E2026${orderNo}` : `4${shop.id.padStart(3, '0')}${orderNo}`;
    const place = pick(PLACES);
    return {
      id,
      consignee: {
        name: pick(SURNAMES) + pick(GIVEN),
        phone: `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
        ...place,
        address: `文化路 ${1 + index} 号 ${1 + Math.floor(random() * 20)}01 室`,
      },
      lines: skuCodes.map((skuCode, line) => ({
        // Youzan's oids exceed 2^53 (kept as text all the way); Shopify's and WooCommerce's line ids do not.
        lineId: shop.integration === 'youzan' ? `2873491${orderNo}${line + 1}` : `6${id.slice(1)}${line}`,
        sku: codeFor(skuCode),
        quantity: 1 + Math.floor(random() * 2),
        unitPrice: 3990 + Math.floor(random() * 30) * 100,
      })),
    };
  });
}

/** What the platform holds about an order Gongxiao will tell shipments of: Shopify's fulfillment orders, WooCommerce's order. */
function registerOnPlatform(fakes: PlatformFakes, shop: DemoPlatformShop, order: PlatformOrder): void {
  if (shop.integration === 'shopify') {
    const lineItems = order.lines.map((line) => ({ id: Number(`7${line.lineId.slice(1)}`), lineItemId: Number(line.lineId), quantity: line.quantity, fulfillable: line.quantity }));
    fakes.shopify.fulfillmentOrders.set(order.id, [{ id: Number(`8${order.id.slice(1)}`), status: 'open', lineItems }]);
  }
  if (shop.integration === 'woocommerce') fakes.woocommerce.orders.set(order.id, { id: Number(order.id), status: 'processing', meta_data: [] });
}

/**
 * The platform shops push in their own formats to their platform webhook URLs: each first order is
 * delivered twice (a platform's retry: answered, nothing new), and the last Shopify and WooCommerce
 * orders are cancelled on the platform before anything ships.
 */
export async function pushPlatformOrders(client: DemoClient, network: DemoNetwork, shops: DemoPlatformShop[], fakes: PlatformFakes, count: number, serial: string): Promise<PlatformOutcome> {
  step(`Platform shops push ${count * shops.length} orders in their own formats (Shopify orders/create, WooCommerce order.created, Youzan trade_TradePaid)`);
  const outcome: PlatformOutcome = { pushed: { shopify: 0, woocommerce: 0, youzan: 0 }, redeliveriesAnswered: 0, cancelled: 0, youzanOid: '' };
  let done = 0;
  for (const shop of shops) {
    const orders = planPlatformOrders(shop, network, count, serial);
    if (shop.integration === 'youzan') outcome.youzanOid = orders[Math.min(3, orders.length - 1)].lines[0].lineId;
    for (const [index, order] of orders.entries()) {
      registerOnPlatform(fakes, shop, order);
      const delivery = shop.deliver(order, `${shop.integration}-${order.id}`);
      const path = `/v1/shops/${shop.id}/webhooks/${shop.integration}`;
      const answer = await client.rawPost(path, delivery.headers, delivery.body);
      if (answer.status !== 200) throw new Error(`${shop.name} delivery of ${order.id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      outcome.pushed[shop.integration]++;
      if (index === 0) {
        const again = await client.rawPost(path, delivery.headers, delivery.body);
        if (again.status === 200) outcome.redeliveriesAnswered++;
      }
      if (index === orders.length - 1 && shop.integration !== 'youzan') {
        const cancellation = shop.deliver(order, `${shop.integration}-${order.id}-cancelled`, true);
        const answered = await client.rawPost(path, cancellation.headers, cancellation.body);
        if (answered.status !== 200) throw new Error(`${shop.name} cancellation of ${order.id} answered ${answered.status}: ${JSON.stringify(answered.body)}`);
        outcome.cancelled++;
      }
      progress('platform pushes', ++done, count * shops.length);
    }
  }
  return outcome;
}

/** Waits until every platform call (shipments, stock) has been made, then counts what each platform received. */
export async function platformCallsTold(db: Client, fakes: PlatformFakes, youzanOid: string): Promise<Record<string, number>> {
  await waitFor('platform calls', async () => (await db.query(`select count(*)::int as open from platform_call where status not in ('done', 'skipped', 'failed')`)).rows[0].open === 0, 60_000).catch(
    (error: Error) => console.warn(`  ${error.message}`),
  );
  const failed = (await db.query(`select count(*)::int as failed from platform_call where status = 'failed'`)).rows[0].failed as number;
  return {
    shopifyFulfillments: fakes.shopify.on('POST', /fulfillments\.json$/).filter((request) => request.status < 300).length,
    shopifyInventorySets: fakes.shopify.on('POST', /inventory_levels\/set\.json$/).length,
    wooOrderUpdates: fakes.woocommerce.on('PUT', /\/orders\/\d+$/).filter((request) => request.status < 300).length,
    wooStockBatches: fakes.woocommerce.on('POST', /batch$/).length,
    youzanConfirmations: fakes.youzan.on('POST', /youzan\.logistics\.online\.confirm/).length,
    youzanQuantityUpdates: fakes.youzan.on('POST', /youzan\.item\.quantity\.update/).length,
    failed,
    // The oid (above 2^53) as the shop order line keeps it, and as Youzan was told it back.
    youzanOidKept: Number((await db.query(`select count(*)::int as n from channel_order_line where external_line_id = $1`, [youzanOid])).rows[0].n),
    youzanOidToldBack: fakes.youzan.on('POST', /youzan\.logistics\.online\.confirm/).filter((request) =>
      String(request.body?.oids ?? '')
        .split(',')
        .includes(youzanOid),
    ).length,
  };
}
