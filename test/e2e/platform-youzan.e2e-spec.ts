import { expectError, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted } from '../support/order-network';
import { channelOrderOf, createPlatformShop, fulfillmentOrdersOf, receiptOf, storedFor } from '../support/platform-payloads/platform-shops';
import { shopifyHeaders, shopifyOrderJson } from '../support/platform-payloads/shopify';
import { YOUZAN_CLIENT_ID, YOUZAN_KDT_ID, youzanEnvelope, youzanFullOrderInfo, youzanHeaders, YouzanLine } from '../support/platform-payloads/youzan';
import { FakeYouzan } from '../support/platform-payloads/youzan-fake';
import { useStage } from '../support/stage';

/** Youzan (有赞) push messages, in the envelope and with the trade in the youzan.trade.get 4.0.0 shape. */
describe('platform webhooks: Youzan', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const SECRET = 'yz-secret-0123456789';
  const SUCCESS = { code: 0, msg: 'success' };
  let network: OrderNetwork;
  let shop: { id: string; path: string };
  let youzan: FakeYouzan;
  let next = 2873491203477823746n;
  /** Youzan ids are above 2^53 (the first oid is 2873491203477823746). */
  const id = () => String(next++);
  let tidCounter = 0;
  const tid = () => `E20261130100000${String(++tidCounter).padStart(6, '0')}`;
  const tshirt = (num: number, price = '19.99'): YouzanLine => ({ oid: id(), outerSkuId: 'TSHIRT', itemId: id(), skuId: id(), num, price });

  const push = (body: string, headers: Record<string, string> = youzanHeaders(body, SECRET, '')) => api.request('POST', shop.path, { rawBody: body, headers });
  const paidPush = (trade: string, full: string, type = 'trade_TradePaid', msgId?: string) =>
    youzanEnvelope({ type, tid: trade, msgJson: `{"full_order_info":${full}}`, secret: SECRET, ...(msgId ? { msgId } : {}) });

  beforeAll(async () => {
    youzan = await FakeYouzan.start();
    network = await buildOrderNetwork(api);
    shop = await createPlatformShop(api, network, 'youzan', { clientId: YOUZAN_CLIENT_ID, clientSecret: SECRET, kdtId: YOUZAN_KDT_ID, apiBaseUrl: youzan.url });
  });

  afterAll(async () => {
    await youzan?.close();
  });

  it('trade_TradePaid: an oid above 2^53 reaches the supplier\'s inbox unchanged, money exact ("19.99" × 3), answered {"code":0,"msg":"success"}; re-pushed, nothing new', async () => {
    const trade = tid();
    const line = tshirt(3);
    expect(line.oid).toBe('2873491203477823746');
    const body = paidPush(trade, youzanFullOrderInfo({ tid: trade, lines: [line], postFee: '10.00' }));
    const answer = await push(body);
    expectStatus(answer, 200);
    expect(answer.body).toEqual(SUCCESS);
    const order = await channelOrderOf(database.url, shop.id, trade);
    expect(order).toEqual(expect.objectContaining({ goods_amount: '5997', total_amount: '6997' }));
    expect(order!.lines).toEqual([expect.objectContaining({ shop_sku_code: 'TSHIRT', external_line_id: '2873491203477823746', quantity: 3, unit_price_amount: '1999' })]);
    const routed = await orderRouted(api, network, order!.id);
    expect(routed.status).toBe('routed');
    expect(routed.lines[0].externalLineId).toBe('2873491203477823746');
    const [fo] = await fulfillmentOrdersOf(database.url, order!.id);
    expect(fo.supplier).toBe(network.factory.merchantId);
    expectStatus(await api.get(`/v1/fulfillment-orders/${fo.id}`, network.factory.token), 200);

    const before = await storedFor(database.url, shop.id);
    expect((await push(body)).body).toEqual(SUCCESS);
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });

  it('a push carrying only the tid: the trade is fetched (token, then youzan.trade.get 4.0.0) from the Youzan API', async () => {
    const trade = tid();
    const line = tshirt(1, '59.90');
    youzan.trades.set(trade, youzanFullOrderInfo({ tid: trade, lines: [line] }));
    const body = youzanEnvelope({ type: 'trade_TradeBuyerPay', tid: trade, msgJson: `{"tid":"${trade}","update_time":"2026-11-30 10:01:00"}`, secret: SECRET });
    expect((await push(body)).body).toEqual(SUCCESS);
    const token = youzan.requests.find((request) => request.path === '/auth/token');
    expect(JSON.parse(token!.body)).toEqual({ client_id: YOUZAN_CLIENT_ID, client_secret: SECRET, authorize_type: 'silent', grant_id: YOUZAN_KDT_ID });
    const get = youzan.requests.filter((request) => request.path === '/api/youzan.trade.get/4.0.0');
    expect(get.at(-1)!.query.get('access_token')).toBe(youzan.token);
    expect(JSON.parse(get.at(-1)!.body)).toEqual({ tid: trade });
    expect((await channelOrderOf(database.url, shop.id, trade))!.lines[0]).toEqual(expect.objectContaining({ external_line_id: line.oid, unit_price_amount: '5990' }));
  });

  it('the header form (Event-Sign = md5(client_id + body + client_secret)) is taken too', async () => {
    const trade = tid();
    const body = paidPush(trade, youzanFullOrderInfo({ tid: trade, lines: [tshirt(1)] }));
    expect((await push(body, youzanHeaders(body, SECRET, 'trade_TradePaid', { headerSign: true }))).body).toEqual(SUCCESS);
    expect(await channelOrderOf(database.url, shop.id, trade)).not.toBeNull();
    expectError(await push(body.replace('"sendCount":0', '"sendCount":1'), youzanHeaders(body, SECRET, 'trade_TradePaid', { headerSign: true })), 401, 'signature_mismatch');
  });

  it('trade_TradeCreate: ignored until paid, ingested once paid', async () => {
    const unpaid = tid();
    const msgId = `${unpaid}-create`;
    const body = paidPush(unpaid, youzanFullOrderInfo({ tid: unpaid, status: 'WAIT_BUYER_PAY', payTime: '', lines: [tshirt(1)] }), 'trade_TradeCreate', msgId);
    expect((await push(body)).body).toEqual(SUCCESS);
    expect(await receiptOf(database.url, shop.id, msgId)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('not paid') }));
    expect(await channelOrderOf(database.url, shop.id, unpaid)).toBeNull();
    const paid = tid();
    expect((await push(paidPush(paid, youzanFullOrderInfo({ tid: paid, lines: [tshirt(1)] }), 'trade_TradeCreate'))).body).toEqual(SUCCESS);
    expect(await channelOrderOf(database.url, shop.id, paid)).not.toBeNull();
  });

  it("trade_TradeClose: the supplier's fulfillment order is cancelled; a close of a trade never received is deferred", async () => {
    const trade = tid();
    expect((await push(paidPush(trade, youzanFullOrderInfo({ tid: trade, lines: [tshirt(2)] })))).body).toEqual(SUCCESS);
    const order = await channelOrderOf(database.url, shop.id, trade);
    await orderRouted(api, network, order!.id);
    const close = youzanEnvelope({ type: 'trade_TradeClose', tid: trade, msgJson: `{"tid":"${trade}","close_type":1}`, secret: SECRET, status: 'TRADE_CLOSE' });
    expect((await push(close)).body).toEqual(SUCCESS);
    expect((await fulfillmentOrdersOf(database.url, order!.id))[0].status).toBe('cancelled');
    const neverMsg = `${trade}-never`;
    const never = youzanEnvelope({ type: 'trade_TradeClose', tid: 'E20260101000000999999', msgJson: '{"tid":"E20260101000000999999","close_type":1}', secret: SECRET, msgId: neverMsg });
    expect((await push(never)).body).toEqual(SUCCESS);
    expect((await receiptOf(database.url, shop.id, neverMsg))?.outcome).toBe('deferred');
  });

  it('legacy sign covers only msg: a forged envelope type on an unpaid msg creates no order; a forged close on a paid msg cancels nothing', async () => {
    const unpaid = tid();
    const forgedPaid = youzanEnvelope({
      type: 'trade_TradePaid',
      tid: unpaid,
      msgJson: `{"full_order_info":${youzanFullOrderInfo({ tid: unpaid, status: 'WAIT_BUYER_PAY', payTime: '', lines: [tshirt(1)] })}}`,
      secret: SECRET,
    });
    expect((await push(forgedPaid)).body).toEqual(SUCCESS);
    expect(await channelOrderOf(database.url, shop.id, unpaid)).toBeNull();
    const paid = tid();
    const full = youzanFullOrderInfo({ tid: paid, lines: [tshirt(1)] });
    expect((await push(paidPush(paid, full))).body).toEqual(SUCCESS);
    const order = await channelOrderOf(database.url, shop.id, paid);
    await orderRouted(api, network, order!.id);
    const forgedCloseMsg = `${paid}-forged-close`;
    // The signed msg of the paid push, re-sent in an envelope saying trade_TradeClose / TRADE_CLOSE (the envelope is not signed).
    const forgedClose = youzanEnvelope({ type: 'trade_TradeClose', tid: paid, msgJson: `{"full_order_info":${full}}`, secret: SECRET, status: 'TRADE_CLOSE', msgId: forgedCloseMsg });
    expect((await push(forgedClose)).body).toEqual(SUCCESS);
    expect(await receiptOf(database.url, shop.id, forgedCloseMsg)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('does not say the trade closed') }));
    expect((await fulfillmentOrdersOf(database.url, order!.id))[0].status).not.toBe('cancelled');
  });

  it('a message type Gongxiao ignores is answered success and recorded as ignored', async () => {
    const msgId = 'msg-item-update-1';
    const body = youzanEnvelope({ type: 'ITEM_INFO_UPDATE', tid: '1', msgJson: '{"item_id":2873491203477823999}', secret: SECRET, msgId });
    expect((await push(body)).body).toEqual(SUCCESS);
    expect(await receiptOf(database.url, shop.id, msgId)).toEqual(expect.objectContaining({ outcome: 'ignored', detail: expect.stringContaining('ITEM_INFO_UPDATE') }));
  });

  it('bad input: tampered msg, wrong secret, unsigned, another kdt_id, a Shopify payload, truncated, huge — a 4xx with a code, nothing stored', async () => {
    const trade = tid();
    const full = youzanFullOrderInfo({ tid: trade, lines: [tshirt(1)] });
    const body = paidPush(trade, full);
    const before = await storedFor(database.url, shop.id);
    expectError(await push(body.replace('19.99', '00.01')), 401, 'signature_mismatch');
    expectError(await push(youzanEnvelope({ type: 'trade_TradePaid', tid: trade, msgJson: `{"full_order_info":${full}}`, secret: 'not-the-secret' })), 401, 'signature_mismatch');
    expectError(await push(body.replace(/"sign":"[0-9a-f]+",/, '')), 401, 'signature_missing');
    const elsewhere = full.replace(/"node_kdt_id":\d+/, '"node_kdt_id":99999');
    expectError(await push(youzanEnvelope({ type: 'trade_TradePaid', tid: trade, msgJson: `{"full_order_info":${elsewhere}}`, secret: SECRET })), 401, 'kdt_id_mismatch');
    expectError(await push(youzanEnvelope({ type: 'trade_TradePaid', tid: trade, msgJson: '{}', secret: SECRET, kdtId: '99999' })), 401, 'kdt_id_mismatch');
    const shopify = shopifyOrderJson({ id: '820982911946154508', lines: [{ id: '866550311766439020', variantId: null, sku: 'TSHIRT', quantity: 1, price: '19.99' }] });
    expectError(await push(shopify, shopifyHeaders(shopify, SECRET, 'orders/create', '1')), 401, 'signature_missing');
    const truncatedMsg = youzanEnvelope({ type: 'trade_TradePaid', tid: trade, msgJson: `{"full_order_info":${full.slice(0, 200)}`, secret: SECRET });
    expectError(await push(truncatedMsg), 400, 'platform_payload_invalid');
    expect((await push(body.slice(0, 100))).status).toBe(400);
    const huge = `{"msg":"${'x'.repeat(api.config.BODY_LIMIT_BYTES + 10)}"}`;
    expect((await push(huge)).status).toBe(413);
    expect(await storedFor(database.url, shop.id)).toEqual(before);
  });
});
