import { cny, expectError, expectStatus, partner, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

type Shop = { id: string; secret: string };
type Seller = { merchant: SignedUpMerchant; shop: Shop; listingId: string };

/**
 * Automatic delisting (自动下架): a distributor's rule over its own MUG listings fires on the 6th counted
 * return of 100 shipped units (not on the 5th), pauses only its own listing (its shop is told
 * availability 0; another distributor of the same offer keeps selling), leaves routed orders alone, and
 * its owner reinstates it with a reason; a supplier's bad-review rule suspends its offer (every listing
 * down the chain at 0), and a warn-only rule only warns.
 */
describe('quality: automatic delisting', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;
  let first: Seller;
  let second: Seller;
  let ruleId: string;
  let delistingId: string;
  const orders: { channelOrderId: string; externalOrderId: string; fulfillmentOrderId: string }[] = [];
  let unshipped: { channelOrderId: string; fulfillmentOrderId: string };

  const availabilityEvents = (path: string) =>
    sink
      .on(path)
      .filter((call) => call.body?.event === 'listing.availability_changed')
      .flatMap((call) => call.body.data.listings as { shopSkuCode: string; available: number }[]);
  const latestMug = (path: string) =>
    availabilityEvents(path)
      .filter((item) => item.shopSkuCode === 'MUG')
      .at(-1)?.available;
  const pulled = async (seller: Seller) => {
    const page = await api.get(`/v1/listing-availability?shopId=${seller.shop.id}`, seller.merchant.token);
    return page.body.data.find((item: { listingId: string }) => item.listingId === seller.listingId)?.available as number | undefined;
  };
  /** Waits until every sales_quality.changed event was evaluated, so "nothing fired" means what it says. */
  const evaluated = () =>
    eventually(
      async () =>
        withDatabase(database.url, async (client) => (await client.query(`select count(*)::int as n from outbox_event where type = 'sales_quality.changed' and processed_at is null`)).rows[0].n === 0),
      20_000,
      'rules evaluated',
    );
  const delistings = async (token: string, query = '') => (await api.get(`/v1/quality/delistings${query}`, token)).body.data as { id: string; status: string; evidence: any; ruleId: string }[];

  const seller = async (name: string, path: string): Promise<Seller> => {
    const merchant = await signUp(api, name, 'Qian', `${path.slice(1)}-${Math.random().toString(36).slice(2, 8)}@example.com`);
    await partner(api, network.factory, merchant);
    const shop = await api.post('/v1/shops', { platform: 'youzan', name: `${name} Youzan`, callbackUrl: sink.url(path) }, merchant.token);
    expectStatus(shop, 201);
    const listing = await api.post('/v1/listings', { shopId: shop.body.id, shopSkuCode: 'MUG', offerId: network.offers.factoryMug, retailPrice: cny(PRICES.retailMug) }, merchant.token);
    expectStatus(listing, 201);
    return { merchant, shop: { id: shop.body.id, secret: shop.body.webhookSecret }, listingId: listing.body.id };
  };

  const push = async (shop: Shop, token: string, code: string, unitPrice: number) => {
    const order = shopOrder([{ code, quantity: 1, unitPrice }]);
    const pushed = await api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
    expectStatus(pushed, 202);
    const routed = await eventually(
      async () => {
        const response = await api.get(`/v1/channel-orders/${pushed.body.id}`, token);
        return response.body.status !== 'received' && response.body;
      },
      30_000,
      'routed',
    );
    expect(routed.status).toBe('routed');
    return { channelOrderId: String(pushed.body.id), externalOrderId: order.externalOrderId, fulfillmentOrderId: String(routed.lines[0].fulfillmentOrderId) };
  };
  const ship = async (fulfillmentOrderId: string) =>
    api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: `SF${fulfillmentOrderId.padStart(12, '0')}` }, network.factory.token);
  const returnOrder = async (channelOrderId: string, token: string) => {
    const opened = await api.post(`/v1/channel-orders/${channelOrderId}/returns`, { kind: 'return_and_refund', reason: 'damaged', lines: [{ lineNo: 1, quantity: 1 }] }, token);
    expectStatus(opened, 201);
    expect(opened.body.returns[0].status).toBe('approved');
  };

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { shopCallbackUrl: sink.url('/main'), stock: 1000 });
    first = await seller('First Mug Shop', '/first');
    second = await seller('Second Mug Shop', '/second');
    for (const [who, token] of [
      ['factory', network.factory.token],
      ['broker', network.broker.token],
      ['first-hooks', first.merchant.token],
    ] as const) {
      const events = ['offer.delisted', 'offer.reinstated', 'listing.delisted', 'listing.reinstated', 'quality.warning'];
      expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url(`/${who}`), events }, token), 201);
    }
    for (let batch = 0; batch < 10; batch++) {
      const pushed = await Promise.all(Array.from({ length: 10 }, () => push(first.shop, first.merchant.token, 'MUG', PRICES.retailMug)));
      orders.push(...pushed);
    }
    for (const order of orders) expectStatus(await ship(order.fulfillmentOrderId), 201);
    // Routed before the rule fires, shipped after it: a delisting never touches routed orders.
    unshipped = await push(first.shop, first.merchant.token, 'MUG', PRICES.retailMug);
    await push(second.shop, second.merchant.token, 'MUG', PRICES.retailMug);
  }, 300_000);

  afterAll(async () => {
    await sink?.close();
  });

  it('refuses bad rules naming the field, and hides other merchants’ rules', async () => {
    const base = { target: 'listings', skuId: network.skus.mug, metric: 'return_rate', thresholdPercent: 5, minOrders: 50, windowDays: 30, action: 'suspend' };
    expectError(await api.post('/v1/quality/delisting-rules', { ...base, thresholdPercent: 100.5 }, first.merchant.token), 400, /validation/, 'thresholdPercent');
    expectError(await api.post('/v1/quality/delisting-rules', { ...base, thresholdPercent: 5.123 }, first.merchant.token), 400, /validation/, 'thresholdPercent');
    expectError(await api.post('/v1/quality/delisting-rules', { ...base, windowDays: 91 }, first.merchant.token), 400, /validation/, 'windowDays');
    expectError(await api.post('/v1/quality/delisting-rules', { ...base, metric: 'vibes' }, first.merchant.token), 400, /validation/, 'metric');
    expectError(await api.post('/v1/quality/delisting-rules', { ...base, minOrders: 0 }, first.merchant.token), 400, /validation/, 'minOrders');
    const created = await api.post('/v1/quality/delisting-rules', base, first.merchant.token);
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ thresholdPercent: 5, minOrders: 50, windowDays: 30, enabled: true });
    ruleId = created.body.id;
    expectError(await api.patch(`/v1/quality/delisting-rules/${ruleId}`, { enabled: false }, second.merchant.token), 404, /not_found/);
    expectError(await api.request('DELETE', `/v1/quality/delisting-rules/${ruleId}`, { token: second.merchant.token }), 404, /not_found/);
    expect((await api.get('/v1/quality/delisting-rules', second.merchant.token)).body.data).toEqual([]);
    expect((await api.get('/v1/quality/delisting-rules', first.merchant.token)).body.data.map((rule: { id: string }) => rule.id)).toEqual([ruleId]);
  });

  it('does not fire on the 5th return of 100 shipped units, fires on the 6th with the evidence', async () => {
    for (const order of orders.slice(0, 5)) await returnOrder(order.channelOrderId, first.merchant.token);
    await evaluated();
    expect(await delistings(first.merchant.token)).toEqual([]);
    expect(await pulled(first)).toBeGreaterThan(0);

    await returnOrder(orders[5].channelOrderId, first.merchant.token);
    const [delisting] = await eventually(
      async () => {
        const found = await delistings(first.merchant.token, '?status=suspended');
        return found.length > 0 && found;
      },
      20_000,
      'the delisting',
    );
    delistingId = delisting.id;
    expect(delisting.ruleId).toBe(ruleId);
    expect(delisting.evidence).toMatchObject({ metric: 'return_rate', numerator: 6, denominator: 100, ordersCounted: 100, valuePercent: 6, thresholdPercent: 5 });
    expect(delisting.evidence.orderIds).toHaveLength(100);
    expect(delisting.evidence.orderIds).toContain(orders[0].fulfillmentOrderId);
    expect(delisting.evidence.rule).toMatchObject({ id: ruleId, metric: 'return_rate' });
    expect((await api.get(`/v1/quality/delistings/${delistingId}`, first.merchant.token)).body.pausedListingIds).toEqual([first.listingId]);
    expectError(await api.get(`/v1/quality/delistings/${delistingId}`, second.merchant.token), 404, /not_found/);
    // The owner is told; the factory (the seller it buys the mugs from, its direct partner) too, without the order ids.
    const told = await eventually(async () => sink.on('/first-hooks').find((call) => call.body?.event === 'listing.delisted'), 15_000, 'listing.delisted to the owner');
    expect(told.body.data).toMatchObject({ delistingId, listingIds: [first.listingId] });
    const factoryTold = await eventually(async () => sink.on('/factory').find((call) => call.body?.event === 'listing.delisted'), 15_000, 'listing.delisted to the factory');
    expect(factoryTold.body.data).toMatchObject({ delistingId, numerator: 6, denominator: 100 });
    expect(factoryTold.body.data.orderIds).toBeUndefined();
    expect(sink.on('/broker').some((call) => call.body?.event === 'listing.delisted')).toBe(false);
  });

  it("tells the rule owner's shop availability 0, and only for its own listing", async () => {
    await eventually(async () => latestMug('/first') === 0, 15_000, 'availability 0 at the first shop');
    expect(await pulled(first)).toBe(0);
    expect(await pulled(second)).toBeGreaterThan(0);
    expect(latestMug('/second')).toBeGreaterThan(0);
    const listing = (await api.get(`/v1/listings/${first.listingId}`, first.merchant.token)).body;
    expect(listing).toMatchObject({ status: 'paused', delistingId });
    // The ordinary resume refuses: the owner reinstates the delisting instead.
    expectError(await api.patch(`/v1/listings/${first.listingId}`, { status: 'active' }, first.merchant.token), 409, 'listing_delisted', 'status');
  });

  it('ships an order routed before the delisting', async () => {
    expectStatus(await ship(unshipped.fulfillmentOrderId), 201);
  });

  it('reinstates with a reason, tells the shop, refuses a second reinstatement and does not fire again on the old figures', async () => {
    expectError(await api.post(`/v1/quality/delistings/${delistingId}/reinstate`, {}, first.merchant.token), 400, /validation/, 'reason');
    expectError(await api.post(`/v1/quality/delistings/${delistingId}/reinstate`, { reason: 'x' }, second.merchant.token), 404, /not_found/);
    const reinstated = await api.post(`/v1/quality/delistings/${delistingId}/reinstate`, { reason: '换了供应批次 / new batch' }, first.merchant.token);
    expectStatus(reinstated, 200);
    expect(reinstated.body).toMatchObject({ status: 'reinstated', reinstatementReason: '换了供应批次 / new batch' });
    expect(reinstated.body.reinstatedByMemberId).toEqual(expect.any(String));
    expectError(await api.post(`/v1/quality/delistings/${delistingId}/reinstate`, { reason: 'again' }, first.merchant.token), 409, 'delisting_reinstated');
    await eventually(async () => (latestMug('/first') ?? 0) > 0, 15_000, 'availability back at the first shop');
    expect((await api.get(`/v1/listings/${first.listingId}`, first.merchant.token)).body).toMatchObject({ status: 'active', delistingId: null });
    await eventually(async () => sink.on('/first-hooks').some((call) => call.body?.event === 'listing.reinstated'), 15_000, 'listing.reinstated');
    // A 7th return of an old line: the rule counts only lines routed after the reinstatement.
    await returnOrder(orders[6].channelOrderId, first.merchant.token);
    await evaluated();
    expect((await delistings(first.merchant.token)).map((item) => item.status)).toEqual(['reinstated']);
    expect(await pulled(first)).toBeGreaterThan(0);
  });

  it("suspends the supplier's offer on its bad-review rule: every listing of it goes to 0", async () => {
    const rule = await api.post(
      '/v1/quality/delisting-rules',
      { target: 'offers', skuId: network.skus.tshirt, metric: 'bad_review_rate', thresholdPercent: 10, minOrders: 2, windowDays: 7, action: 'suspend' },
      network.factory.token,
    );
    expectStatus(rule, 201);
    const tshirts = [];
    for (let index = 0; index < 2; index++) tshirts.push(await push(network.shop, network.distributor.token, 'TSHIRT', PRICES.retailTshirt));
    for (const order of tshirts) expectStatus(await ship(order.fulfillmentOrderId), 201);
    expectStatus(
      await api.signedPost(`/v1/shops/${network.shop.id}/reviews`, { externalReviewId: 'RV-GOOD', externalOrderId: tshirts[0].externalOrderId, lineNo: 1, rating: 5 }, network.shop.secret),
      201,
    );
    await evaluated();
    expect(await delistings(network.factory.token)).toEqual([]);
    expectStatus(
      await api.signedPost(`/v1/shops/${network.shop.id}/reviews`, { externalReviewId: 'RV-BAD', externalOrderId: tshirts[1].externalOrderId, lineNo: 1, rating: 1 }, network.shop.secret),
      201,
    );
    const [delisting] = await eventually(
      async () => {
        const found = await delistings(network.factory.token);
        return found.length > 0 && found;
      },
      20_000,
      'the offer delisting',
    );
    expect(delisting.evidence).toMatchObject({ metric: 'bad_review_rate', numerator: 1, denominator: 2, ordersCounted: 2, valuePercent: 50 });
    const offer = (await api.get(`/v1/offers/${network.offers.factoryTshirt}`, network.factory.token)).body;
    expect(offer).toMatchObject({ status: 'suspended', delistingId: delisting.id });
    const tshirtListings = (await api.get('/v1/listings?limit=200', network.distributor.token)).body.data.filter((item: { shopSkuCode: string }) => item.shopSkuCode === 'TSHIRT');
    expect(tshirtListings).toHaveLength(2);
    for (const listing of tshirtListings) {
      const asSeller = { merchant: network.distributor, shop: { id: listing.shopId, secret: '' }, listingId: listing.id };
      await eventually(async () => (await pulled(asSeller)) === 0, 15_000, `T-shirt listing ${listing.id} at 0`);
    }
    await eventually(
      async () => sink.on('/main').some((call) => call.body?.data?.listings?.some((item: { shopSkuCode: string; available: number }) => item.shopSkuCode === 'TSHIRT' && item.available === 0)),
      15_000,
      'the shop told 0',
    );
    // The broker (the offer's direct buyer) is told; the distributor further down is not.
    const brokerTold = await eventually(async () => sink.on('/broker').find((call) => call.body?.event === 'offer.delisted'), 15_000, 'offer.delisted to the broker');
    expect(brokerTold.body.data).toMatchObject({ delistingId: delisting.id, offerIds: [network.offers.factoryTshirt] });
    expect(JSON.stringify(brokerTold.body.data)).not.toContain(String(PRICES.factoryTshirt));
    // A suspended offer can be changed (it stays suspended) and reinstated back to active.
    expect((await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 24 }, network.factory.token)).body.status).toBe('suspended');
    expectStatus(await api.post(`/v1/quality/delistings/${delisting.id}/reinstate`, { reason: 'supplier retrained packers' }, network.factory.token), 200);
    expect((await api.get(`/v1/offers/${network.offers.factoryTshirt}`, network.factory.token)).body).toMatchObject({ status: 'active', delistingId: null });
  });

  it('warn_only sends quality.warning and suspends nothing', async () => {
    const rule = await api.post(
      '/v1/quality/delisting-rules',
      { target: 'offers', skuId: network.skus.mug, metric: 'bad_review_rate', thresholdPercent: 0, minOrders: 1, windowDays: 30, action: 'warn_only' },
      network.factory.token,
    );
    expectStatus(rule, 201);
    expectStatus(await api.signedPost(`/v1/shops/${second.shop.id}/reviews`, { externalReviewId: 'RV-MUG', externalOrderId: 'none', lineNo: 1, rating: 1 }, second.shop.secret), 422);
    const order = orders[10];
    expectStatus(await api.signedPost(`/v1/shops/${first.shop.id}/reviews`, { externalReviewId: 'RV-MUG', externalOrderId: order.externalOrderId, lineNo: 1, rating: 1 }, first.shop.secret), 201);
    const warning = await eventually(async () => sink.on('/factory').find((call) => call.body?.event === 'quality.warning'), 20_000, 'quality.warning');
    expect(warning.body.data.evidence).toMatchObject({ metric: 'bad_review_rate', numerator: 1, denominator: 1 });
    const warned = (await delistings(network.factory.token, '?status=warned'))[0];
    expect(warned.ruleId).toBe(rule.body.id);
    expect((await api.get(`/v1/offers/${network.offers.factoryMug}`, network.factory.token)).body.status).toBe('active');
    expect(await pulled(second)).toBeGreaterThan(0);
  });
});
