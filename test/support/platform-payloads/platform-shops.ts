import { cny, expectStatus, withDatabase } from '../merchant-network';
import { OrderNetwork, PRICES } from '../order-network';
import { TestApi } from '../test-environment';

/** A platform shop of the network's distributor, listing the T-shirt and the mug under SKU codes TSHIRT and MUG. */
export async function createPlatformShop(api: TestApi, network: OrderNetwork, integration: 'shopify' | 'woocommerce' | 'youzan', platformCredentials: Record<string, string>) {
  const platform = integration;
  const shop = await api.post('/v1/shops', { platform, name: `Happy Home ${integration}`, integration, platformCredentials }, network.distributor.token);
  expectStatus(shop, 201);
  for (const [code, offerId, retail] of [
    ['TSHIRT', network.offers.brokerTshirt, PRICES.retailTshirt],
    ['MUG', network.offers.brokerMug, PRICES.retailMug],
  ] as const) {
    expectStatus(await api.post('/v1/listings', { shopId: shop.body.id, shopSkuCode: code, offerId, retailPrice: cny(retail) }, network.distributor.token), 201);
  }
  return { id: shop.body.id as string, path: shop.body.platformWebhookPath as string };
}

/** What a shop has stored: its orders, lines and webhook receipts (to show a refused delivery stored nothing). */
export function storedFor(databaseUrl: string, shopId: string) {
  return withDatabase(databaseUrl, async (client) => {
    const orders = await client.query(`select count(*)::int as n from channel_order where shop_id = $1`, [shopId]);
    const receipts = await client.query(`select count(*)::int as n from platform_webhook_receipt where shop_id = $1`, [shopId]);
    return { orders: orders.rows[0].n as number, receipts: receipts.rows[0].n as number };
  });
}

/** The shop's order with this external id, with its lines (null when never received). */
export function channelOrderOf(databaseUrl: string, shopId: string, externalOrderId: string) {
  return withDatabase(databaseUrl, async (client) => {
    const order = await client.query(
      `select id::text, status, exception_code, exception_reason, total_amount::text, goods_amount::text from channel_order where shop_id = $1 and external_order_id = $2`,
      [shopId, externalOrderId],
    );
    if (!order.rows[0]) return null;
    const lines = await client.query(`select line_no, shop_sku_code, external_line_id, quantity, unit_price_amount::text from channel_order_line where channel_order_id = $1 order by line_no`, [
      order.rows[0].id,
    ]);
    return { ...order.rows[0], lines: lines.rows } as {
      id: string;
      status: string;
      exception_code: string | null;
      exception_reason: string | null;
      total_amount: string;
      goods_amount: string;
      lines: { line_no: number; shop_sku_code: string; external_line_id: string | null; quantity: number; unit_price_amount: string }[];
    };
  });
}

/** The receipt of one delivery (WooCommerce's is recorded as `<delivery id>:<body hash>`: found by its delivery id too). */
export function receiptOf(databaseUrl: string, shopId: string, deliveryId: string) {
  return withDatabase(databaseUrl, async (client) => {
    const row = await client.query(
      `select topic, outcome, detail, external_order_id from platform_webhook_receipt where shop_id = $1 and (delivery_id = $2 or delivery_id like $3) order by received_at desc limit 1`,
      [shopId, deliveryId, `${deliveryId.replace(/[%_\\]/g, '\\$&')}:%`],
    );
    return (row.rows[0] ?? null) as { topic: string; outcome: string; detail: string | null; external_order_id: string | null } | null;
  });
}

/** The fulfillment orders (the suppliers' inbox) a shop order went to. */
export function fulfillmentOrdersOf(databaseUrl: string, channelOrderId: string) {
  return withDatabase(databaseUrl, async (client) => {
    const rows = await client.query(
      `select distinct fo.id::text as id, fo.supplier_merchant_id::text as supplier, fo.status from fulfillment_order fo join fulfillment_order_line l on l.fulfillment_order_id = fo.id where l.channel_order_id = $1 order by fo.id::text`,
      [channelOrderId],
    );
    return rows.rows as { id: string; supplier: string; status: string }[];
  });
}
