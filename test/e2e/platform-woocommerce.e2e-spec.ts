import { expectError, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted } from '../support/order-network';
import { channelOrderOf, createPlatformShop, fulfillmentOrdersOf, receiptOf, storedFor } from '../support/platform-payloads/platform-shops';
import { shopifyHeaders, shopifyOrderJson } from '../support/platform-payloads/shopify';
import { WOO_SITE, wooHeaders, WooLine, wooOrderJson } from '../support/platform-payloads/woocommerce';
import { useStage } from '../support/stage';

/** WooCommerce's own webhooks (order.created / order.updated), signed as class-wc-webhook.php signs them. */
describe('platform webhooks: WooCommerce', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const SECRET = 'woo-webhook-secret-42';
  let network: OrderNetwork;
  let shop: { id: string; path: string };
  let next = 4100;
  const id = () => next++;
  const tshirts = (quantity: number, price = '19.99'): WooLine[] => [
    { id: id(), sku: 'TSHIRT', quantity, priceLexeme: price, subtotal: ((Number(price.replace('.', '')) * quantity) / 100).toFixed(2) },
  ];

  const deliver = (body: string, topic: string, deliveryId = String(id()), options: Parameters<typeof wooHeaders>[4] & { secret?: string } = {}) =>
    api.request('POST', shop.path, { rawBody: body, headers: wooHeaders(body, options.secret ?? SECRET, topic, deliveryId, options) });

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    shop = await createPlatformShop(api, network, 'woocommerce', { siteUrl: WOO_SITE, webhookSecret: SECRET, consumerKey: 'ck_0123456789', consumerSecret: 'cs_0123456789' });
  });

  it('answers the ping WooCommerce sends when a webhook is saved (form-encoded, unsigned) with 200, storing nothing', async () => {
    const ping = await api.request('POST', shop.path, { rawBody: 'webhook_id=12', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectStatus(ping, 200);
    expect(ping.body.outcome).toBe('ping');
    expect(await storedFor(database.url, shop.id)).toEqual({ orders: 0, receipts: 0 });
  });

  it('order.created (processing): an order, money exact ("19.99" × 3), routed to the supplier; re-delivered, nothing new', async () => {
    const orderId = id();
    const lines = tshirts(3);
    const body = wooOrderJson({ id: orderId, status: 'processing', lines, state: 'CN12' });
    const delivery = String(id());
    const first = await deliver(body, 'order.created', delivery);
    expectStatus(first, 200);
    expect(first.body.outcome).toBe('applied');
    const order = await channelOrderOf(database.url, shop.id, String(orderId));
    expect(order).toEqual(expect.objectContaining({ goods_amount: '5997', total_amount: '6997' }));
    expect(order!.lines).toEqual([expect.objectContaining({ shop_sku_code: 'TSHIRT', external_line_id: String(lines[0].id), quantity: 3, unit_price_amount: '1999' })]);
    const routed = await orderRouted(api, network, order!.id);
    expect(routed.status).toBe('routed');
    expect((await fulfillmentOrdersOf(database.url, order!.id))[0].supplier).toBe(network.factory.merchantId);
    const before = await storedFor(database.url, shop.id);
    const again = await deliver(body, 'order.created', delivery);
    expectStatus(again, 200);
    expect(again.body.duplicate).toBe(true);
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });

  it('two orders of one webhook in the same second share a delivery id (wp_hash of webhook id + second): both become orders; the same body twice is one', async () => {
    const shared = `wc-${id()}`;
    const first = wooOrderJson({ id: id(), status: 'processing', lines: tshirts(1) });
    const secondId = id();
    const second = wooOrderJson({ id: secondId, status: 'processing', lines: tshirts(2) });
    expect((await deliver(first, 'order.created', shared)).body).toEqual(expect.objectContaining({ outcome: 'applied', duplicate: false }));
    expect((await deliver(second, 'order.created', shared)).body).toEqual(expect.objectContaining({ outcome: 'applied', duplicate: false }));
    expect(await channelOrderOf(database.url, shop.id, String(secondId))).not.toBeNull();
    const before = await storedFor(database.url, shop.id);
    expect((await deliver(second, 'order.created', shared)).body).toEqual(expect.objectContaining({ duplicate: true }));
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });

  it('reads a float price by its text, never as a float; a subtotal that does not divide uses the price lexeme', async () => {
    const orderId = id();
    // 3 × 33.33 = 99.99; price written by PHP as 33.33 (0.1 + 0.2 style floats never reach money).
    const body = wooOrderJson({ id: orderId, status: 'on-hold', lines: [{ id: id(), sku: 'MUG', quantity: 3, priceLexeme: '33.33', subtotal: '100.00' }] });
    expectStatus(await deliver(body, 'order.created'), 200);
    expect((await channelOrderOf(database.url, shop.id, String(orderId)))!.lines[0].unit_price_amount).toBe('3333');
  });

  it('pending / failed are not paid: ignored and recorded; paid later (order.updated), the order comes in', async () => {
    const orderId = id();
    const lines = tshirts(1);
    const pending = String(id());
    expectStatus(await deliver(wooOrderJson({ id: orderId, status: 'pending', lines }), 'order.created', pending), 200);
    expect(await receiptOf(database.url, shop.id, pending)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('not paid') }));
    expect(await channelOrderOf(database.url, shop.id, String(orderId))).toBeNull();
    expectStatus(await deliver(wooOrderJson({ id: orderId, status: 'processing', lines }), 'order.updated'), 200);
    expect(await channelOrderOf(database.url, shop.id, String(orderId))).not.toBeNull();
  });

  it("order.updated to cancelled: the supplier's fulfillment order is cancelled; refunded for an order never received is deferred", async () => {
    const orderId = id();
    const lines = tshirts(2);
    expectStatus(await deliver(wooOrderJson({ id: orderId, status: 'processing', lines }), 'order.created'), 200);
    const order = await channelOrderOf(database.url, shop.id, String(orderId));
    await orderRouted(api, network, order!.id);
    const cancelled = await deliver(wooOrderJson({ id: orderId, status: 'cancelled', lines }), 'order.updated');
    expectStatus(cancelled, 200);
    expect(cancelled.body.outcome).toBe('applied');
    expect((await fulfillmentOrdersOf(database.url, order!.id))[0].status).toBe('cancelled');
    const refunded = await deliver(wooOrderJson({ id: id(), status: 'refunded', lines }), 'order.updated');
    expectStatus(refunded, 200);
    expect(refunded.body.outcome).toBe('deferred');
  });

  it('a topic Gongxiao ignores (product.updated) is answered 200 and recorded as ignored', async () => {
    const delivery = String(id());
    expectStatus(await deliver('{"id":93,"name":"T-shirt"}', 'product.updated', delivery), 200);
    expect(await receiptOf(database.url, shop.id, delivery)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('product.updated') }));
  });

  it('a signed order that cannot become one (another currency, no phone, no address) is answered 200 and refused with the reason; a phone as written is taken', async () => {
    const before = await storedFor(database.url, shop.id);
    const gbp = await deliver(wooOrderJson({ id: id(), status: 'processing', lines: tshirts(1), currency: 'GBP' }), 'order.created');
    expectStatus(gbp, 200);
    expect(gbp.body).toEqual(expect.objectContaining({ outcome: 'refused', detail: expect.stringContaining('unsupported_currency') }));
    const noPhone = wooOrderJson({ id: id(), status: 'processing', lines: tshirts(1) }).replace('"phone":"13800138000"', '"phone":""');
    expect((await deliver(noPhone, 'order.created')).body).toEqual(expect.objectContaining({ outcome: 'refused', detail: expect.stringContaining('phone') }));
    const noAddress = wooOrderJson({ id: id(), status: 'processing', lines: tshirts(1) }).replace(/"address_1":"[^"]*","address_2":"[^"]*","city":"[^"]*"/g, '"address_1":"","address_2":"","city":""');
    expect((await deliver(noAddress, 'order.created')).body).toEqual(expect.objectContaining({ outcome: 'refused', detail: expect.stringContaining('address') }));
    expect(await storedFor(database.url, shop.id)).toEqual({ orders: before.orders, receipts: before.receipts + 3 });
    const written = id();
    const usPhone = wooOrderJson({ id: written, status: 'processing', lines: tshirts(1) }).replace('"phone":"13800138000"', '"phone":"(571) 555-0100 ext. 12"');
    expect((await deliver(usPhone, 'order.created')).body).toEqual(expect.objectContaining({ outcome: 'applied' }));
    expect(await channelOrderOf(database.url, shop.id, String(written))).not.toBeNull();
  });

  it('bad input: tampered, wrong secret, unsigned, another site, a Shopify payload, truncated, huge — a 4xx with a code, nothing stored', async () => {
    const body = wooOrderJson({ id: id(), status: 'processing', lines: tshirts(1) });
    const before = await storedFor(database.url, shop.id);
    const headers = wooHeaders(body, SECRET, 'order.created', String(id()));
    expectError(await api.request('POST', shop.path, { rawBody: body.replace('"19.99"', '"0.01"'), headers }), 401, 'signature_mismatch');
    expectError(await deliver(body, 'order.created', String(id()), { secret: 'wrong-secret-000' }), 401, 'signature_mismatch');
    const { 'x-wc-webhook-signature': _dropped, ...unsigned } = headers;
    expectError(await api.request('POST', shop.path, { rawBody: body, headers: unsigned }), 401, 'signature_missing');
    expectError(await deliver(body, 'order.created', String(id()), { source: 'https://other-shop.example/' }), 401, 'webhook_source_mismatch');
    const shopify = shopifyOrderJson({ id: '820982911946154508', lines: [{ id: '866550311766439020', variantId: null, sku: 'TSHIRT', quantity: 1, price: '19.99' }] });
    expectError(await api.request('POST', shop.path, { rawBody: shopify, headers: shopifyHeaders(shopify, SECRET, 'orders/create', '1') }), 401, 'signature_missing');
    const truncated = body.slice(0, 300);
    expect((await api.request('POST', shop.path, { rawBody: truncated, headers: wooHeaders(truncated, SECRET, 'order.created', String(id())) })).status).toBe(400);
    const huge = `{"id":1,"customer_note":"${'x'.repeat(api.config.BODY_LIMIT_BYTES + 10)}"}`;
    expect((await api.request('POST', shop.path, { rawBody: huge, headers: wooHeaders(huge, SECRET, 'order.created', String(id())) })).status).toBe(413);
    expectError(await api.request('POST', shop.path, { rawBody: 'webhook_id=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 401, 'signature_missing');
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });
});
