import { cny, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES } from '../support/order-network';
import { FakeShopify, FakeWooCommerce, FakeYouzan, PlatformRequestRecord } from '../../apps/demo/src/platform-fakes';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/** Above 2^53: it must reach Youzan as written, never through a JS number. */
const YOUZAN_OID = '2873491203477823746';
const YOUZAN_ITEM_ID = '2873491203477823799';
const YOUZAN_SKU_ID = '36547820123456789123';

/**
 * A distributor with a Shopify, a WooCommerce and a Youzan shop: the supplier's shipments and the
 * listings' stock reach each platform in the platform's own API, as its documentation shows, retried
 * when the platform fails for a moment and given up (visible to the distributor) when it refuses.
 */
describe('platform outbound: shipments and stock in each platform’s shape', () => {
  const { api } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '4' } });
  let network: OrderNetwork;
  let shopify: FakeShopify;
  let woo: FakeWooCommerce;
  let youzan: FakeYouzan;
  const shops = {} as Record<'shopify' | 'woocommerce' | 'youzan', { id: string; secret: string }>;

  const createShop = async (integration: keyof typeof shops, platformCredentials: Record<string, string>) => {
    const response = await api.post('/v1/shops', { platform: integration, name: `Happy Home ${integration}`, integration, platformCredentials }, network.distributor.token);
    expectStatus(response, 201);
    shops[integration] = { id: response.body.id, secret: response.body.webhookSecret };
  };
  const list = async (integration: keyof typeof shops, code: string, offerId: string, ids: Record<string, string>) =>
    expectStatus(await api.post('/v1/listings', { shopId: shops[integration].id, shopSkuCode: code, offerId, retailPrice: cny(PRICES.retailTshirt), ...ids }, network.distributor.token), 201);
  const calls = async (integration: keyof typeof shops, kind: string) =>
    (await api.get(`/v1/shops/${shops[integration].id}/platform-calls?kind=${kind}`, network.distributor.token)).body.data as any[];

  beforeAll(async () => {
    shopify = await FakeShopify.start('shpat_test_token_1');
    woo = await FakeWooCommerce.start('ck_test_consumer_key', 'cs_test_consumer_secret');
    youzan = await FakeYouzan.start('yz_client_1', 'yz_client_secret_1', '44152698');
    network = await buildOrderNetwork(api, { stock: 100 });
    await createShop('shopify', {
      shopDomain: 'sunny-goods.myshopify.com',
      webhookSecret: 'shpss_test_secret',
      accessToken: 'shpat_test_token_1',
      locationId: '655441491',
      apiBaseUrl: shopify.baseUrl,
    });
    await createShop('woocommerce', { siteUrl: woo.baseUrl, webhookSecret: 'wc_test_webhook_secret', consumerKey: 'ck_test_consumer_key', consumerSecret: 'cs_test_consumer_secret' });
    await createShop('youzan', { clientId: 'yz_client_1', clientSecret: 'yz_client_secret_1', kdtId: '44152698', apiBaseUrl: youzan.baseUrl });
    const { brokerTshirt, brokerMug } = network.offers;
    await list('shopify', 'TSHIRT', brokerTshirt, { platformProductId: '7513594', platformVariantId: '40282131', platformInventoryItemId: '808950810' });
    await list('shopify', 'MUG', brokerMug, {});
    await list('woocommerce', 'TSHIRT', brokerTshirt, { platformProductId: '794' });
    await list('woocommerce', 'MUG', brokerMug, { platformProductId: '799', platformVariantId: '805' });
    await list('youzan', 'TSHIRT', brokerTshirt, { platformProductId: YOUZAN_ITEM_ID, platformVariantId: YOUZAN_SKU_ID });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([shopify?.close(), woo?.close(), youzan?.close()]);
  });

  it('shows the platform ids on listings', async () => {
    const page = await api.get(`/v1/listings?shopId=${shops.youzan.id}`, network.distributor.token);
    expect(page.body.data[0]).toMatchObject({ shopSkuCode: 'TSHIRT', platformProductId: YOUZAN_ITEM_ID, platformVariantId: YOUZAN_SKU_ID, platformInventoryItemId: null });
    const changed = await api.patch(`/v1/listings/${page.body.data[0].id}`, { platformVariantId: YOUZAN_SKU_ID }, network.distributor.token);
    expect(changed.body.platformVariantId).toBe(YOUZAN_SKU_ID);
  });

  it('tells each platform what its listings may sell, in the platform’s own stock call', async () => {
    // Both factory warehouses hold 100 T-shirts and mugs: each listing may sell 200.
    const shopifySet = await eventually(
      async () => shopify.on('POST', /\/admin\/api\/2026-10\/inventory_levels\/set\.json$/).find((request) => request.body.available === 200),
      20_000,
      'Shopify inventory set',
    );
    expect(shopifySet.headers['x-shopify-access-token']).toBe('shpat_test_token_1');
    expect(shopifySet.rawBody).toBe('{"location_id":655441491,"inventory_item_id":808950810,"available":200}');
    const simple = await eventually(async () => woo.on('POST', /^\/wp-json\/wc\/v3\/products\/batch$/).find((request) => request.status === 200), 20_000, 'WooCommerce products batch');
    expect(simple.body).toEqual({ update: [{ id: 794, stock_quantity: 200, manage_stock: true }] });
    expectOAuthSigned(simple);
    const variations = await eventually(async () => woo.on('POST', /^\/wp-json\/wc\/v3\/products\/799\/variations\/batch$/)[0], 20_000, 'WooCommerce variations batch');
    expect(variations.body).toEqual({ update: [{ id: 805, stock_quantity: 200, manage_stock: true }] });
    const quantity = await eventually(async () => youzan.on('POST', /^\/api\/youzan\.item\.quantity\.update\/3\.0\.0$/)[0], 20_000, 'Youzan quantity update');
    expect(quantity.query.access_token).toMatch(/^token-\d+$/);
    expect(quantity.rawBody).toContain(`"item_id":"${YOUZAN_ITEM_ID}"`);
    expect(quantity.rawBody).toContain(`"sku_id":"${YOUZAN_SKU_ID}"`);
    expect(quantity.body).toMatchObject({ quantity: 200, type: 0 });
    expect(youzan.on('POST', /^\/auth\/token$/)[0].body).toEqual({ client_id: 'yz_client_1', client_secret: 'yz_client_secret_1', authorize_type: 'silent', grant_id: '44152698', refresh: false });
    // The mug listing has no Shopify inventory item: left out, and said so on the call.
    // (The shop's stock calls are made one after another: the one that carried the mug may not be the newest; when the
    // mug's change came alone, its call had nothing to set and was skipped, saying why.)
    const shopifyStock = await eventually(
      async () => (await calls('shopify', 'stock')).find((call) => ['done', 'skipped'].includes(call.status) && call.note?.includes('MUG')),
      20_000,
      'the Shopify stock call that left the mug out',
    );
    expect(shopifyStock.note).toContain('Not set (no Shopify inventory item id): MUG');
    expect(shopify.on('POST', /inventory_levels/).every((request) => request.body.inventory_item_id === 808950810)).toBe(true);

    // A stock change reaches every platform with the new value.
    expectStatus(await api.put('/v1/stock-levels', { warehouseId: network.warehouses.zhejiang, skuId: network.skus.tshirt, onHand: 60 }, network.factory.token), 200);
    await eventually(async () => shopify.on('POST', /inventory_levels\/set\.json$/).some((request) => request.body.available === 160), 20_000, 'Shopify told 160');
    await eventually(async () => woo.on('POST', /products\/batch$/).some((request) => request.body.update[0].stock_quantity === 160), 20_000, 'WooCommerce told 160');
    await eventually(async () => youzan.on('POST', /youzan\.item\.quantity\.update/).some((request) => request.body.quantity === 160), 20_000, 'Youzan told 160');
    // One token served every Youzan call.
    expect(youzan.tokensIssued).toBe(1);
  });

  it('tells each platform the supplier’s shipment: line ids, quantities, tracking and its own carrier name', async () => {
    shopify.fulfillmentOrders.set('450789469', [{ id: 1046000789, status: 'open', lineItems: [{ id: 1058737482, lineItemId: 466157049, quantity: 2, fulfillable: 2 }] }]);
    woo.orders.set('727', { id: 727, status: 'processing', meta_data: [{ id: 7, key: '_billing_note', value: 'keep' }] });
    // Shopify fails once: the call is tried again and goes through.
    shopify.failNext('/admin/api/2026-10/fulfillments.json', 500, { errors: 'Internal Server Error' });
    await pushAndShip('shopify', '450789469', '466157049', 'Shopify Buyer', 'SF', 'SF1234567890123');
    await pushAndShip('woocommerce', '727', '315', 'Woo Buyer', 'YTO', 'YT1234567890123');
    await pushAndShip('youzan', 'E20261201123456789012345', YOUZAN_OID, 'Youzan Buyer', '中通', '78123456789012');

    const shopifyCall = await eventually(async () => (await calls('shopify', 'shipment')).find((call) => call.status === 'done'), 20_000, 'the Shopify shipment done');
    expect(shopifyCall.attempts).toBe(2);
    const read = shopify.on('GET', /\/orders\/450789469\/fulfillment_orders\.json$/);
    expect(read[0].headers['x-shopify-access-token']).toBe('shpat_test_token_1');
    const created = shopify.on('POST', /\/admin\/api\/2026-10\/fulfillments\.json$/);
    expect(created.map((request) => request.status)).toEqual([500, 201]);
    expect(created[1].body).toEqual({
      fulfillment: {
        line_items_by_fulfillment_order: [{ fulfillment_order_id: 1046000789, fulfillment_order_line_items: [{ id: 1058737482, quantity: 2 }] }],
        tracking_info: { company: 'SF Express', number: 'SF1234567890123' },
        notify_customer: true,
      },
    });

    await eventually(async () => (await calls('woocommerce', 'shipment')).find((call) => call.status === 'done'), 20_000, 'the WooCommerce shipment done');
    const update = woo.on('PUT', /^\/wp-json\/wc\/v3\/orders\/727$/)[0];
    expectOAuthSigned(update);
    expect(update.body).toEqual({
      status: 'completed',
      meta_data: [
        {
          key: '_wc_shipment_tracking_items',
          value: [
            {
              tracking_provider: 'YTO Express',
              custom_tracking_provider: 'YTO Express',
              custom_tracking_link: '',
              tracking_number: 'YT1234567890123',
              date_shipped: expect.stringMatching(/^\d{10}$/),
              tracking_id: expect.stringMatching(/^[0-9a-f]{32}$/),
            },
          ],
        },
      ],
    });
    expect(woo.orders.get('727')!.meta_data.find((meta) => meta.key === '_billing_note')).toBeDefined();

    await eventually(async () => (await calls('youzan', 'shipment')).find((call) => call.status === 'done'), 20_000, 'the Youzan shipment done');
    const confirm = youzan.on('POST', /^\/api\/youzan\.logistics\.online\.confirm\/3\.0\.0$/)[0];
    expect(confirm.query.access_token).toMatch(/^token-\d+$/);
    expect(confirm.rawBody).toBe(`{"tid":"E20261201123456789012345","oids":"${YOUZAN_OID}","out_stype":"3","out_sid":"78123456789012","is_no_express":0}`);
  });

  it('adds each WooCommerce parcel to the order’s tracking items, completing the order with the last one', async () => {
    woo.orders.set('729', { id: 729, status: 'processing', meta_data: [] });
    await pushAndShip('woocommerce', '729', '317', 'Two Parcels Buyer', '顺丰', 'SF1111111111111', 'SF2222222222222');
    const updates = await eventually(async () => woo.on('PUT', /orders\/729$/).length === 2 && woo.on('PUT', /orders\/729$/), 20_000, 'two order updates');
    expect(updates[0].body.status).toBeUndefined();
    expect(updates[1].body.status).toBe('completed');
    const items = updates[1].body.meta_data[0].value as { tracking_number: string; tracking_provider: string }[];
    expect(items.map((item) => [item.tracking_provider, item.tracking_number])).toEqual([
      ['SF Express', 'SF1111111111111'],
      ['SF Express', 'SF2222222222222'],
    ]);
  });

  it('does not fulfil a Shopify parcel twice when the answer to its fulfillment was lost', async () => {
    shopify.fulfillmentOrders.set('450789470', [{ id: 1046000800, status: 'open', lineItems: [{ id: 1058737490, lineItemId: 466157050, quantity: 2, fulfillable: 2 }] }]);
    // Shopify creates the first parcel's fulfillment, but its answer never arrives: the call is retried.
    shopify.loseNextAnswer('/admin/api/2026-10/fulfillments.json', 502, { errors: 'Bad Gateway' });
    await pushAndShip('shopify', '450789470', '466157050', 'Lost Answer Buyer', 'SF', 'SF3333333333333', 'SF4444444444444');
    await eventually(async () => (await calls('shopify', 'shipment')).filter((call) => call.status === 'done').length === 3, 30_000, 'both parcels told to Shopify');
    const fulfillments = shopify.fulfillments.get('450789470')!;
    expect(fulfillments.map((fulfillment) => [fulfillment.tracking_number, fulfillment.line_items])).toEqual([
      ['SF3333333333333', [{ id: 466157050, quantity: 1 }]],
      ['SF4444444444444', [{ id: 466157050, quantity: 1 }]],
    ]);
    expect(shopify.on('GET', /\/admin\/api\/2026-10\/orders\/450789470\/fulfillments\.json$/).length).toBeGreaterThanOrEqual(3);
    const told = (await calls('shopify', 'shipment')).find((call) => call.attempts === 2 && call.note?.includes('SF3333333333333'));
    expect(told).toBeDefined();
  });

  it('adds no second WooCommerce tracking item for a tracking number the order has already', async () => {
    const handmade = { tracking_provider: 'SF Express', custom_tracking_provider: '', tracking_number: 'SF5555555555555', date_shipped: '1764547200', tracking_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
    woo.orders.set('730', { id: 730, status: 'processing', meta_data: [{ id: 9, key: '_wc_shipment_tracking_items', value: [handmade] }] });
    await pushAndShip('woocommerce', '730', '318', 'Hand Tracked Buyer', 'SF', 'SF5555555555555');
    await eventually(async () => woo.on('PUT', /orders\/730$/)[0], 20_000, 'the order completed');
    expect(woo.on('PUT', /orders\/730$/)[0].body).toEqual({ status: 'completed' });
    expect(woo.orders.get('730')!.meta_data.find((meta) => meta.key === '_wc_shipment_tracking_items')!.value).toEqual([handmade]);
  });

  it('gives up at once on a platform that refuses (401), keeping its message, where the distributor sees it', async () => {
    woo.orders.set('728', { id: 728, status: 'processing', meta_data: [] });
    woo.failNext('/wp-json/wc/v3/orders/728', 401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot view this resource.', data: { status: 401 } });
    await pushAndShip('woocommerce', '728', '316', 'Refused Buyer', 'SF', 'SF1234567890999');
    const failed = await eventually(async () => (await calls('woocommerce', 'shipment')).find((call) => call.status === 'failed'), 20_000, 'the refused call failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 401, kind: 'shipment' });
    expect(failed.lastError).toContain('Sorry, you cannot view this resource.');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(woo.on('GET', /orders\/728$/)).toHaveLength(1);
    expect(woo.on('PUT', /orders\/728$/)).toHaveLength(0);
    const failedOnly = await api.get(`/v1/shops/${shops.woocommerce.id}/platform-calls?status=failed`, network.distributor.token);
    expect(failedOnly.body.data.map((call: { id: string }) => call.id)).toEqual([failed.id]);
  });

  it('shows a shop’s platform calls only to the shop’s owner', async () => {
    expectStatus(await api.get(`/v1/shops/${shops.shopify.id}/platform-calls`, network.factory.token), 404);
    const page = await api.get(`/v1/shops/${shops.shopify.id}/platform-calls?limit=1`, network.distributor.token);
    expect(page.body.data).toHaveLength(1);
    const next = await api.get(`/v1/shops/${shops.shopify.id}/platform-calls?limit=1&cursor=${page.body.nextCursor}`, network.distributor.token);
    expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
  });

  it('makes a shop’s stock calls one after another: an older value retried never lands after a newer one', async () => {
    const settled = async () => (await calls('shopify', 'stock')).every((call) => ['done', 'skipped', 'failed'].includes(call.status));
    await eventually(settled, 20_000, 'earlier Shopify stock calls settled');
    // The first value told from now on fails twice with a 500 (retried after 1 s, then 2 s), whatever call carries it.
    let first: number | undefined;
    let failures = 0;
    shopify.failWhen((request) => {
      if (!request.path.endsWith('/inventory_levels/set.json')) return undefined;
      first ??= request.body.available;
      if (request.body.available !== first || failures >= 2) return undefined;
      failures++;
      return { status: 500, body: { errors: 'Internal Server Error' } };
    });
    const from = shopify.received.length;
    try {
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: network.warehouses.zhejiang, skuId: network.skus.tshirt, onHand: 30 }, network.factory.token), 200);
      await eventually(async () => failures >= 1, 20_000, 'the first stock call failing');
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: network.warehouses.zhejiang, skuId: network.skus.tshirt, onHand: 20 }, network.factory.token), 200);
      const told = () => shopify.received.slice(from).filter((request) => request.path.endsWith('/inventory_levels/set.json') && request.status === 200);
      await eventually(async () => told().some((request) => request.body.available === first! - 10) && (await settled()), 30_000, 'both stock calls settled');
      // The platform ends at the newer value: the older call went first, the newer one after it.
      expect(told().map((request) => request.body.available)).toEqual([first, first! - 10]);
    } finally {
      shopify.failWhen(null);
    }
  });

  /** Pushes a two-T-shirt order natively to the shop with the platform's ids, routes it, and ships it as the factory (whole, or one T-shirt per parcel). */
  async function pushAndShip(
    integration: keyof typeof shops,
    externalOrderId: string,
    externalLineId: string,
    consignee: string,
    carrierCode: string,
    trackingNumber: string,
    secondTrackingNumber?: string,
  ) {
    const order = {
      externalOrderId,
      currency: 'CNY',
      consignee: { name: consignee, phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 100 号' },
      lines: [{ shopSkuCode: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt, externalLineId }],
    };
    const push = await api.signedPost(`/v1/shops/${shops[integration].id}/orders`, order, shops[integration].secret);
    expectStatus(push, 202);
    expect((await orderRouted(api, network, push.body.id)).status).toBe('routed');
    const inbox = await api.get(`/v1/fulfillment-orders?status=new&limit=200`, network.factory.token);
    const fo = inbox.body.data.find((item: any) => item.consignee.name === consignee);
    expectStatus(await api.post(`/v1/fulfillment-orders/${fo.id}/acknowledge`, {}, network.factory.token), 200);
    if (!secondTrackingNumber) {
      expectStatus(await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode, trackingNumber }, network.factory.token), 201);
      return;
    }
    for (const number of [trackingNumber, secondTrackingNumber]) {
      expectStatus(await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode, trackingNumber: number, lines: [{ lineId: fo.lines[0].id, quantity: 1 }] }, network.factory.token), 201);
    }
  }
});

/** A plain-HTTP WooCommerce request carries OAuth 1.0a one-legged parameters in its query (the fake checked the signature). */
function expectOAuthSigned(request: PlatformRequestRecord) {
  expect(request.query).toEqual({
    oauth_consumer_key: 'ck_test_consumer_key',
    oauth_nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: expect.stringMatching(/^\d{10}$/),
    oauth_signature: expect.any(String),
  });
  expect(request.headers.authorization).toBeUndefined();
}
