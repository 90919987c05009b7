import { cny, expectError, expectStatus, moneyAmounts, snapshotDomain, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder, orderRouted } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

interface ReturnView {
  id: string;
  yourRole: string;
  kind: string;
  origin: string;
  status: string;
  channelOrderId?: string;
  withinWindow: boolean;
  returnShipment: { carrierCode: string; trackingNumber: string } | null;
  lines: { skuCode: string; quantity: number; lineNo?: number; fulfillmentOrderId?: string }[];
  money: Record<'paidToSeller' | 'paidByBuyer' | 'refundedToYou' | 'refundedByYou', { amount: number; currency: string } | null>;
}

/**
 * After-sales along the chain factory → broker → distributor (and farm → distributor): cases
 * opened for shipped units, the no-reason window per offer, approval outside it, return parcels,
 * receipt with restock, refunds per hop never above what was paid, and interceptions that turn
 * into returns. Each merchant sees only its own hop.
 */
describe('after-sales', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const routed = (id: string) => orderRouted(api, network, id);
  const fulfillmentOrdersOf = async (channelOrderId: string): Promise<{ id: string; supplier: string }[]> =>
    (
      await withDatabase(database.url, (client) =>
        client.query(
          `select distinct o.id::text, o.supplier_merchant_id::text as supplier from fulfillment_order o join fulfillment_order_line l on l.fulfillment_order_id = o.id
            where l.channel_order_id = $1 order by 1`,
          [channelOrderId],
        ),
      )
    ).rows;
  /** Pushes an order, waits for routing, and ships every parcel in full. */
  const shippedOrder = async (lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const receipt = await push(shopOrder(lines));
    expectStatus(receipt, 202);
    await routed(receipt.body.id);
    const parcels = await fulfillmentOrdersOf(receipt.body.id);
    for (const [index, parcel] of parcels.entries()) {
      const token = parcel.supplier === network.factory.merchantId ? network.factory.token : network.farm.token;
      expectStatus(
        await api.post(`/v1/fulfillment-orders/${parcel.id}/shipments`, { carrierCode: 'SF', trackingNumber: `SF${String(receipt.body.id).padStart(11, '0').slice(-11)}${index}` }, token),
        201,
      );
    }
    return { channelOrderId: String(receipt.body.id), parcels };
  };
  const onHand = async (warehouseId: string, skuId: string) =>
    (await withDatabase(database.url, (client) => client.query(`select on_hand from stock_level where warehouse_id = $1 and sku_id = $2`, [warehouseId, skuId]))).rows[0].on_hand as number;
  const view = async (returnId: string, token: string): Promise<ReturnView> => {
    const response = await api.get(`/v1/returns/${returnId}`, token);
    expectStatus(response, 200);
    return response.body;
  };
  const settled = () => waitUntilSettled(database.url);
  /**
   * The case an answered interception opens: after-sales reacts to the answer's event, so the case
   * appears moments after the answer (the answer itself cannot name it).
   */
  const caseOfInterception = (interceptionRequestId: string, token: string) =>
    eventually(
      async () => {
        const response = await api.get(`/v1/returns?interceptionRequestId=${interceptionRequestId}`, token);
        expectStatus(response, 200);
        return response.body.data.length === 1 && (response.body.data[0] as ReturnView);
      },
      15_000,
      `the return case of interception ${interceptionRequestId}`,
    );
  const openReturn = (channelOrderId: string, body: Record<string, unknown>) => api.post(`/v1/channel-orders/${channelOrderId}/returns`, body, network.distributor.token);

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 500 });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('returns goods inside the window along factory → broker → distributor: each hop sees its own amounts, stock restocked, refunds per hop', async () => {
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/broker-events'), events: ['return.updated'] }, network.broker.token), 201);
    const { channelOrderId } = await shippedOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]);
    const stockBefore = await onHand(network.warehouses.zhejiang, network.skus.tshirt);

    const opened = await openReturn(channelOrderId, { kind: 'return_and_refund', reason: 'too small', photoUrls: ['https://img.example.com/1.jpg'], lines: [{ lineNo: 1, quantity: 2 }] });
    expectStatus(opened, 201);
    expect(opened.body.returns).toHaveLength(1);
    const created: ReturnView = opened.body.returns[0];
    expect(created).toEqual(expect.objectContaining({ yourRole: 'distributor', kind: 'return_and_refund', origin: 'consumer', status: 'approved', withinWindow: true, channelOrderId }));
    expect(created.lines).toEqual([expect.objectContaining({ skuCode: 'TSHIRT-M', quantity: 2, lineNo: 1 })]);
    expect(created.money.paidToSeller).toEqual(cny(2 * PRICES.brokerTshirt));
    expect(created.money.paidByBuyer).toBeNull();

    // The broker sees its two hops; the factory its own; nobody an amount of a hop it is not on.
    const brokerView = await view(created.id, network.broker.token);
    expect(brokerView.yourRole).toBe('broker');
    expect(brokerView.money).toEqual({ paidToSeller: cny(2 * PRICES.factoryTshirt), paidByBuyer: cny(2 * PRICES.brokerTshirt), refundedToYou: null, refundedByYou: null });
    expect(brokerView.channelOrderId).toBeUndefined();
    expect(brokerView.lines[0].lineNo).toBeUndefined();
    const factoryView = await view(created.id, network.factory.token);
    expect(factoryView.yourRole).toBe('supplier');
    expect(factoryView.money.paidByBuyer).toEqual(cny(2 * PRICES.factoryTshirt));
    expect(factoryView.money.paidToSeller).toBeNull();
    expect(factoryView.lines[0].fulfillmentOrderId).toBeDefined();
    expect(moneyAmounts(factoryView)).not.toContain(2 * PRICES.brokerTshirt);
    expect(moneyAmounts(created)).not.toContain(2 * PRICES.factoryTshirt);
    expectError(await api.get(`/v1/returns/${created.id}`, network.farm.token), 404, 'return_not_found');
    expect((await api.get('/v1/returns', network.farm.token)).body.data).toEqual([]);

    // The consumer sends the parcel back; the factory receives it and puts it back on the shelf.
    expectError(await api.post(`/v1/returns/${created.id}/refund`, {}, network.factory.token), 409, 'return_not_received');
    expectError(await api.post(`/v1/returns/${created.id}/receive`, { restock: true }, network.distributor.token), 403, 'forbidden');
    // A number that is not YTO's shape is refused by field, changing nothing.
    expectError(
      await api.post(`/v1/returns/${created.id}/return-shipment`, { carrierCode: 'YTO', trackingNumber: 'YT123456789' }, network.distributor.token),
      400,
      'validation_failed',
      'trackingNumber',
    );
    expect((await view(created.id, network.factory.token)).returnShipment).toBeNull();
    const parcel = await api.post(`/v1/returns/${created.id}/return-shipment`, { carrierCode: 'YTO', trackingNumber: 'yt 1234567890123' }, network.distributor.token);
    expectStatus(parcel, 200);
    expect(parcel.body.returnShipment).toEqual(expect.objectContaining({ carrierCode: 'YTO', trackingNumber: 'YT1234567890123' }));
    expect((await view(created.id, network.factory.token)).returnShipment).toEqual(expect.objectContaining({ trackingNumber: 'YT1234567890123' }));
    // The broker follows the case, not the consumer's parcel or photos.
    const brokerAfterParcel = await view(created.id, network.broker.token);
    expect(brokerAfterParcel.returnShipment).toBeNull();
    expect(JSON.stringify(brokerAfterParcel)).not.toContain('img.example.com');
    // Merchants outside the chain cannot move it.
    for (const action of ['approve', 'withdraw', 'receive', 'refund']) {
      expectError(await api.post(`/v1/returns/${created.id}/${action}`, action === 'receive' ? { restock: true } : {}, network.farm.token), 404, 'return_not_found');
    }
    const received = await api.post(`/v1/returns/${created.id}/receive`, { restock: true, note: 'as new' }, network.factory.token);
    expectStatus(received, 200);
    expect(received.body.status).toBe('received');
    expect(await onHand(network.warehouses.zhejiang, network.skus.tshirt)).toBe(stockBefore + 2);
    const movement = await withDatabase(database.url, (client) =>
      client.query(`select on_hand_delta from stock_movement where reason = 'return_restocked' and reference = $1`, [`return:${created.id}`]),
    );
    expect(movement.rows).toEqual([{ on_hand_delta: 2 }]);

    const refunded = await api.post(`/v1/returns/${created.id}/refund`, {}, network.factory.token);
    expectStatus(refunded, 200);
    expect(refunded.body.status).toBe('refunded');
    expect(refunded.body.money.refundedByYou).toEqual(cny(2 * PRICES.factoryTshirt));
    expect((await view(created.id, network.broker.token)).money).toEqual(expect.objectContaining({ refundedToYou: cny(2 * PRICES.factoryTshirt), refundedByYou: cny(2 * PRICES.brokerTshirt) }));
    const distributorView = await view(created.id, network.distributor.token);
    expect(distributorView.money.refundedToYou).toEqual(cny(2 * PRICES.brokerTshirt));
    expect(distributorView.money.refundedByYou).toBeNull();
    expectError(await api.post(`/v1/returns/${created.id}/refund`, {}, network.factory.token), 409, 'return_illegal_transition');

    // One unit is left to return; three are not.
    expectError(await openReturn(channelOrderId, { kind: 'refund_only', reason: 'again', lines: [{ lineNo: 1, quantity: 2 }] }), 400, 'return_exceeds_shipped', 'lines[0].quantity');
    const statuses = await eventually(
      async () => {
        const calls = sink.on('/broker-events').filter((call) => call.body.data.returnId === created.id);
        return calls.length >= 4 && calls.map((call) => call.body.data.status);
      },
      15_000,
      'return.updated events for the broker',
    );
    expect(statuses).toEqual(expect.arrayContaining(['approved', 'return_shipped', 'received', 'refunded']));
    expect(sink.on('/broker-events').every((call) => call.body.data.channelOrderId === undefined)).toBe(true);

    const rates = await api.get('/v1/quality/return-rates', network.factory.token);
    expectStatus(rates, 200);
    const tshirt = rates.body.data.find((sku: { skuCode: string }) => sku.skuCode === 'TSHIRT-M');
    expect(tshirt).toEqual(expect.objectContaining({ unitsReturned: 2, unitsRefundOnly: 0 }));
    expect(tshirt.unitsShipped).toBeGreaterThanOrEqual(3);
    expect(tshirt.returnRate).toBeCloseTo(2 / tshirt.unitsShipped, 3);
  });

  it('needs the supplier outside the window; a partial refund flows down in proportion, never above what was paid', async () => {
    const { channelOrderId, parcels } = await shippedOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    // Delivered nine days ago: past the 7-day window.
    await withDatabase(database.url, (client) => client.query(`update shipment set created_at = now() - interval '10 days' where fulfillment_order_id = $1`, [parcels[0].id]));
    const shipment = (await api.get(`/v1/fulfillment-orders/${parcels[0].id}`, network.factory.token)).body.shipments[0];
    const delivered = await api.post(
      `/v1/fulfillment-orders/${parcels[0].id}/shipments/${shipment.id}/delivered`,
      { deliveredAt: new Date(Date.now() - 9 * 86_400_000).toISOString() },
      network.factory.token,
    );
    expectStatus(delivered, 200);
    expect(delivered.body.deliveredAt).not.toBeNull();

    const opened = await openReturn(channelOrderId, { kind: 'refund_only', reason: 'a seam came loose', lines: [{ lineNo: 1, quantity: 1 }] });
    expectStatus(opened, 201);
    const pending: ReturnView = opened.body.returns[0];
    expect(pending).toEqual(expect.objectContaining({ status: 'pending_approval', withinWindow: false }));
    expectError(await api.post(`/v1/returns/${pending.id}/approve`, {}, network.broker.token), 403, 'forbidden');
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, {}, network.factory.token), 409, 'return_illegal_transition');
    expectStatus(await api.post(`/v1/returns/${pending.id}/approve`, { reason: 'goodwill' }, network.factory.token), 200);

    await settled();
    const before = await snapshotDomain(database.url);
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, { amount: cny(PRICES.factoryTshirt + 1) }, network.factory.token), 422, 'refund_exceeds_paid', 'amount.amount');
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, { amount: { amount: 100, currency: 'USD' } }, network.factory.token), 400, 'validation_failed', 'amount.currency');
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, { amount: { amount: 10.5, currency: 'CNY' } }, network.factory.token), 400, 'validation_failed');
    expect(await snapshotDomain(database.url)).toEqual(before);

    const refunded = await api.post(`/v1/returns/${pending.id}/refund`, { amount: cny(PRICES.factoryTshirt / 2) }, network.factory.token);
    expectStatus(refunded, 200);
    expect(refunded.body.money.refundedByYou).toEqual(cny(PRICES.factoryTshirt / 2));
    // The broker passes on the same half of what the distributor paid it.
    expect((await view(pending.id, network.broker.token)).money.refundedByYou).toEqual(cny(PRICES.brokerTshirt / 2));
    expect((await view(pending.id, network.distributor.token)).money.refundedToYou).toEqual(cny(PRICES.brokerTshirt / 2));
    const perHop = await withDatabase(database.url, (client) => client.query(`select hop_index, amount::int from return_refund where return_request_id = $1 order by hop_index`, [pending.id]));
    expect(perHop.rows).toEqual([
      { hop_index: 0, amount: PRICES.brokerTshirt / 2 },
      { hop_index: 1, amount: PRICES.factoryTshirt / 2 },
    ]);
  });

  it('lets the supplier reject with a reason, after which the units may be asked for again', async () => {
    const { channelOrderId, parcels } = await shippedOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    await withDatabase(database.url, (client) => client.query(`update shipment set created_at = now() - interval '8 days' where fulfillment_order_id = $1`, [parcels[0].id]));
    const opened = await openReturn(channelOrderId, { kind: 'return_and_refund', reason: 'not needed', lines: [{ lineNo: 1, quantity: 1 }] });
    const pending: ReturnView = opened.body.returns[0];
    expect(pending.status).toBe('pending_approval');
    expectError(await api.post(`/v1/returns/${pending.id}/reject`, {}, network.factory.token), 400, 'validation_failed', 'reason');
    const rejected = await api.post(`/v1/returns/${pending.id}/reject`, { reason: 'outside the 7-day window and used' }, network.factory.token);
    expectStatus(rejected, 200);
    expect(await view(pending.id, network.distributor.token)).toEqual(expect.objectContaining({ status: 'rejected', decisionReason: 'outside the 7-day window and used' }));
    expectError(await api.post(`/v1/returns/${pending.id}/approve`, {}, network.factory.token), 409, 'return_illegal_transition');
    const again = await openReturn(channelOrderId, { kind: 'refund_only', reason: 'broken on arrival', lines: [{ lineNo: 1, quantity: 1 }] });
    expectStatus(again, 201);
    expectStatus(await api.post(`/v1/returns/${again.body.returns[0].id}/withdraw`, {}, network.distributor.token), 200);
    expect((await view(again.body.returns[0].id, network.factory.token)).status).toBe('withdrawn');
  });

  it('applies the window set on the offer, frozen when the order is routed; a re-share cannot promise longer than its seller', async () => {
    expectError(await api.patch(`/v1/offers/${network.offers.brokerMug}`, { returnWindowDays: 30 }, network.broker.token), 400, 'validation_failed', 'returnWindowDays');
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryMug}`, { returnWindowDays: 30 }, network.factory.token), 200);
    const patched = await api.patch(`/v1/offers/${network.offers.brokerMug}`, { returnWindowDays: 30 }, network.broker.token);
    expectStatus(patched, 200);
    expect(patched.body.returnWindowDays).toBe(30);
    const available = await api.get(`/v1/available-offers/${network.offers.brokerMug}`, network.distributor.token);
    expect(available.body.returnWindowDays).toBe(30);

    const { channelOrderId, parcels } = await shippedOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    await withDatabase(database.url, (client) => client.query(`update shipment set created_at = now() - interval '20 days' where fulfillment_order_id = $1`, [parcels[0].id]));
    // Shortening the window later does not change an order already routed.
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerMug}`, { returnWindowDays: 3 }, network.broker.token), 200);
    const opened = await openReturn(channelOrderId, { kind: 'return_and_refund', reason: 'colour', lines: [{ lineNo: 1, quantity: 1 }] });
    expectStatus(opened, 201);
    expect(opened.body.returns[0]).toEqual(expect.objectContaining({ status: 'approved', withinWindow: true }));
  });

  it('splits a return of goods from two suppliers into one case each', async () => {
    const { channelOrderId } = await shippedOrder([
      { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
      { code: 'HONEY', quantity: 2, unitPrice: PRICES.retailHoney },
    ]);
    const opened = await openReturn(channelOrderId, {
      kind: 'refund_only',
      reason: 'late',
      lines: [
        { lineNo: 1, quantity: 1 },
        { lineNo: 2, quantity: 2 },
      ],
    });
    expectStatus(opened, 201);
    expect(opened.body.returns).toHaveLength(2);
    const honeyCase = opened.body.returns.find((item: ReturnView) => item.lines[0].skuCode === 'HONEY-500');
    const farmView = await view(honeyCase.id, network.farm.token);
    expect(farmView.money.paidByBuyer).toEqual(cny(2 * PRICES.farmHoney));
    const tshirtCase = opened.body.returns.find((item: ReturnView) => item.lines[0].skuCode === 'TSHIRT-M');
    expectError(await api.get(`/v1/returns/${tshirtCase.id}`, network.farm.token), 404, 'return_not_found');
    // Keeping the goods always needs the supplier, even inside the window.
    expect(honeyCase.status).toBe('pending_approval');
    expectStatus(await api.post(`/v1/returns/${honeyCase.id}/approve`, {}, network.farm.token), 200);
    expectStatus(await api.post(`/v1/returns/${honeyCase.id}/refund`, {}, network.farm.token), 200);
    expect((await view(honeyCase.id, network.distributor.token)).money.refundedToYou).toEqual(cny(2 * PRICES.farmHoney));
  });

  it('turns an intercepted parcel into a return on arrival, and a failed interception into an approved return', async () => {
    for (const outcome of ['intercepted', 'failed'] as const) {
      const { channelOrderId, parcels } = await shippedOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
      const cancel = await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { reason: 'consumer changed their mind' }, network.distributor.token);
      expect(cancel.body.outcome).toBe('interception_requested');
      const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find(
        (item: { fulfillmentOrderId: string; status: string }) => item.fulfillmentOrderId === parcels[0].id,
      );
      const answer = await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome }, network.factory.token);
      expectStatus(answer, 200);
      expect(answer.body.returnId).toBeUndefined();
      const returnId = (await caseOfInterception(request.id, network.distributor.token)).id;
      // Once only, even when the event is delivered again (a copy of the answer's outbox row): one case.
      await withDatabase(database.url, (client) =>
        client.query(
          `insert into outbox_event (type, merchant_id, aggregate_id, payload) select type, merchant_id, aggregate_id, payload from outbox_event where type = 'interception.answered' and aggregate_id = $1`,
          [String(request.id)],
        ),
      );
      await settled();
      expect((await api.get(`/v1/returns?interceptionRequestId=${request.id}`, network.factory.token)).body.data).toEqual([expect.objectContaining({ id: returnId, yourRole: 'supplier' })]);
      // A merchant outside the chain finds nothing by the request's id.
      expect((await api.get(`/v1/returns?interceptionRequestId=${request.id}`, network.farm.token)).body.data).toEqual([]);
      const returnCase = await view(returnId, network.distributor.token);
      expect(returnCase).toEqual(
        expect.objectContaining({ kind: 'return_and_refund', origin: outcome === 'intercepted' ? 'interception' : 'failed_interception', status: 'approved', channelOrderId }),
      );
      expect(returnCase.lines).toEqual([expect.objectContaining({ quantity: 2 })]);
      if (outcome === 'intercepted') expectError(await api.post(`/v1/returns/${returnId}/withdraw`, {}, network.distributor.token), 409, 'return_not_withdrawable');
      // Every shipped unit is already coming back: cancelling again asks for no new interception.
      const repeat = await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1 }] }, network.distributor.token);
      expect(repeat.body.interceptionsRequested ?? 0).toBe(0);
      if (outcome === 'failed') {
        expectStatus(await api.post(`/v1/returns/${returnId}/return-shipment`, { carrierCode: 'ZTO', trackingNumber: '73000000000111' }, network.distributor.token), 200);
      }
      expectStatus(await api.post(`/v1/returns/${returnId}/receive`, { restock: false, note: 'box crushed' }, network.factory.token), 200);
      const refunded = await api.post(`/v1/returns/${returnId}/refund`, {}, network.factory.token);
      expectStatus(refunded, 200);
      expect((await view(returnId, network.distributor.token)).money.refundedToYou).toEqual(cny(2 * PRICES.brokerTshirt));
    }
  });

  it('holds the units of an intercepted parcel from the answer on, before after-sales has opened its case', async () => {
    const { channelOrderId, parcels } = await shippedOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    expect((await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token)).body.interceptionsRequested).toBe(1);
    const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === parcels[0].id);
    await settled();
    // No worker: the answer is recorded, the case waits for after-sales to react.
    await stage.stopWorker();
    try {
      expectStatus(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'intercepted' }, network.factory.token), 200);
      expect((await api.get(`/v1/returns?interceptionRequestId=${request.id}`, network.distributor.token)).body.data).toEqual([]);
      // The whole parcel is coming back: neither a consumer return nor another cancellation may ask for its units again.
      expectError(await openReturn(channelOrderId, { kind: 'return_and_refund', reason: 'too small', lines: [{ lineNo: 1, quantity: 1 }] }), 400, 'return_exceeds_shipped', 'lines[0].quantity');
      expect((await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token)).body.interceptionsRequested ?? 0).toBe(0);
    } finally {
      await stage.startWorker();
    }
    expect((await caseOfInterception(request.id, network.distributor.token)).lines).toEqual([expect.objectContaining({ quantity: 2 })]);
  });

  it('after a failed interception of some units, the return covers only the units the consumer cancelled', async () => {
    const { channelOrderId, parcels } = await shippedOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]);
    const cancel = await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expect(cancel.body.interceptionsRequested).toBe(1);
    const request = (await api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === parcels[0].id);
    expectStatus(await api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'failed' }, network.factory.token), 200);
    expect((await caseOfInterception(request.id, network.distributor.token)).lines).toEqual([expect.objectContaining({ quantity: 1 })]);
    await settled();
    // Two shipped units are still the consumer's: a later cancellation asks for a new interception.
    const later = await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expect(later.body.interceptionsRequested).toBe(1);
  });

  it('refuses bad requests with the field at fault and changes nothing', async () => {
    const { channelOrderId } = await shippedOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
    const unshipped = await push(shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]));
    await routed(unshipped.body.id);
    await settled();
    const before = await snapshotDomain(database.url);
    const valid = { kind: 'refund_only', reason: 'x', lines: [{ lineNo: 1, quantity: 1 }] };
    expectError(await openReturn(channelOrderId, { ...valid, lines: [{ lineNo: 1, quantity: 2 }] }), 400, 'return_exceeds_shipped', 'lines[0].quantity');
    expectError(await openReturn(channelOrderId, { ...valid, lines: [{ lineNo: 2, quantity: 1 }] }), 400, 'validation_failed', 'lines[0].lineNo');
    expectError(
      await openReturn(channelOrderId, {
        ...valid,
        lines: [
          { lineNo: 1, quantity: 1 },
          { lineNo: 1, quantity: 1 },
        ],
      }),
      400,
      'validation_failed',
      'lines[1].lineNo',
    );
    const notShipped = await openReturn(String(unshipped.body.id), valid);
    expectError(notShipped, 400, 'return_exceeds_shipped');
    expect(notShipped.body.error.message).toContain('cancel it instead');
    expectError(await openReturn(channelOrderId, { ...valid, kind: 'exchange' }), 400, 'validation_failed', 'kind');
    expectError(await openReturn(channelOrderId, { ...valid, photoUrls: ['javascript:alert(1)'] }), 400, 'validation_failed', 'photoUrls');
    expectError(await openReturn(channelOrderId, { ...valid, lines: [] }), 400, 'validation_failed', 'lines');
    expectError(await openReturn(channelOrderId, { ...valid, reason: '' }), 400, 'validation_failed', 'reason');
    expectError(await api.post(`/v1/channel-orders/${channelOrderId}/returns`, valid, network.broker.token), 404, 'channel_order_not_found');
    expectError(await api.post(`/v1/channel-orders/${channelOrderId}/returns`, valid, network.farm.token), 404, 'channel_order_not_found');
    expectError(await api.post('/v1/channel-orders/99999999/returns', valid, network.distributor.token), 404, 'channel_order_not_found');
    expectError(await api.get('/v1/returns/not-an-id', network.distributor.token), 404, 'return_not_found');
    expect(await snapshotDomain(database.url)).toEqual(before);
  });

  it('never deadlocks or fails when cancellations race returns and interception answers on the same orders', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, () => shippedOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }])));
    // Half: a return and a cancellation at once.
    const raced = await Promise.all(
      orders
        .slice(0, 6)
        .flatMap(({ channelOrderId }) => [
          openReturn(channelOrderId, { kind: 'return_and_refund', reason: 'race', lines: [{ lineNo: 1, quantity: 1 }] }),
          api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token),
        ]),
    );
    expect(raced.map((response) => response.status).filter((status) => status >= 500)).toEqual([]);
    expect(raced.every((response) => response.status === 200 || response.status === 201)).toBe(true);
    // The other half: cancel, then answer the interception while cancelling again.
    for (const { channelOrderId } of orders.slice(6)) {
      expectStatus(await api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token), 200);
    }
    const requests = (await api.get('/v1/interception-requests', network.factory.token)).body.data.filter((item: { status: string }) => item.status === 'requested');
    const answered = await Promise.all(
      orders.slice(6).flatMap(({ channelOrderId, parcels }) => {
        const request = requests.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === parcels[0].id);
        return [
          api.post(`/v1/interception-requests/${request.id}/answer`, { outcome: 'failed' }, network.factory.token),
          api.post(`/v1/channel-orders/${channelOrderId}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token),
        ];
      }),
    );
    expect(answered.map((response) => response.status).filter((status) => status >= 500)).toEqual([]);
    // The cases the answers open come from the worker: wait for it before counting claims.
    await settled();
    const overClaimed = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from fulfillment_order_line where returned_quantity > shipped_quantity`));
    expect(overClaimed.rows[0].n).toBe(0);
  });

  it('lets exactly as many concurrent returns through as units shipped', async () => {
    const { channelOrderId } = await shippedOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]);
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, index) => openReturn(channelOrderId, { kind: 'refund_only', reason: `attempt ${index}`, lines: [{ lineNo: 1, quantity: 1 }] })));
    expect(attempts.filter((response) => response.status === 201)).toHaveLength(3);
    expect(attempts.filter((response) => response.status !== 201).every((response) => response.body.error.code === 'return_exceeds_shipped')).toBe(true);
    const claimed = await withDatabase(database.url, (client) => client.query(`select sum(returned_quantity)::int as n from fulfillment_order_line where channel_order_id = $1`, [channelOrderId]));
    expect(claimed.rows[0].n).toBe(3);
  });
});
