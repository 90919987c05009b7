import { MikroORM, RequestContext } from '@mikro-orm/core';
import { OverdueSweepService } from '@gongxiao/fulfillment';
import { expectError, expectStatus, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

const HOUR = 3_600_000;

/**
 * The 48-hour ship-by standard (一件代发 48 小时发货): the origin offer's standard is frozen on each
 * fulfillment order at routing; a sweep run with a fake clock finds an order not overdue at 47 h and
 * overdue at 49 h, and announces it once to the supplier and once to the distributor, however often
 * (or concurrently) it runs. The inbox and the distributor's order list show and filter it.
 */
describe('quality: overdue orders (超时未发货)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let sink: WebhookSink;
  const orders: Record<string, { channelOrderId: string; fulfillmentOrderId: string; createdAt: number }> = {};

  const sweepAt = (at: Date) => RequestContext.create(api.app.get(MikroORM).em, () => api.app.get(OverdueSweepService).markOverdue(at));
  const overdueOn = (path: string) => sink.on(path).filter((call) => call.body.event === 'order.overdue');

  const pushOrder = async (name: string) => {
    const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { name });
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    const routed = await orderRouted(api, network, push.body.id);
    expect(routed.status).toBe('routed');
    const fulfillmentOrderId = routed.lines[0].fulfillmentOrderId as string;
    const inbox = await api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, network.factory.token);
    expectStatus(inbox, 200);
    orders[name] = { channelOrderId: push.body.id, fulfillmentOrderId, createdAt: new Date(inbox.body.createdAt).getTime() };
    return inbox.body;
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    sink = await WebhookSink.start();
    for (const [who, token] of [
      ['factory', network.factory.token],
      ['broker', network.broker.token],
      ['distributor', network.distributor.token],
    ] as const) {
      expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url(`/${who}`), events: ['order.overdue'] }, token), 201);
    }
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('keeps a ship-by standard on each offer: 48 h by default, 1..720, shown to the seller and its buyer', async () => {
    const own = await api.get('/v1/offers', network.factory.token);
    expect(own.body.data.find((offer: { id: string }) => offer.id === network.offers.factoryTshirt).shipWithinHours).toBe(48);
    expectError(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 0 }, network.factory.token), 400, 'validation_failed', 'shipWithinHours');
    expectError(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 721 }, network.factory.token), 400, 'validation_failed', 'shipWithinHours');
    expectError(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 1.5 }, network.factory.token), 400, 'validation_failed', 'shipWithinHours');
    // The broker promises 12 h to its buyer; the factory's (origin) standard is the one the parcel is held to.
    const broker = await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { shipWithinHours: 12 }, network.broker.token);
    expectStatus(broker, 200);
    expect(broker.body.shipWithinHours).toBe(12);
    const available = await api.get('/v1/available-offers', network.broker.token);
    expectStatus(available, 200);
    expect(available.body.data.find((offer: { id: string }) => offer.id === network.offers.factoryTshirt).shipWithinHours).toBe(48);
  });

  it('freezes ship-by at routing from the origin offer: routed at + 48 h, not overdue yet', async () => {
    const a = await pushOrder('a');
    expect(new Date(a.shipBy).getTime() - orders.a.createdAt).toBe(48 * HOUR);
    expect(a.overdue).toBe(false);
    // A later change of the standard leaves routed orders alone.
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 24 }, network.factory.token), 200);
    expect((await api.get(`/v1/fulfillment-orders/${orders.a.fulfillmentOrderId}`, network.factory.token)).body.shipBy).toBe(a.shipBy);
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shipWithinHours: 48 }, network.factory.token), 200);
    await pushOrder('b');
    await pushOrder('shipped');
    expectStatus(await api.post(`/v1/fulfillment-orders/${orders.shipped.fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000777' }, network.factory.token), 201);
  });

  it('is not overdue at 47 h, overdue at 49 h: announced once per order to the supplier and the distributor, never the broker', async () => {
    const start = Math.max(orders.a.createdAt, orders.b.createdAt);
    expect(await sweepAt(new Date(start + 47 * HOUR))).toBe(0);
    // Two sweeps at once, then a third: each order is marked (and its event written) once.
    const [first, second] = await Promise.all([sweepAt(new Date(start + 49 * HOUR)), sweepAt(new Date(start + 49 * HOUR))]);
    expect(first + second).toBe(2);
    expect(await sweepAt(new Date(start + 50 * HOUR))).toBe(0);
    await eventually(async () => overdueOn('/factory').length >= 2 && overdueOn('/distributor').length >= 2, 20_000, 'overdue notices to both sides');
    await waitUntilSettled(database.url);
    const toFactory = overdueOn('/factory');
    const toDistributor = overdueOn('/distributor');
    expect(toFactory.map((call) => call.body.data.fulfillmentOrderId).sort()).toEqual([orders.a.fulfillmentOrderId, orders.b.fulfillmentOrderId].sort());
    expect(toDistributor.map((call) => call.body.data.channelOrderIds).sort()).toEqual([[orders.a.channelOrderId], [orders.b.channelOrderId]].sort());
    // The distributor sees its own orders, never the supplier's fulfillment order ids.
    expect(toDistributor.every((call) => call.body.data.fulfillmentOrderId === undefined)).toBe(true);
    expect(overdueOn('/broker')).toEqual([]);
    const events = await withDatabase(database.url, (client) => client.query(`select aggregate_id from outbox_event where type = 'fulfillment_order.overdue' order by aggregate_id`));
    expect(events.rows.map((row) => row.aggregate_id)).toEqual([orders.a.fulfillmentOrderId, orders.b.fulfillmentOrderId].sort());
  });

  it('flags and filters overdue orders in the inbox and in the distributor’s orders; another merchant sees none', async () => {
    // On the real clock the orders are due in 48 h: move order a's ship-by into the past.
    await withDatabase(database.url, (client) => client.query(`update fulfillment_order set ship_by = now() - interval '1 hour' where id = $1`, [orders.a.fulfillmentOrderId]));
    const inbox = await api.get('/v1/fulfillment-orders?overdue=true', network.factory.token);
    expectStatus(inbox, 200);
    expect(inbox.body.data.map((order: { id: string }) => order.id)).toEqual([orders.a.fulfillmentOrderId]);
    expect(inbox.body.data[0].overdue).toBe(true);
    const all = await api.get('/v1/fulfillment-orders', network.factory.token);
    expect(all.body.data.find((order: { id: string }) => order.id === orders.b.fulfillmentOrderId).overdue).toBe(false);
    expectError(await api.get('/v1/fulfillment-orders?overdue=maybe', network.factory.token), 400, 'validation_failed', 'overdue');

    const channel = await api.get('/v1/channel-orders?overdue=true', network.distributor.token);
    expectStatus(channel, 200);
    expect(channel.body.data.map((order: { id: string }) => order.id)).toEqual([orders.a.channelOrderId]);
    expect(channel.body.data[0]).toEqual(expect.objectContaining({ overdue: true, shipBy: expect.any(String) }));
    const listed = await api.get('/v1/channel-orders', network.distributor.token);
    expect(listed.body.data.find((order: { id: string }) => order.id === orders.b.channelOrderId)).toEqual(expect.objectContaining({ overdue: false }));
    expect((await api.get(`/v1/channel-orders/${orders.a.channelOrderId}`, network.distributor.token)).body.overdue).toBe(true);

    expect((await api.get('/v1/fulfillment-orders?overdue=true', network.farm.token)).body.data).toEqual([]);
    expect((await api.get('/v1/channel-orders?overdue=true', network.farm.token)).body.data).toEqual([]);
    expect((await api.get('/v1/channel-orders?overdue=true', network.broker.token)).body.data).toEqual([]);

    // Shipped, it is no longer overdue.
    expectStatus(await api.post(`/v1/fulfillment-orders/${orders.a.fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000778' }, network.factory.token), 201);
    expect((await api.get('/v1/fulfillment-orders?overdue=true', network.factory.token)).body.data).toEqual([]);
    expect((await api.get('/v1/channel-orders?overdue=true', network.distributor.token)).body.data).toEqual([]);
  });
});
