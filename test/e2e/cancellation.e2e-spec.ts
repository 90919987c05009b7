import { expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder, orderRouted } from '../support/order-network';
import { useStage } from '../support/stage';
import { HttpResult } from '../support/test-environment';
import { eventually, WebhookSink } from '../support/webhook-sink';

/**
 * A consumer's cancellation reaches the supplier before the parcel leaves, or turns into an
 * interception when it already left; cancel and ship race on the same rows and exactly one wins.
 */
/** How many cancel-vs-ship races (the issue asks for 1,000; CANCEL_RACES lowers it for quick local runs). */
const RACES = Number(process.env.CANCEL_RACES ?? 1000);
/**
 * One race (a shipment and a cancellation of one order) waits at most this long for both answers. A
 * deadlock answers 409 within a second; this only catches a wait that never ends, so it is generous:
 * a wave of 400 requests on a shared 2-core machine running other suites can take over 15 s.
 */
const RACE_BUDGET_MS = 45_000;

describe('cancellation', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_SECONDS: '1', INTERCEPTION_ESCALATE_MINUTES: '5' } });
  let sink: WebhookSink;
  let network: OrderNetwork;

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const routed = (id: string) => orderRouted(api, network, id);
  const fulfillmentOrderOf = async (channelOrderId: string) => {
    const rows = await withDatabase(database.url, (client) =>
      client.query(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [channelOrderId]),
    );
    return rows.rows.map((row: { id: string }) => row.id);
  };
  const reserved = async () => (await withDatabase(database.url, (client) => client.query(`select coalesce(sum(reserved), 0)::int as n from stock_level`))).rows[0].n;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 5000 });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('stops an order before it ships: reservation released, the supplier refused with "cancelled: do not ship"', async () => {
    const before = await reserved();
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]));
    await routed(receipt.body.id);
    expect(await reserved()).toBe(before + 2);
    const [foId] = await fulfillmentOrderOf(receipt.body.id);

    const cancel = await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { reason: 'changed my mind' }, network.distributor.token);
    expectStatus(cancel, 200);
    expect(cancel.body).toEqual(expect.objectContaining({ outcome: 'cancelled', cancelledFulfillmentOrders: 1, interceptionsRequested: 0 }));
    expect(await reserved()).toBe(before);
    expect((await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token)).body.status).toBe('cancelled');
    const fo = await api.get(`/v1/fulfillment-orders/${foId}`, network.factory.token);
    expect(fo.body.status).toBe('cancelled');
    expect(fo.body.lines[0]).toEqual(expect.objectContaining({ quantity: 2, cancelledQuantity: 2 }));
    const ship = await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000001' }, network.factory.token);
    expectError(ship, 409, 'fulfillment_order_cancelled');
    expect(ship.body.error.message).toContain('cancelled: do not ship');
    // A person cancelling it again is told it already is; another merchant cannot cancel it at all.
    expectError(await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, {}, network.distributor.token), 409, 'channel_order_already_cancelled');
    expectError(await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, {}, network.factory.token), 404, 'channel_order_not_found');
  });

  it('takes a signed cancellation from the shop, idempotently', async () => {
    const order = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    const receipt = await push(order);
    await routed(receipt.body.id);
    const url = `/v1/shops/${network.shop.id}/orders/${order.externalOrderId}/cancel`;
    const first = await api.signedPost(url, { reason: 'consumer cancelled' }, network.shop.secret);
    expectStatus(first, 200);
    expect(first.body.outcome).toBe('cancelled');
    const again = await api.signedPost(url, { reason: 'consumer cancelled' }, network.shop.secret);
    expectStatus(again, 200);
    expect(again.body.outcome).toBe('cancelled');
    expectError(await api.signedPost(url, {}, 'whsec_wrong'), 401, 'unauthenticated');
    expectError(await api.signedPost(`/v1/shops/${network.shop.id}/orders/NO-SUCH-ORDER/cancel`, {}, network.shop.secret), 404, 'channel_order_not_found');
    // The other shop of the same distributor cannot cancel this shop's order by its external id.
    expectError(await api.signedPost(`/v1/shops/${network.shop2.id}/orders/${order.externalOrderId}/cancel`, {}, network.shop2.secret), 404, 'channel_order_not_found');
  });

  it('turns a cancellation after shipment into an interception the supplier answers', async () => {
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]));
    await routed(receipt.body.id);
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000002' }, network.factory.token), 201);
    const cancel = await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, {}, network.distributor.token);
    expectStatus(cancel, 200);
    expect(cancel.body).toEqual(expect.objectContaining({ outcome: 'interception_requested', interceptionsRequested: 1 }));
    expect(cancel.body.message).toContain('already shipped: interception requested'.replace('already', 'Already'));
    const requests = await api.get('/v1/interception-requests', network.factory.token);
    const request = requests.body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === foId);
    expect(request.status).toBe('requested');
    expectError(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'intercepted' }, network.farm.token), 404, 'interception_request_not_found');
    expectStatus(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'intercepted', note: 'parcel recalled' }, network.factory.token), 200);
    expectError(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'failed' }, network.factory.token), 409, 'interception_already_answered');
  });

  it('escalates an interception the supplier leaves unanswered, once, to both sides', async () => {
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/factory-events'), events: ['interception.escalated'] }, network.factory.token), 201);
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/distributor-events'), events: ['interception.escalated'] }, network.distributor.token), 201);
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]));
    await routed(receipt.body.id);
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000003' }, network.factory.token), 201);
    expectStatus(await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, {}, network.distributor.token), 200);
    // Six minutes pass without an answer (the escalation time is 5 minutes here).
    await withDatabase(database.url, (client) => client.query(`update interception_request set created_at = now() - interval '6 minutes' where fulfillment_order_id = $1`, [foId]));
    const toSupplier = await eventually(async () => sink.on('/factory-events').find((call) => call.body.event === 'interception.escalated'), 15_000, 'the escalation');
    expect(toSupplier.body.data.fulfillmentOrderId).toBe(foId);
    const toDistributor = await eventually(async () => sink.on('/distributor-events')[0], 15_000, 'the distributor escalation');
    expect(toDistributor.body.data.channelOrderId).toBe(String(receipt.body.id));
    expect(toDistributor.body.data.fulfillmentOrderId).toBeUndefined();
    await new Promise((done) => setTimeout(done, 1500));
    expect(sink.on('/factory-events')).toHaveLength(1);
    const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === foId);
    expect(request.escalatedAt).not.toBeNull();
  });

  it('tells an ERP warehouse at once that an order must not ship', async () => {
    const erp = await api.post('/v1/warehouses', { code: 'ERP-C', name: 'ERP', province: '浙江省', priority: 0, receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') }, network.farm.token);
    expectStatus(await api.put('/v1/stock-levels', { warehouseId: erp.body.id, skuId: network.skus.honey, onHand: 100 }, network.farm.token), 200);
    const receipt = await push(shopOrder([{ code: 'HONEY', quantity: 3, unitPrice: PRICES.retailHoney }]));
    await routed(receipt.body.id);
    expectStatus(await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, {}, network.distributor.token), 200);
    const cancelled = await eventually(async () => sink.on('/erp').find((call) => call.body.event === 'fulfillment_order.cancelled'), 15_000, 'the ERP cancellation');
    expect(cancelled.body.data.doNotShip).toEqual([{ lineId: expect.any(String), quantity: 3 }]);
    expect(cancelled.body.data.status).toBe('cancelled');
    await api.patch(`/v1/warehouses/${erp.body.id}`, { status: 'inactive' }, network.farm.token);
  });

  it('cancels some lines of a routed order, once per shop cancellation id, and ships the rest', async () => {
    const order = shopOrder([
      { code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
    ]);
    const receipt = await push(order);
    await routed(receipt.body.id);
    const before = await reserved();
    const url = `/v1/shops/${network.shop.id}/orders/${order.externalOrderId}/cancel`;
    expectError(await api.signedPost(url, { lines: [{ lineNo: 1, quantity: 1 }] }, network.shop.secret), 400, 'validation_failed', 'cancellationId');
    expectError(await api.signedPost(url, { cancellationId: 'C-0', lines: [{ lineNo: 3 }] }, network.shop.secret), 400, 'validation_failed', 'lines[0].lineNo');
    expectError(await api.signedPost(url, { cancellationId: 'C-0', lines: [{ lineNo: 1, quantity: 4 }] }, network.shop.secret), 400, 'cancel_exceeds_order', 'lines[0].quantity');
    const partial = await api.signedPost(url, { cancellationId: 'C-1', lines: [{ lineNo: 1, quantity: 1 }] }, network.shop.secret);
    expectStatus(partial, 200);
    expect(partial.body).toEqual(expect.objectContaining({ outcome: 'cancelled', cancelledFulfillmentOrders: 1 }));
    // The same cancellation pushed again changes nothing; its id with other content is refused.
    expectStatus(await api.signedPost(url, { cancellationId: 'C-1', lines: [{ lineNo: 1, quantity: 1 }] }, network.shop.secret), 200);
    expectError(await api.signedPost(url, { cancellationId: 'C-1', lines: [{ lineNo: 2, quantity: 1 }] }, network.shop.secret), 409, 'cancellation_id_reused', 'cancellationId');
    expect(await reserved()).toBe(before - 1);

    const view = await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token);
    expect(view.body.status).toBe('routed');
    expect(view.body.lines.map((line: { cancelledQuantity: number }) => line.cancelledQuantity)).toEqual([1, 0]);
    // The supplier ships what is left; the order is then shipped.
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    const fo = await api.get(`/v1/fulfillment-orders/${foId}`, network.factory.token);
    const tshirtLine = fo.body.lines.find((line: { skuCode: string }) => line.skuCode === 'TSHIRT-M');
    expect(tshirtLine).toEqual(expect.objectContaining({ quantity: 3, cancelledQuantity: 1 }));
    expectError(
      await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000004', lines: [{ lineId: tshirtLine.id, quantity: 3 }] }, network.factory.token),
      400,
      'shipment_exceeds_order',
    );
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000005' }, network.factory.token), 201);
    expect((await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token)).body.status).toBe('shipped');
    expect(await reserved()).toBe(before - 5);
  });

  it('cancels once when a shop pushes the same partial cancellation three times at once', async () => {
    const order = shopOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]);
    const receipt = await push(order);
    await routed(receipt.body.id);
    const url = `/v1/shops/${network.shop.id}/orders/${order.externalOrderId}/cancel`;
    const responses = await Promise.all([1, 2, 3].map(() => api.signedPost(url, { cancellationId: 'DUP-1', lines: [{ lineNo: 1, quantity: 1 }] }, network.shop.secret)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    const view = await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token);
    expect(view.body.lines[0].cancelledQuantity).toBe(1);
  });

  it('requests a new interception for a later cancellation once the earlier one was answered', async () => {
    const receipt = await push(shopOrder([{ code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug }]));
    await routed(receipt.body.id);
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF200000000006' }, network.factory.token), 201);
    const first = await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expect(first.body).toEqual(expect.objectContaining({ outcome: 'interception_requested', interceptionsRequested: 1 }));
    const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === foId);
    expectStatus(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'failed' }, network.factory.token), 200);
    const second = await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expect(second.body).toEqual(expect.objectContaining({ outcome: 'interception_requested', interceptionsRequested: 1 }));
  });

  it(`lets exactly one of cancel and ship win each of ${RACES} races, with stock consistent`, async () => {
    const receipts: { body: { id: string } }[] = [];
    for (let start = 0; start < RACES; start += 100) {
      receipts.push(...(await Promise.all(Array.from({ length: Math.min(100, RACES - start) }, () => push(shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]))))));
    }
    const ids = receipts.map((receipt) => String(receipt.body.id));
    for (const id of ids) await routed(id);
    const foRows = await withDatabase(database.url, (client) =>
      client.query(`select distinct channel_order_id::text as channel, fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = any($1::bigint[])`, [ids]),
    );
    const foIds = ids.map((id) => foRows.rows.find((row: { channel: string }) => row.channel === id)!.id as string);
    // Waves of 200 races at once (each a shipment and a cancellation of the same order, sent together).
    // Every race is classified: exactly one winner, or an anomaly named by what each side answered
    // (a deadlock or lock conflict answers 409 concurrent_update; a race that waits on another for
    // longer than RACE_BUDGET_MS is "no answer"). The first wave with an anomaly ends the test, so a
    // broken lock order fails in seconds on an assertion that names it, never on jest's timeout.
    const outcomes = new Map<string, number>();
    const count = (kind: string) => outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
    const answered = (result: HttpResult | 'no answer') => {
      if (result === 'no answer') return `no answer within ${RACE_BUDGET_MS} ms`;
      const code: string = result.body?.error?.code ?? result.body?.outcome ?? '';
      return `${result.status} ${code}${code === 'concurrent_update' ? ' (a deadlock or lock conflict)' : ''}`.trim();
    };
    const withinBudget = (request: Promise<HttpResult>) => Promise.race([request, new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), RACE_BUDGET_MS).unref())]);
    let slowestWaveMs = 0;
    for (let start = 0; start < RACES && [...outcomes.keys()].every((kind) => kind === 'cancel won' || kind === 'ship won'); start += 200) {
      const began = Date.now();
      const wave = await Promise.all(
        ids
          .slice(start, start + 200)
          .map((id, offset) =>
            Promise.all([
              withinBudget(
                api.post(`/v1/fulfillment-orders/${foIds[start + offset]}/shipments`, { carrierCode: 'ZTO', trackingNumber: `7300${String(start + offset).padStart(10, '0')}` }, network.factory.token),
              ),
              withinBudget(api.post(`/v1/channel-orders/${id}/cancel`, {}, network.distributor.token)),
            ]),
          ),
      );
      slowestWaveMs = Math.max(slowestWaveMs, Date.now() - began);
      for (const [ship, cancel] of wave) {
        const [shipAnswer, cancelAnswer] = [answered(ship), answered(cancel)];
        if (shipAnswer === '201' && cancelAnswer === '200 interception_requested') count('ship won');
        else if (shipAnswer === '409 fulfillment_order_cancelled' && cancelAnswer === '200 cancelled') count('cancel won');
        else count(`anomaly: ship answered ${shipAnswer}, cancel answered ${cancelAnswer}`);
      }
    }
    const anomalies = Object.fromEntries([...outcomes].filter(([kind]) => kind.startsWith('anomaly')));
    // Names the cause, e.g. {"anomaly: ship answered 409 concurrent_update (a deadlock or lock conflict), cancel answered 200 cancelled": 19}.
    expect(anomalies).toEqual({});
    const cancelledFirst = outcomes.get('cancel won') ?? 0;
    const shippedFirst = outcomes.get('ship won') ?? 0;
    expect(cancelledFirst + shippedFirst).toBe(RACES);
    const states = await withDatabase(database.url, (client) =>
      client.query(
        `select o.status as fo_status, c.status as order_status,
                (select count(*) from shipment s where s.fulfillment_order_id = o.id)::int as shipments,
                (select count(*) from interception_request i where i.fulfillment_order_id = o.id)::int as interceptions
           from fulfillment_order o join channel_order c on c.id = any($2::bigint[]) and exists (select 1 from fulfillment_order_line l where l.fulfillment_order_id = o.id and l.channel_order_id = c.id)
          where o.id = any($1::bigint[])`,
        [foIds, ids],
      ),
    );
    for (const row of states.rows) {
      const cancelledState = row.fo_status === 'cancelled' && row.order_status === 'cancelled' && row.shipments === 0 && row.interceptions === 0;
      const shippedState = row.fo_status === 'shipped' && row.shipments === 1 && row.interceptions === 1;
      expect(cancelledState !== shippedState).toBe(true);
    }
    const books = await withDatabase(database.url, (client) =>
      client.query(
        `select count(*)::int as mismatches from stock_level s
           left join (select warehouse_id, sku_id, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved from stock_movement group by 1, 2) m
             on m.warehouse_id = s.warehouse_id and m.sku_id = s.sku_id
          where s.on_hand <> coalesce(m.on_hand, 0) or s.reserved <> coalesce(m.reserved, 0)`,
      ),
    );
    expect(books.rows[0].mismatches).toBe(0);

    // The supplier's cancellation figures count every unit cancelled before shipping, per SKU.
    const rates = await api.get('/v1/quality/cancellation-rates', network.factory.token);
    const mug = rates.body.data.find((row: { skuCode: string }) => row.skuCode === 'MUG-350');
    const cancelledUnits = await withDatabase(database.url, (client) =>
      client.query(`select sum(cancelled_quantity)::int as n, sum(quantity)::int as total from fulfillment_order_line where sku_id = $1`, [network.skus.mug]),
    );
    expect(mug).toEqual(expect.objectContaining({ unitsCancelled: cancelledUnits.rows[0].n, unitsOrdered: cancelledUnits.rows[0].total }));
    expect(mug.unitsCancelled).toBeGreaterThanOrEqual(cancelledFirst);
    expect((await api.get('/v1/quality/cancellation-rates', network.distributor.token)).body).toEqual({ data: [], nextCursor: null });
  }, 300_000);
});
