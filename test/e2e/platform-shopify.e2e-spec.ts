import { expectError, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted } from '../support/order-network';
import { channelOrderOf, createPlatformShop, fulfillmentOrdersOf, receiptOf, storedFor } from '../support/platform-payloads/platform-shops';
import { SHOPIFY_DOMAIN, shopifyHeaders, shopifyOrderJson, shopifyRefundJson } from '../support/platform-payloads/shopify';
import { wooHeaders, wooOrderJson } from '../support/platform-payloads/woocommerce';
import { useStage } from '../support/stage';

/** Shopify's own webhooks, as Shopify signs and sends them, become orders and cancellations like native pushes. */
describe('platform webhooks: Shopify', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const SECRET = 'shpss_0123456789abcdef';
  let network: OrderNetwork;
  let shop: { id: string; path: string };
  let next = 5_000_000_000_000_000_000n;
  /** Shopify ids are above 2^53: each test takes fresh ones. */
  const id = () => String(next++);

  const deliver = (body: string, topic: string, webhookId = id(), options: Parameters<typeof shopifyHeaders>[4] & { secret?: string; path?: string } = {}) =>
    api.request('POST', options.path ?? shop.path, { rawBody: body, headers: shopifyHeaders(body, options.secret ?? SECRET, topic, webhookId, options) });
  const routedOrder = async (externalOrderId: string) => {
    const order = await channelOrderOf(database.url, shop.id, externalOrderId);
    expect(order).not.toBeNull();
    return orderRouted(api, network, order!.id);
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    shop = await createPlatformShop(api, network, 'shopify', { shopDomain: SHOPIFY_DOMAIN, webhookSecret: SECRET, accessToken: 'shpat_0123456789abcdef' });
    expect(shop.path).toBe(`/v1/shops/${shop.id}/webhooks/shopify`);
  });

  it('orders/create: an order, money exact ("19.99" × 3), line ids kept, routed to the supplier; re-delivered, nothing new', async () => {
    const orderId = id();
    const lineId = id();
    const body = shopifyOrderJson({ id: orderId, lines: [{ id: lineId, variantId: id(), sku: 'TSHIRT', quantity: 3, price: '19.99' }], shipping: '10.00' });
    const webhookId = id();
    const first = await deliver(body, 'orders/create', webhookId);
    expectStatus(first, 200);
    expect(first.body).toEqual(expect.objectContaining({ received: true, outcome: 'applied', duplicate: false }));
    const order = await channelOrderOf(database.url, shop.id, orderId);
    expect(order).toEqual(expect.objectContaining({ goods_amount: '5997', total_amount: '6997' }));
    expect(order!.lines).toEqual([expect.objectContaining({ shop_sku_code: 'TSHIRT', external_line_id: lineId, quantity: 3, unit_price_amount: '1999' })]);
    const routed = await routedOrder(orderId);
    expect(routed.status).toBe('routed');
    expect(routed.lines[0].externalLineId).toBe(lineId);
    const [fo] = await fulfillmentOrdersOf(database.url, order!.id);
    expect(fo.supplier).toBe(network.factory.merchantId);
    const inbox = await api.get(`/v1/fulfillment-orders/${fo.id}`, network.factory.token);
    expectStatus(inbox, 200);
    expect(inbox.body.lines[0].quantity).toBe(3);

    const before = await storedFor(database.url, shop.id);
    const again = await deliver(body, 'orders/create', webhookId);
    expectStatus(again, 200);
    expect(again.body).toEqual(expect.objectContaining({ duplicate: true, outcome: 'applied' }));
    expect(await storedFor(database.url, shop.id)).toEqual(before);
    expect(await receiptOf(database.url, shop.id, webhookId)).toEqual(expect.objectContaining({ topic: 'orders/create', outcome: 'applied', external_order_id: orderId }));
  });

  it('orders/updated: of an order never received, ingests it; of one received, only a cancellation matters (recorded ignored, never a 409)', async () => {
    const orderId = id();
    const lines = [{ id: id(), variantId: id(), sku: 'MUG', quantity: 1, price: '39.00' }];
    expectStatus(await deliver(shopifyOrderJson({ id: orderId, lines }), 'orders/updated'), 200);
    expect((await channelOrderOf(database.url, shop.id, orderId))?.lines).toHaveLength(1);
    const changed = id();
    const answer = await deliver(shopifyOrderJson({ id: orderId, lines, note: 'changed the note' }), 'orders/updated', changed);
    expectStatus(answer, 200);
    expect(answer.body.outcome).toBe('ignored');
    expect((await receiptOf(database.url, shop.id, changed))?.detail).toContain('already received');
  });

  it("orders/cancelled: the supplier's fulfillment order is cancelled; a cancellation of an order never received is ignored", async () => {
    const orderId = id();
    const lines = [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 2, price: '59.90' }];
    expectStatus(await deliver(shopifyOrderJson({ id: orderId, lines }), 'orders/create'), 200);
    const routed = await routedOrder(orderId);
    const cancelled = await deliver(shopifyOrderJson({ id: orderId, lines, cancelledAt: '2026-11-30T11:00:00+08:00', financialStatus: 'refunded' }), 'orders/cancelled');
    expectStatus(cancelled, 200);
    expect(cancelled.body.outcome).toBe('applied');
    const [fo] = await fulfillmentOrdersOf(database.url, routed.id);
    expect(fo.status).toBe('cancelled');
    expect((await api.get(`/v1/channel-orders/${routed.id}`, network.distributor.token)).body.status).toBe('cancelled');
  });

  it('orders/cancelled before orders/create (the create failed and is retried): deferred, and the order is cancelled the moment it comes', async () => {
    const orderId = id();
    const lines = [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '59.90' }];
    const cancelWebhook = id();
    const early = await deliver(shopifyOrderJson({ id: orderId, lines, cancelledAt: '2026-11-30T11:00:00+08:00' }), 'orders/cancelled', cancelWebhook);
    expectStatus(early, 200);
    expect(early.body).toEqual(expect.objectContaining({ outcome: 'deferred', duplicate: false }));
    expect(await receiptOf(database.url, shop.id, cancelWebhook)).toEqual(expect.objectContaining({ outcome: 'deferred', external_order_id: orderId }));
    expect(await channelOrderOf(database.url, shop.id, orderId)).toBeNull();
    const created = await deliver(shopifyOrderJson({ id: orderId, lines }), 'orders/create');
    expectStatus(created, 200);
    expect(created.body).toEqual(expect.objectContaining({ outcome: 'applied', detail: expect.stringContaining('cancelled at once') }));
    const order = await channelOrderOf(database.url, shop.id, orderId);
    expect((await api.get(`/v1/channel-orders/${order!.id}`, network.distributor.token)).body.status).toBe('cancelled');
    expect(await receiptOf(database.url, shop.id, cancelWebhook)).toEqual(expect.objectContaining({ outcome: 'applied', detail: expect.stringContaining('applied when the order came') }));
    // Nothing reaches a supplier, and a later order of another id is not touched by it.
    expect((await fulfillmentOrdersOf(database.url, order!.id)).every((fo) => fo.status === 'cancelled')).toBe(true);
    const other = id();
    expectStatus(await deliver(shopifyOrderJson({ id: other, lines: [{ ...lines[0], id: id() }] }), 'orders/create'), 200);
    expect((await routedOrder(other)).status).toBe('routed');
  });

  it('the same orders/create sent twice at once after its cancellation came first: the order is cancelled whichever copy takes the receipt', async () => {
    for (let round = 0; round < 6; round++) {
      const orderId = id();
      const lines = [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '59.90' }];
      expectStatus(await deliver(shopifyOrderJson({ id: orderId, lines, cancelledAt: '2026-11-30T11:00:00+08:00' }), 'orders/cancelled'), 200);
      const body = shopifyOrderJson({ id: orderId, lines });
      const webhookId = id();
      const answers = await Promise.all([deliver(body, 'orders/create', webhookId), deliver(body, 'orders/create', webhookId)]);
      answers.forEach((answer) => expectStatus(answer, 200));
      // One copy created the order (its answer says so) and the order is cancelled, whichever copy took the receipt.
      expect(answers.filter((answer) => String(answer.body.detail).includes('received') && answer.body.outcome === 'applied').length).toBeGreaterThanOrEqual(1);
      const order = await channelOrderOf(database.url, shop.id, orderId);
      expect((await api.get(`/v1/channel-orders/${order!.id}`, network.distributor.token)).body.status).toBe('cancelled');
    }
  });

  it('refunds/create: units refunded with restock_type "cancel" are cancelled line by line, once; a refund of returned units is ignored', async () => {
    const orderId = id();
    const tshirtLine = id();
    const lines = [
      { id: tshirtLine, variantId: id(), sku: 'TSHIRT', quantity: 3, price: '19.99' },
      { id: id(), variantId: id(), sku: 'MUG', quantity: 1, price: '39.00' },
    ];
    expectStatus(await deliver(shopifyOrderJson({ id: orderId, lines }), 'orders/create'), 200);
    const routed = await routedOrder(orderId);
    const refund = shopifyRefundJson({ id: id(), orderId, lines: [{ id: id(), lineItemId: tshirtLine, quantity: 1, restockType: 'cancel' }] });
    const applied = await deliver(refund, 'refunds/create');
    expectStatus(applied, 200);
    expect(applied.body.outcome).toBe('applied');
    // The same refund delivered under another webhook id (Shopify sends duplicates) cancels nothing more.
    expectStatus(await deliver(refund, 'refunds/create'), 200);
    const order = await api.get(`/v1/channel-orders/${routed.id}`, network.distributor.token);
    expect(order.body.lines.find((line: { externalLineId: string }) => line.externalLineId === tshirtLine).cancelledQuantity).toBe(1);
    const returned = await deliver(shopifyRefundJson({ id: id(), orderId, lines: [{ id: id(), lineItemId: tshirtLine, quantity: 1, restockType: 'return' }] }), 'refunds/create');
    expectStatus(returned, 200);
    expect(returned.body.outcome).toBe('ignored');
  });

  it('a topic Gongxiao ignores is answered 200 and recorded as ignored, with why', async () => {
    const webhookId = id();
    const answer = await deliver('{"id":632910392,"title":"T-shirt"}', 'products/update', webhookId);
    expectStatus(answer, 200);
    expect(await receiptOf(database.url, shop.id, webhookId)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('products/update') }));
  });

  it("a line whose SKU matches no listing holds the order as unknown_shop_sku, naming Shopify's line id", async () => {
    const orderId = id();
    const lineId = id();
    expectStatus(await deliver(shopifyOrderJson({ id: orderId, lines: [{ id: lineId, variantId: id(), sku: 'NO-SUCH-SKU', quantity: 1, price: '9.90' }] }), 'orders/create'), 200);
    const held = await routedOrder(orderId);
    expect(held.status).toBe('exception');
    expect(held.exceptionCode).toBe('unknown_shop_sku');
    expect(held.exceptionReason).toContain(lineId);
  });

  it('bad input: tampered, wrong secret, unsigned, another shop, another platform, truncated, huge, wrong route — a 4xx with a code, nothing stored', async () => {
    const body = shopifyOrderJson({ id: id(), lines: [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '19.99' }] });
    const before = await storedFor(database.url, shop.id);
    const signed = shopifyHeaders(body, SECRET, 'orders/create', id());
    expectError(await api.request('POST', shop.path, { rawBody: body.replace('"19.99"', '"0.01"'), headers: signed }), 401, 'signature_mismatch');
    expectError(await deliver(body, 'orders/create', id(), { secret: 'not-the-secret-at-all' }), 401, 'signature_mismatch');
    const { 'x-shopify-hmac-sha256': _dropped, ...unsigned } = signed;
    expectError(await api.request('POST', shop.path, { rawBody: body, headers: unsigned }), 401, 'signature_missing');
    expectError(await deliver(body, 'orders/create', id(), { domain: 'someone-else.myshopify.com' }), 401, 'shop_domain_mismatch');
    const woo = wooOrderJson({ id: 7001, status: 'processing', lines: [{ id: 1, sku: 'TSHIRT', quantity: 1, priceLexeme: '19.99', subtotal: '19.99' }] });
    expectError(await api.request('POST', shop.path, { rawBody: woo, headers: wooHeaders(woo, SECRET, 'order.created', '1') }), 401, 'signature_missing');
    const truncated = body.slice(0, body.length / 2);
    const cut = await api.request('POST', shop.path, { rawBody: truncated, headers: shopifyHeaders(truncated, SECRET, 'orders/create', id()) });
    expect(cut.status).toBe(400);
    const huge = `{"id":1,"note":"${'x'.repeat(api.config.BODY_LIMIT_BYTES + 10)}"}`;
    expect((await api.request('POST', shop.path, { rawBody: huge, headers: shopifyHeaders(huge, SECRET, 'orders/create', id()) })).status).toBe(413);
    const old = await deliver(body, 'orders/create', id(), { triggeredAt: new Date(Date.now() - 80 * 3600_000).toISOString() });
    expectError(old, 400, 'delivery_out_of_tolerance');
    expectError(await deliver(body, 'orders/create', id(), { path: `/v1/shops/${shop.id}/webhooks/woocommerce` }), 400, 'integration_mismatch');
    expectError(await deliver(body, 'orders/create', id(), { path: `/v1/shops/${network.shop.id}/webhooks/shopify` }), 400, 'integration_mismatch');
    expectError(await deliver(body, 'orders/create', id(), { path: `/v1/shops/999999999/webhooks/shopify` }), 404, 'shop_not_found');
    expectError(await deliver(body, 'orders/create', id(), { path: `/v1/shops/${shop.id}/webhooks/magento` }), 404, 'integration_not_found');
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });

  it('a signed delivery that cannot become an order (no phone, no address, another currency, a bad line) is answered 200, refused with the reason, and listed for the distributor', async () => {
    const order = (orderId: string, extra: Partial<Parameters<typeof shopifyOrderJson>[0]> = {}) =>
      shopifyOrderJson({ id: orderId, lines: [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '19.99' }], ...extra });
    const ids = [id(), id(), id(), id()];
    const cases: [string, string, string][] = [
      [ids[0], order(ids[0]).replace(/"phone":"[^"]*"/g, '"phone":null'), 'consignee.phone'],
      [ids[1], order(ids[1]).replace(/"shipping_address":\{[^}]*\}/, '"shipping_address":null'), 'shipping_address'],
      [ids[2], order(ids[2], { currency: 'JPY' }), 'currency'],
      [ids[3], order(ids[3]).replace('"quantity":1,"requires_shipping"', '"quantity":0,"requires_shipping"'), 'lines'],
    ];
    const webhooks: string[] = [];
    for (const [, body, field] of cases) {
      const webhookId = id();
      webhooks.push(webhookId);
      const answer = await deliver(body, 'orders/create', webhookId);
      expectStatus(answer, 200);
      expect(answer.body).toEqual(expect.objectContaining({ received: true, outcome: 'refused', duplicate: false, detail: expect.stringContaining(field) }));
      const again = await deliver(body, 'orders/create', webhookId);
      expect(again.body).toEqual(expect.objectContaining({ outcome: 'refused', duplicate: true }));
    }
    for (const [orderId] of cases) expect(await channelOrderOf(database.url, shop.id, orderId)).toBeNull();
    // The distributor sees them, newest first, page by page; outcome filters; another merchant does not find the shop.
    const token = network.distributor.token;
    const refused = await api.get(`/v1/shops/${shop.id}/platform-deliveries?outcome=refused&limit=3`, token);
    expectStatus(refused, 200);
    expect(refused.body.data.map((row: { deliveryId: string }) => row.deliveryId)).toEqual([webhooks[3], webhooks[2], webhooks[1]]);
    expect(refused.body.data[0]).toEqual({
      deliveryId: webhooks[3],
      topic: 'orders/create',
      outcome: 'refused',
      detail: expect.stringContaining('lines'),
      externalOrderId: ids[3],
      receivedAt: expect.any(String),
    });
    const rest = await api.get(`/v1/shops/${shop.id}/platform-deliveries?outcome=refused&limit=3&cursor=${refused.body.nextCursor}`, token);
    expect(rest.body.data.map((row: { deliveryId: string }) => row.deliveryId)).toContain(webhooks[0]);
    const all = await api.get(`/v1/shops/${shop.id}/platform-deliveries?limit=200`, token);
    expect(all.body.data.map((row: { outcome: string }) => row.outcome)).toEqual(expect.arrayContaining(['applied', 'ignored', 'refused']));
    expectError(await api.get(`/v1/shops/${shop.id}/platform-deliveries?outcome=lost`, token), 400, 'validation_failed');
    expectError(await api.get(`/v1/shops/${shop.id}/platform-deliveries`, network.factory.token), 404, 'shop_not_found');
  });

  it('a disabled shop answers 403 to a correctly signed delivery', async () => {
    const other = await createPlatformShop(api, network, 'shopify', { shopDomain: 'second-shop.myshopify.com', webhookSecret: SECRET, accessToken: 'shpat_0123456789abcdef' });
    expectStatus(await api.patch(`/v1/shops/${other.id}`, { status: 'disabled' }, network.distributor.token), 200);
    const body = shopifyOrderJson({ id: id(), lines: [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '19.99' }] });
    expectError(await deliver(body, 'orders/create', id(), { path: other.path, domain: 'second-shop.myshopify.com' }), 403, 'shop_disabled');
    expect(await storedFor(database.url, other.id)).toEqual({ orders: 0, receipts: 0 });
  });
});
