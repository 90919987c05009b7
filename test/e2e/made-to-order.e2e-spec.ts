import { MikroORM, RequestContext } from '@mikro-orm/core';
import { ProductionRunSweepService } from '@gongxiao/fulfillment';
import { expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

const DAY = 86_400_000;
const TERMS = { leadTimeDays: 10, minBatchUnits: 5, maxBatchUnits: 6, cutoffWeekdays: [1, 2, 3, 4, 5, 6, 7], cutoffTime: '18:00' };
/** A date `days` after today on the Shanghai wall clock (no daylight saving there). */
const shanghaiDate = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * DAY));

/**
 * Made to order (C2M, 按单生产): the factory makes its T-shirt made to order; orders need no stock and
 * wait in a production run per SKU until the daily 18:00 (Shanghai) cut-off. Orders arrive on both
 * sides of a cut-off (the sweep closes the first run with a fake clock); a run has a maximum batch
 * (an order past it waits for the next run) and a minimum (below it the factory produces anyway or
 * cancels, cancelling the orders through the normal path). Cancelling is free until the run closes.
 */
describe('made to order (C2M): production runs across a cut-off', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let sink: WebhookSink;
  const runs: string[] = [];
  const orders: Record<string, string> = {};

  const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const sweepAt = (at: Date) => RequestContext.create(api.app.get(MikroORM).em, () => api.app.get(ProductionRunSweepService).closeDue(at));
  const tshirtStock = async () =>
    (
      await query<{ on_hand: number; reserved: number }>(`select coalesce(sum(on_hand), 0)::int as on_hand, coalesce(sum(reserved), 0)::int as reserved from stock_level where sku_id = $1`, [
        network.skus.tshirt,
      ])
    )[0];
  const run = async (id: string) => (await api.get(`/v1/production-runs/${id}`, network.factory.token)).body;
  const pushed = async (name: string, lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder(lines, { name }), network.shop.secret);
    expectStatus(push, 202);
    orders[name] = push.body.id;
    return orderRouted(api, network, push.body.id);
  };
  const tshirts = (quantity: number) => [{ code: 'TSHIRT', quantity, unitPrice: PRICES.retailTshirt }];
  const fulfillmentOf = async (routed: { lines: { fulfillmentOrderId: string }[] }) => (await api.get(`/v1/fulfillment-orders/${routed.lines[0].fulfillmentOrderId}`, network.factory.token)).body;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 0 });
    // The factory's first warehouse (priority 0) takes its orders by ERP webhook: made-to-order runs are produced there.
    const erp = { code: 'ERP-MTO', name: 'Yiwu workshop', province: '浙江省', priority: 0, receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') };
    expectStatus(await api.post('/v1/warehouses', erp, network.factory.token), 201);
    for (const [who, token] of [
      ['factory', network.factory.token],
      ['distributor', network.distributor.token],
    ] as const) {
      const events = ['production_run.closed', 'production_run.confirmed', 'production_run.cancelled'];
      expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url(`/${who}`), events }, token), 201);
    }
  });
  afterAll(async () => {
    await sink?.close();
  });

  it('refuses bad terms naming the field, and a re-share declaring its own, changing nothing', async () => {
    const put = (body: unknown, offerId = network.offers.factoryTshirt, token = network.factory.token) => api.put(`/v1/offers/${offerId}/made-to-order`, body, token);
    expectError(await put({ ...TERMS, leadTimeDays: 0 }), 400, 'validation_failed', 'leadTimeDays');
    expectError(await put({ ...TERMS, cutoffTime: '24:00' }), 400, 'validation_failed', 'cutoffTime');
    expectError(await put({ ...TERMS, cutoffWeekdays: [8] }), 400, 'validation_failed', 'cutoffWeekdays');
    expectError(await put({ ...TERMS, cutoffWeekdays: [] }), 400, 'validation_failed', 'cutoffWeekdays');
    expectError(await put({ ...TERMS, maxBatchUnits: 4 }), 400, 'validation_failed', 'maxBatchUnits');
    expectError(await put(TERMS, network.offers.brokerTshirt, network.broker.token), 400, 'made_to_order_origin_only', 'offerId');
    expectError(await put(TERMS, network.offers.factoryTshirt, network.broker.token), 404, 'offer_not_found');
    expect((await api.get(`/v1/offers/${network.offers.factoryTshirt}/made-to-order`, network.factory.token)).body.madeToOrder).toBe(false);
  });

  it("makes the T-shirt made to order: the broker's re-share shows the terms, and the listing sells the maximum batch with no stock", async () => {
    const set = await api.put(`/v1/offers/${network.offers.factoryTshirt}/made-to-order`, TERMS, network.factory.token);
    expectStatus(set, 200);
    expect(set.body).toEqual({ offerId: network.offers.factoryTshirt, madeToOrder: true, inherited: false, ...TERMS, statedAvailability: 6 });
    const inherited = await api.get(`/v1/offers/${network.offers.brokerTshirt}/made-to-order`, network.broker.token);
    expect(inherited.body).toMatchObject({ madeToOrder: true, inherited: true, leadTimeDays: 10 });
    // No T-shirt in stock at all, yet the distributor's listing may sell one run's maximum batch.
    const listed = () =>
      query<{ available: number }>(`select a.available from listing_availability a join listing l on l.id = a.listing_id where l.shop_id = $1 and l.shop_sku_code = 'TSHIRT'`, [network.shop.id]);
    await eventually(async () => (await listed())[0]?.available === 6, 15_000, 'listing at 6');
  });

  it('holds orders before the cut-off in one open run: nothing reserved, no ship-by, not in the inbox, cancelling is free', async () => {
    // Order a: 2 T-shirts and a mug: the mug ships from stock now, the T-shirts wait for the run.
    expectStatus(await api.put('/v1/stock-levels', { warehouseId: network.warehouses.zhejiang, skuId: network.skus.mug, onHand: 10 }, network.factory.token), 200);
    const a = await pushed('a', [...tshirts(2), { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    expect(a.status).toBe('routed');
    expect(a.inProduction).toBe(true);
    expect(a.promisedShipDate).toBeNull();
    const tshirtLine = a.lines.find((line: { shopSkuCode: string }) => line.shopSkuCode === 'TSHIRT');
    const mugLine = a.lines.find((line: { shopSkuCode: string }) => line.shopSkuCode === 'MUG');
    expect(tshirtLine.fulfillmentOrderId).not.toBe(mugLine.fulfillmentOrderId);
    const waiting = (await api.get(`/v1/fulfillment-orders/${tshirtLine.fulfillmentOrderId}`, network.factory.token)).body;
    expect(waiting).toMatchObject({ status: 'awaiting_production', shipBy: null, promisedShipDate: null });
    expect((await api.get(`/v1/fulfillment-orders/${mugLine.fulfillmentOrderId}`, network.factory.token)).body.status).toBe('new');
    runs.push(waiting.productionRunId);

    const b = await pushed('b', tshirts(1));
    expect((await fulfillmentOf(b)).productionRunId).toBe(runs[0]);
    expect(await tshirtStock()).toEqual({ on_hand: 0, reserved: 0 });
    // Nothing goes to the workshop's ERP while the orders wait for their run.
    await new Promise((done) => setTimeout(done, 500));
    expect(sink.on('/erp')).toEqual([]);
    // The inbox shows released orders by default; waiting ones on request. Shipping one is refused.
    const inbox = (await api.get('/v1/fulfillment-orders', network.factory.token)).body.data.map((order: { id: string }) => order.id);
    expect(inbox).toContain(mugLine.fulfillmentOrderId);
    expect(inbox).not.toContain(tshirtLine.fulfillmentOrderId);
    const asked = await api.get('/v1/fulfillment-orders?status=awaiting_production', network.factory.token);
    expect(asked.body.data.map((order: { id: string }) => order.id).sort()).toEqual([tshirtLine.fulfillmentOrderId, b.lines[0].fulfillmentOrderId].sort());
    expectError(
      await api.post(`/v1/fulfillment-orders/${tshirtLine.fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000991' }, network.factory.token),
      409,
      'fulfillment_order_awaiting_production',
    );
    expectError(await api.post(`/v1/fulfillment-orders/${tshirtLine.fulfillmentOrderId}/acknowledge`, {}, network.factory.token), 409, 'fulfillment_order_awaiting_production');

    // Before the cut-off the distributor cancels b freely: at once, nothing to release.
    const cancelled = await api.post(`/v1/channel-orders/${orders.b}/cancel`, { reason: 'consumer changed their mind' }, network.distributor.token);
    expectStatus(cancelled, 200);
    expect(cancelled.body.outcome).toBe('cancelled');
    expect((await fulfillmentOf(b)).status).toBe('cancelled');
    const open = await run(runs[0]);
    expect(open).toMatchObject({ status: 'open', skuId: network.skus.tshirt, units: 2, orderCount: 1, belowMinimum: true, minBatchUnits: 5, maxBatchUnits: 6, leadTimeDays: 10 });
    // The cut-off is the next 18:00 in Shanghai.
    const cutoff = new Date(open.cutoffAt).getTime();
    expect(cutoff).toBeGreaterThan(Date.now());
    expect(cutoff - Date.now()).toBeLessThanOrEqual(DAY);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' }).format(new Date(cutoff))).toBe('18:00');
  });

  it('closes the run at its cut-off with the demand; later orders go to the next run, past the maximum batch to the one after', async () => {
    const cutoff = new Date((await run(runs[0])).cutoffAt).getTime();
    expect(await sweepAt(new Date(cutoff - 1000))).toBe(0);
    expect(await sweepAt(new Date(cutoff + 1000))).toBe(1);
    expect(await sweepAt(new Date(cutoff + 2000))).toBe(0);
    const closed = await run(runs[0]);
    expect(closed).toMatchObject({ status: 'closed', units: 2, demand: [{ customizationKey: '', customizationLabel: '', units: 2, orders: 1 }] });
    const told = await eventually(async () => sink.on('/factory').find((call) => call.body.event === 'production_run.closed'), 15_000, 'production_run.closed');
    expect(told.body.data).toMatchObject({ productionRunId: runs[0], units: 2, belowMinimum: true, demand: [{ units: 2 }] });

    // After the cut-off: c (4) and d (2) fill the next run to its maximum of 6; e (1) waits for the run after.
    for (const [name, quantity] of [
      ['c', 4],
      ['d', 2],
      ['e', 1],
    ] as const) {
      const routed = await pushed(name, tshirts(quantity));
      expect(routed.status).toBe('routed');
      const runId = (await fulfillmentOf(routed)).productionRunId;
      if (!runs.includes(runId)) runs.push(runId);
    }
    expect(runs).toHaveLength(3);
    const [next, after] = [await run(runs[1]), await run(runs[2])];
    expect([next.units, after.units]).toEqual([6, 1]);
    expect(new Date(next.cutoffAt).getTime() - cutoff).toBe(DAY);
    expect(new Date(after.cutoffAt).getTime() - cutoff).toBe(2 * DAY);
    // A line larger than any batch can never fit: held with a reason a person can act on.
    const tooBig = await pushed('f', tshirts(7));
    expect(tooBig).toMatchObject({ status: 'exception', exceptionCode: 'made_to_order_batch_exceeded' });
    expect(tooBig.exceptionReason).toContain('largest production batch (6)');
  });

  it('refuses to cancel units whose run has closed, naming the line; confirms below the minimum only when asked', async () => {
    expectError(await api.post(`/v1/channel-orders/${orders.a}/cancel`, {}, network.distributor.token), 409, 'production_started');
    expectError(await api.post(`/v1/channel-orders/${orders.a}/cancel`, { lines: [{ lineNo: 1 }] }, network.distributor.token), 409, 'production_started', 'lines');
    expect((await api.get(`/v1/channel-orders/${orders.a}`, network.distributor.token)).body.status).toBe('routed');
    // An open run cannot be confirmed or cancelled yet; another merchant cannot see the run.
    expectError(await api.post(`/v1/production-runs/${runs[1]}/confirm`, {}, network.factory.token), 409, 'production_run_open');
    expectError(await api.get(`/v1/production-runs/${runs[0]}`, network.broker.token), 404, 'production_run_not_found');

    expectError(await api.post(`/v1/production-runs/${runs[0]}/confirm`, {}, network.factory.token), 409, 'run_below_minimum', 'produceBelowMinimum');
    const confirmed = await api.post(`/v1/production-runs/${runs[0]}/confirm`, { produceBelowMinimum: true }, network.factory.token);
    expectStatus(confirmed, 200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', producedBelowMinimum: true, promisedShipDate: shanghaiDate(10) });
    expectError(await api.post(`/v1/production-runs/${runs[0]}/confirm`, { produceBelowMinimum: true }, network.factory.token), 409, 'production_run_confirmed');
    // The order is released: a promised ship date both sides see, ship-by at the end of that day, the units made and reserved.
    const a = await api.get(`/v1/channel-orders/${orders.a}`, network.distributor.token);
    expect(a.body).toMatchObject({ inProduction: false, promisedShipDate: shanghaiDate(10) });
    const fulfillmentOrderId = a.body.lines.find((line: { shopSkuCode: string }) => line.shopSkuCode === 'TSHIRT').fulfillmentOrderId;
    const released = (await api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, network.factory.token)).body;
    expect(released).toMatchObject({ status: 'new', promisedShipDate: shanghaiDate(10) });
    expect(new Date(released.shipBy).toISOString()).toBe(new Date(`${shanghaiDate(11)}T00:00:00+08:00`).toISOString());
    expect(await tshirtStock()).toEqual({ on_hand: 2, reserved: 2 });
    // Released to the workshop's ERP like any new order.
    await eventually(async () => sink.on('/erp').find((call) => call.body.data.id === fulfillmentOrderId), 15_000, 'the ERP call of the released order');
    const told = await eventually(async () => sink.on('/distributor').find((call) => call.body.event === 'production_run.confirmed'), 15_000, 'production_run.confirmed');
    expect(told.body.data).toEqual({ channelOrderIds: [orders.a], promisedShipDate: shanghaiDate(10) });
    // Shipped like any order: the made units leave the warehouse.
    expectStatus(await api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000992' }, network.factory.token), 201);
    expect(await tshirtStock()).toEqual({ on_hand: 0, reserved: 0 });
  });

  it('cancels a run below its minimum with a reason: its orders are cancelled through the normal path; a run at its minimum is confirmed instead', async () => {
    const nextCutoff = new Date((await run(runs[1])).cutoffAt).getTime();
    expect(await sweepAt(new Date(nextCutoff + 1000))).toBe(1);
    expectError(await api.post(`/v1/production-runs/${runs[1]}/cancel`, { reason: '原料不足' }, network.factory.token), 409, 'run_meets_minimum');
    const afterCutoff = new Date((await run(runs[2])).cutoffAt).getTime();
    expect(await sweepAt(new Date(afterCutoff + 1000))).toBe(1);
    expectError(await api.post(`/v1/production-runs/${runs[2]}/cancel`, {}, network.factory.token), 400, 'validation_failed', 'reason');
    const cancelled = await api.post(`/v1/production-runs/${runs[2]}/cancel`, { reason: '未达起订量' }, network.factory.token);
    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '未达起订量', units: 1 });
    const e = await eventually(
      async () => {
        const order = (await api.get(`/v1/channel-orders/${orders.e}`, network.distributor.token)).body;
        return order.status === 'cancelled' && order;
      },
      15_000,
      'order e cancelled',
    );
    expect((await query<{ cancel_reason: string }>(`select cancel_reason from channel_order where id = $1`, [orders.e]))[0].cancel_reason).toContain('未达起订量');
    expect((await fulfillmentOf(e)).status).toBe('cancelled');
    // Nothing was reserved for it, so nothing was released; the run that made its minimum is confirmed.
    expect(await tshirtStock()).toEqual({ on_hand: 0, reserved: 0 });
    expectStatus(await api.post(`/v1/production-runs/${runs[1]}/confirm`, {}, network.factory.token), 200);
    expect(await tshirtStock()).toEqual({ on_hand: 6, reserved: 6 });
    const list = await api.get('/v1/production-runs', network.factory.token);
    expect(list.body.data.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([
      [runs[2], 'cancelled'],
      [runs[1], 'confirmed'],
      [runs[0], 'confirmed'],
    ]);
    expect((await api.get('/v1/production-runs?status=cancelled', network.factory.token)).body.data.map((item: { id: string }) => item.id)).toEqual([runs[2]]);
    expect((await api.get('/v1/production-runs', network.broker.token)).body.data).toEqual([]);
  });
});
