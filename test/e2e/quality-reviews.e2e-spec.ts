import { expectError, expectStatus, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

/**
 * Shops push consumers' reviews signed like orders: each is resolved to the fulfillment line it is
 * about, stored once per (shop, externalReviewId), and announced to the supplier of the goods. A bad
 * review is a rating of 2 or less unless the supplier sets otherwise.
 */
describe('quality: consumer reviews (评价)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let sink: WebhookSink;
  let order: ReturnType<typeof shopOrder>;
  let channelOrderId: string;
  let tshirtLineId: string;

  const url = () => `/v1/shops/${network.shop.id}/reviews`;
  const review = (overrides: Record<string, unknown> = {}) => ({
    externalReviewId: 'RV-1',
    externalOrderId: order.externalOrderId,
    externalLineId: 'L-TSHIRT',
    rating: 2,
    text: '有点起球',
    ...overrides,
  });
  const reviewCount = async () => (await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from consumer_review`))).rows[0].n as number;

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    sink = await WebhookSink.start();
    for (const [who, token] of [
      ['factory', network.factory.token],
      ['broker', network.broker.token],
      ['distributor', network.distributor.token],
    ] as const) {
      expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url(`/${who}`), events: ['review.received'] }, token), 201);
    }
    order = shopOrder([
      { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
    ]);
    order.lines[0] = { ...order.lines[0], externalLineId: 'L-TSHIRT' } as (typeof order.lines)[number];
    order.lines[1] = { ...order.lines[1], externalLineId: 'L-MUG' } as (typeof order.lines)[number];
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    channelOrderId = push.body.id;
    expect((await orderRouted(api, network, channelOrderId)).status).toBe('routed');
    const fulfillmentOrderId = (await api.get(`/v1/channel-orders/${channelOrderId}`, network.distributor.token)).body.lines[0].fulfillmentOrderId;
    const parcel = (await api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, network.factory.token)).body;
    tshirtLineId = parcel.lines.find((line: { skuId: string }) => line.skuId === network.skus.tshirt).id;
    // A review is of goods the consumer received: not before they ship.
    expectError(await api.signedPost(url(), review({ externalReviewId: 'RV-EARLY' }), network.shop.secret), 422, 'review_line_not_shipped', 'externalLineId');
    const parcels = new Set<string>(
      (await api.get(`/v1/channel-orders/${channelOrderId}`, network.distributor.token)).body.lines.map((line: { fulfillmentOrderId: string }) => line.fulfillmentOrderId),
    );
    for (const [index, id] of [...parcels].entries()) {
      expectStatus(
        await api.post(`/v1/fulfillment-orders/${id}/shipments`, { carrierCode: 'SF', trackingNumber: `SF${String(channelOrderId).padStart(11, '0')}${index}` }, network.factory.token),
        201,
      );
    }
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('refuses unsigned and badly signed pushes, and pushes of another shop', async () => {
    expectError(await api.request('POST', url(), { body: review() }), 401, 'timestamp_missing');
    expectError(await api.signedPost(url(), review(), 'whsec_wrong'), 401, 'unauthenticated');
    expectError(await api.signedPost(url(), review(), network.shop.secret, { signature: 'v1=' + '0'.repeat(64) }), 401, 'unauthenticated');
    expectError(await api.signedPost(url(), review(), network.shop2.secret), 401, 'unauthenticated');
    // Shop 2, correctly signed, cannot review shop 1's order: to shop 2 it does not exist.
    expectError(await api.signedPost(`/v1/shops/${network.shop2.id}/reviews`, review(), network.shop2.secret), 422, 'review_order_unknown', 'externalOrderId');
    expect(await reviewCount()).toBe(0);
  });

  it('names the wrong field and changes nothing on bad input', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ rating: 6 }, 400, 'validation_failed', 'rating'],
      [{ rating: 0 }, 400, 'validation_failed', 'rating'],
      [{ rating: 4.5 }, 400, 'validation_failed', 'rating'],
      [{ rating: '5' }, 400, 'validation_failed', 'rating'],
      [{ text: 'x'.repeat(2001) }, 400, 'validation_failed', 'text'],
      [{ externalReviewId: '' }, 400, 'validation_failed', 'externalReviewId'],
      [{ createdAt: 'yesterday' }, 400, 'validation_failed', 'createdAt'],
      [{ externalLineId: undefined }, 400, 'validation_failed', 'externalLineId'],
      [{ externalOrderId: 'NO-SUCH-ORDER' }, 422, 'review_order_unknown', 'externalOrderId'],
      [{ externalLineId: 'L-NOPE' }, 422, 'review_line_unknown', 'externalLineId'],
      [{ externalLineId: undefined, lineNo: 3 }, 422, 'review_line_unknown', 'lineNo'],
      [{ externalLineId: undefined, shopSkuCode: 'HONEY' }, 422, 'review_line_unknown', 'shopSkuCode'],
    ];
    for (const [overrides, status, code, field] of cases) {
      expectError(await api.signedPost(url(), review(overrides), network.shop.secret), status, code, field);
    }
    expect(await reviewCount()).toBe(0);
  });

  it('stores a review once: 201, then 200 unchanged for the same content, 409 for other content', async () => {
    const first = await api.signedPost(url(), review(), network.shop.secret);
    expectStatus(first, 201);
    expect(first.body).toEqual(expect.objectContaining({ externalReviewId: 'RV-1', rating: 2, bad: true, fulfillmentOrderLineId: tshirtLineId, duplicate: false }));
    const again = await api.signedPost(url(), review(), network.shop.secret);
    expectStatus(again, 200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expectError(await api.signedPost(url(), review({ rating: 5 }), network.shop.secret), 409, 'review_conflict', 'externalReviewId');
    expectError(await api.signedPost(url(), review({ text: '其实还行' }), network.shop.secret), 409, 'review_conflict', 'externalReviewId');
    expect(await reviewCount()).toBe(1);
    // The mug by its line number and by its SKU code: a 3 is not bad by default.
    const mug = await api.signedPost(url(), review({ externalReviewId: 'RV-2', externalLineId: undefined, lineNo: 2, rating: 3 }), network.shop.secret);
    expectStatus(mug, 201);
    expect(mug.body.bad).toBe(false);
    const bySku = await api.signedPost(
      url(),
      review({ externalReviewId: 'RV-3', externalLineId: undefined, shopSkuCode: 'MUG', rating: 5, createdAt: '2030-01-02T03:04:05+08:00' }),
      network.shop.secret,
    );
    expectStatus(bySku, 201);
    expect(bySku.body.reviewedAt).toBe('2030-01-01T19:04:05.000Z');
  });

  it('lets the supplier say what a bad review is; only it may set it, within 1..4', async () => {
    expect((await api.get('/v1/quality/settings', network.factory.token)).body).toEqual({ badReviewMaxRating: 2, updatedAt: null });
    expectError(await api.put('/v1/quality/settings', { badReviewMaxRating: 5 }, network.factory.token), 400, 'validation_failed', 'badReviewMaxRating');
    expectError(await api.put('/v1/quality/settings', {}, network.factory.token), 400, 'validation_failed', 'badReviewMaxRating');
    const put = await api.put('/v1/quality/settings', { badReviewMaxRating: 3 }, network.factory.token);
    expectStatus(put, 200);
    expect(put.body.badReviewMaxRating).toBe(3);
    // The distributor's own setting concerns goods it supplies, not the factory's.
    expectStatus(await api.put('/v1/quality/settings', { badReviewMaxRating: 1 }, network.distributor.token), 200);
    const mug = await api.signedPost(url(), review({ externalReviewId: 'RV-2', externalLineId: undefined, lineNo: 2, rating: 3 }), network.shop.secret);
    expectStatus(mug, 200);
    expect(mug.body.bad).toBe(true);
  });

  it('announces each review once to the supplier of the goods, never to the sellers', async () => {
    await eventually(async () => sink.on('/factory').length >= 3, 20_000, 'three review notices');
    await waitUntilSettled(database.url);
    const notices = sink.on('/factory').map((call) => call.body);
    expect(notices.map((notice) => notice.event)).toEqual(['review.received', 'review.received', 'review.received']);
    expect(notices.find((notice) => notice.data.rating === 2).data).toEqual(
      expect.objectContaining({ skuId: network.skus.tshirt, warehouseId: network.warehouses.zhejiang, fulfillmentOrderLineId: tshirtLineId, text: '有点起球' }),
    );
    expect(sink.on('/broker')).toEqual([]);
    expect(sink.on('/distributor')).toEqual([]);
  });
});
