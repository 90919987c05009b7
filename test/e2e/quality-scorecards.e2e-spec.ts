import { cny, expectError, expectStatus, partner, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

interface Row {
  id: string;
  label: string | null;
  [figure: string]: unknown;
}

/** Hours from routing to shipment of the ten parcels the distributor's T-shirt orders ship in: three after the 48 h standard. */
const HOURS_TO_SHIP = [1, 2, 3, 4, 5, 6, 7, 50, 60, 70];

/**
 * Scorecards (服务指标) against figures set up by hand: the distributor's 11 T-shirt orders (10 shipped,
 * 3 of them late, 1 cancelled before shipping, 2 returned by consumers, 3 reviewed of which 1 badly,
 * 1 parcel with a tracking number the carrier dictionary refuses, 2 interceptions of which 1 stopped
 * the parcel) give exact rates; a second distributor of the same factory sees only its own two mug
 * orders, and neither sees the other's — while the factory sees both.
 */
describe('quality: scorecards (服务指标)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let second: SignedUpMerchant;
  let secondShop: { id: string; secret: string };
  const tshirtOrders: { channelOrderId: string; externalOrderId: string; fulfillmentOrderId: string }[] = [];
  const mugOrders: { channelOrderId: string; externalOrderId: string; fulfillmentOrderId: string }[] = [];

  const scorecard = async (token: string, query: string) => {
    const response = await api.get(`/v1/quality/scorecards?${query}`, token);
    expectStatus(response, 200);
    return response.body.data as Row[];
  };

  const pushAndShip = async (shop: { id: string; secret: string }, token: string, code: string, unitPrice: number, ship: boolean) => {
    const order = shopOrder([{ code, quantity: 1, unitPrice }]);
    const push = await api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
    expectStatus(push, 202);
    const routed = await eventually(
      async () => {
        const response = await api.get(`/v1/channel-orders/${push.body.id}`, token);
        return response.body.status !== 'received' && response.body;
      },
      20_000,
      'routed',
    );
    expect(routed.status).toBe('routed');
    const fulfillmentOrderId = routed.lines[0].fulfillmentOrderId as string;
    if (ship) {
      const tracking = `SF${String(fulfillmentOrderId).padStart(12, '0')}`;
      expectStatus(await api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: tracking }, network.factory.token), 201);
    }
    return { channelOrderId: String(push.body.id), externalOrderId: order.externalOrderId, fulfillmentOrderId };
  };

  const pushReview = async (shop: { id: string; secret: string }, externalOrderId: string, id: string, rating: number) =>
    expectStatus(await api.signedPost(`/v1/shops/${shop.id}/reviews`, { externalReviewId: id, externalOrderId, lineNo: 1, rating }, shop.secret), 201);

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    second = await signUp(api, 'Second Street Shop', 'Sun', `second-${Math.random().toString(36).slice(2, 8)}@example.com`);
    await partner(api, network.factory, second);
    const shop = await api.post('/v1/shops', { platform: 'youzan', name: 'Second Street Youzan' }, second.token);
    expectStatus(shop, 201);
    secondShop = { id: shop.body.id, secret: shop.body.webhookSecret };
    expectStatus(await api.post('/v1/listings', { shopId: secondShop.id, shopSkuCode: 'MUG', offerId: network.offers.factoryMug, retailPrice: cny(PRICES.retailMug) }, second.token), 201);

    for (let index = 0; index < 11; index++) tshirtOrders.push(await pushAndShip(network.shop, network.distributor.token, 'TSHIRT', PRICES.retailTshirt, index < 10));
    for (let index = 0; index < 2; index++) mugOrders.push(await pushAndShip(secondShop, second.token, 'MUG', PRICES.retailMug, true));
    // The eleventh is cancelled before it ships.
    expectStatus(await api.post(`/v1/channel-orders/${tshirtOrders[10].channelOrderId}/cancel`, { reason: 'changed my mind' }, network.distributor.token), 200);
    // Two consumers return their T-shirt inside the window (approved at once), for two reasons.
    for (const [index, reason] of [
      [0, 'too small'],
      [1, 'damaged'],
    ] as const) {
      const opened = await api.post(
        `/v1/channel-orders/${tshirtOrders[index].channelOrderId}/returns`,
        { kind: 'return_and_refund', reason, lines: [{ lineNo: 1, quantity: 1 }] },
        network.distributor.token,
      );
      expectStatus(opened, 201);
      expect(opened.body.returns[0].status).toBe('approved');
    }
    // Two shipped orders are cancelled: the factory stops one parcel and fails to stop the other.
    for (const [index, outcome] of [
      [2, 'intercepted'],
      [3, 'failed'],
    ] as const) {
      const cancel = await api.post(`/v1/channel-orders/${tshirtOrders[index].channelOrderId}/cancel`, { reason: 'too late' }, network.distributor.token);
      expect(cancel.body.outcome).toBe('interception_requested');
      const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find(
        (item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === tshirtOrders[index].fulfillmentOrderId,
      );
      expectStatus(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome }, network.factory.token), 200);
    }
    await pushReview(network.shop, tshirtOrders[4].externalOrderId, 'RV-A', 1);
    await pushReview(network.shop, tshirtOrders[5].externalOrderId, 'RV-B', 5);
    await pushReview(network.shop, tshirtOrders[6].externalOrderId, 'RV-C', 5);
    await pushReview(secondShop, mugOrders[0].externalOrderId, 'RV-A', 2);

    // The clock of the parcels, by hand: each shipped `HOURS_TO_SHIP` after routing; one tracking number a legacy ERP mistyped.
    await withDatabase(database.url, async (client) => {
      for (const [index, hours] of HOURS_TO_SHIP.entries()) {
        await client.query(
          `with moved as (update fulfillment_order set shipped_at = created_at + make_interval(hours => $2) where id = $1 returning id, created_at)
           update shipment s set created_at = moved.created_at + make_interval(hours => $2) from moved where s.fulfillment_order_id = moved.id`,
          [tshirtOrders[index].fulfillmentOrderId, hours],
        );
      }
      await client.query(`update shipment set tracking_number = 'SF-TYPO' where fulfillment_order_id = $1`, [tshirtOrders[9].fulfillmentOrderId]);
    });
  });

  it('gives the distributor exact figures over its own orders', async () => {
    const [row, ...more] = await scorecard(network.distributor.token, 'scope=supplier');
    expect(more).toEqual([]);
    expect(row).toEqual(
      expect.objectContaining({
        // The distributor buys the T-shirts from the broker: it is never told of the factory above it.
        id: network.broker.merchantId,
        label: 'Hangzhou Bridge Trading',
        ordersRouted: 11,
        ordersDue: 10,
        ordersShippedOnTime: 7,
        onTimeShare: 0.7,
        avgHoursToShip: 20.8,
        p90HoursToShip: 61,
        overdueNow: 0,
        shipments: 10,
        validTrackingShare: 0.9,
        unitsOrdered: 11,
        unitsCancelled: 1,
        cancellationRate: 0.0909,
        unitsShipped: 10,
        unitsReturned: 2,
        returnRate: 0.2,
        returnsByReason: [
          { reason: 'damaged', units: 1, rate: 0.1 },
          { reason: 'too small', units: 1, rate: 0.1 },
        ],
        linesShipped: 10,
        linesReviewed: 3,
        linesBadReviewed: 1,
        badReviewRate: 0.3333,
        badReviewPerShippedLine: 0.1,
        interceptionRequests: 2,
        interceptionSuccessRate: 0.5,
      }),
    );
    // Per SKU and per warehouse, the same orders: one row each.
    const skus = await scorecard(network.distributor.token, 'scope=sku&days=7');
    expect(skus.map((sku) => [sku.id, sku.label, sku.ordersRouted, sku.returnRate])).toEqual([[network.skus.tshirt, 'TSHIRT-M T-shirt M', 11, 0.2]]);
    const warehouses = await scorecard(network.distributor.token, 'scope=warehouse&days=90');
    expect(warehouses.map((warehouse) => [warehouse.id, warehouse.label, warehouse.ordersRouted, warehouse.onTimeShare])).toEqual([
      [`seller:${network.broker.merchantId}`, 'Hangzhou Bridge Trading', 11, 0.7],
    ]);
  });

  it('gives the factory its own goods over every seller, the broker the hops it sells on', async () => {
    const [factory] = await scorecard(network.factory.token, 'scope=supplier');
    expect(factory).toEqual(expect.objectContaining({ ordersRouted: 13, shipments: 12, validTrackingShare: 0.9167, linesReviewed: 4, linesBadReviewed: 2, badReviewRate: 0.5 }));
    const skus = await scorecard(network.factory.token, 'scope=sku');
    expect(skus.map((sku) => [sku.id, sku.ordersRouted, sku.linesBadReviewed])).toEqual([
      [network.skus.mug, 2, 1],
      [network.skus.tshirt, 11, 1],
    ]);
    // The broker sells the T-shirts (factory → broker → distributor), not the mugs sold directly.
    const [broker, ...more] = await scorecard(network.broker.token, 'scope=sku');
    expect(more).toEqual([]);
    expect(broker).toEqual(expect.objectContaining({ id: network.skus.tshirt, ordersRouted: 11, returnRate: 0.2, badReviewRate: 0.3333 }));
  });

  it('never shows one seller another seller’s sales', async () => {
    const [row, ...more] = await scorecard(second.token, 'scope=supplier');
    expect(more).toEqual([]);
    expect(row).toEqual(
      expect.objectContaining({
        ordersRouted: 2,
        shipments: 2,
        unitsOrdered: 2,
        unitsReturned: 0,
        linesReviewed: 1,
        linesBadReviewed: 1,
        badReviewRate: 1,
        interceptionRequests: 0,
        interceptionSuccessRate: null,
      }),
    );
    expect((await scorecard(second.token, 'scope=sku')).map((sku) => sku.id)).toEqual([network.skus.mug]);
    expect((await scorecard(network.distributor.token, 'scope=sku')).map((sku) => sku.id)).toEqual([network.skus.tshirt]);
    expect(await scorecard(network.farm.token, 'scope=supplier')).toEqual([]);
  });

  it('counts a bad review by the supplier’s setting, and refuses other windows and scopes', async () => {
    expectStatus(await api.put('/v1/quality/settings', { badReviewMaxRating: 1 }, network.factory.token), 200);
    const [row] = await scorecard(second.token, 'scope=supplier');
    expect(row).toEqual(expect.objectContaining({ linesReviewed: 1, linesBadReviewed: 0, badReviewRate: 0 }));
    expectError(await api.get('/v1/quality/scorecards?scope=supplier&days=14', network.factory.token), 400, 'validation_failed', 'days');
    expectError(await api.get('/v1/quality/scorecards?scope=shop', network.factory.token), 400, 'validation_failed', 'scope');
    expectError(await api.get('/v1/quality/scorecards', network.factory.token), 400, 'validation_failed', 'scope');
    expectError(await api.get('/v1/quality/scorecards?scope=supplier', ''), 401, 'unauthenticated');
  });
});
