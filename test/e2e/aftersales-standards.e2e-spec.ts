import { MikroORM, RequestContext } from '@mikro-orm/core';
import { AUTO_APPROVAL_REASON, ReturnAutoApprovalService } from '@gongxiao/aftersales';
import { cny, expectError, expectStatus, snapshotDomain, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder, orderRouted } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

const HOUR = 3_600_000;

interface ReturnView {
  id: string;
  status: string;
  createdAt: string;
  decidedBy: 'supplier' | 'auto' | null;
  decideBy: string | null;
  decisionReason: string | null;
  refundCount: number;
  receipt: { restocked: boolean; restockedUnits: number } | null;
  lines: { skuCode: string; quantity: number; restockedQuantity: number; fulfillmentOrderLineId?: string }[];
  money: Record<'paidToSeller' | 'paidByBuyer' | 'refundedToYou' | 'refundedByYou', { amount: number; currency: string } | null>;
}

/**
 * After-sales service standards along factory → broker → distributor: a case the supplier leaves
 * undecided past its deadline (the offer's returnDecisionHours, 48 by default) is approved
 * automatically, once, whoever races it; receipt restocks some units of some lines; a partial refund
 * is topped up, allocated down the chain again, never above what each buyer paid, each top-up
 * posted to the ledger once.
 */
describe('after-sales service standards', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;

  const query = async <Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  /** The sweep, on a clock of the test's choosing. */
  const sweep = (now: Date) => RequestContext.create(stage.worker.get(MikroORM).em, () => stage.worker.get(ReturnAutoApprovalService).approveOverdue(now));
  const view = async (returnId: string, token: string): Promise<ReturnView> => {
    const response = await api.get(`/v1/returns/${returnId}`, token);
    expectStatus(response, 200);
    return response.body;
  };
  /** Pushes an order, waits for routing, and ships every parcel in full. */
  const shippedOrder = async (lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder(lines), network.shop.secret);
    expectStatus(receipt, 202);
    await orderRouted(api, network, receipt.body.id);
    const parcels = await query<{ id: string }>(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1 order by 1`, [receipt.body.id]);
    for (const [index, parcel] of parcels.entries()) {
      const trackingNumber = `SF${String(receipt.body.id).padStart(11, '0').slice(-11)}${index}`;
      expectStatus(await api.post(`/v1/fulfillment-orders/${parcel.id}/shipments`, { carrierCode: 'SF', trackingNumber }, network.factory.token), 201);
    }
    return String(receipt.body.id);
  };
  const openReturn = async (channelOrderId: string, body: Record<string, unknown>): Promise<ReturnView> => {
    const opened = await api.post(`/v1/channel-orders/${channelOrderId}/returns`, body, network.distributor.token);
    expectStatus(opened, 201);
    return opened.body.returns[0];
  };
  /** A refund-only case (the consumer keeps the goods): it waits for the factory. */
  const pendingCase = async (code: 'TSHIRT' | 'MUG', quantity = 1) => {
    const channelOrderId = await shippedOrder([{ code, quantity, unitPrice: code === 'TSHIRT' ? PRICES.retailTshirt : PRICES.retailMug }]);
    const opened = await openReturn(channelOrderId, { kind: 'refund_only', reason: 'a seam came loose', lines: [{ lineNo: 1, quantity }] });
    expect(opened.status).toBe('pending_approval');
    return opened;
  };
  const onHand = async (skuId: string) =>
    (await query<{ on_hand: number }>(`select on_hand from stock_level where warehouse_id = $1 and sku_id = $2`, [network.warehouses.zhejiang, skuId]))[0].on_hand;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 500 });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('sets the decision deadline on the origin offer: 1 to 720 hours, the origin supplier’s alone', async () => {
    expectError(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { returnDecisionHours: 0 }, network.factory.token), 400, 'validation_failed', 'returnDecisionHours');
    expectError(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { returnDecisionHours: 721 }, network.factory.token), 400, 'validation_failed', 'returnDecisionHours');
    expectError(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { returnDecisionHours: 12 }, network.broker.token), 400, 'validation_failed', 'returnDecisionHours');
    expectError(
      await api.post('/v1/offers', { upstreamOfferId: network.offers.factoryMug, price: cny(2000), returnDecisionHours: 12 }, network.broker.token),
      400,
      'validation_failed',
      'returnDecisionHours',
    );
    const own = (await api.get('/v1/offers', network.factory.token)).body.data;
    expect(own.find((offer: { id: string }) => offer.id === network.offers.factoryMug).returnDecisionHours).toBe(48);
    expect((await api.get('/v1/offers', network.broker.token)).body.data.find((offer: { id: string }) => offer.id === network.offers.brokerMug).returnDecisionHours).toBeNull();

    const patched = await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { returnDecisionHours: 24 }, network.factory.token);
    expectStatus(patched, 200);
    expect(patched.body.returnDecisionHours).toBe(24);
    const tshirtCase = await pendingCase('TSHIRT');
    expect(new Date(tshirtCase.decideBy!).getTime() - new Date(tshirtCase.createdAt).getTime()).toBeGreaterThan(24 * HOUR - 60_000);
    expect(new Date(tshirtCase.decideBy!).getTime() - new Date(tshirtCase.createdAt).getTime()).toBeLessThan(24 * HOUR + 60_000);
    // A case keeps the deadline it opened with.
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { returnDecisionHours: 48 }, network.factory.token), 200);
    expect((await view(tshirtCase.id, network.factory.token)).decideBy).toBe(tshirtCase.decideBy);
    // A case approved at once (inside the no-reason window, goods coming back) has no deadline.
    const approvedAtOnce = await openReturn(await shippedOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), {
      kind: 'return_and_refund',
      reason: 'colour',
      lines: [{ lineNo: 1, quantity: 1 }],
    });
    expect(approvedAtOnce).toEqual(expect.objectContaining({ status: 'approved', decideBy: null, decidedBy: null }));
  });

  it('approves a case left undecided past 48 hours automatically, like a manual approval: not at 47 h, at 49 h', async () => {
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/distributor-events'), events: ['return.updated'] }, network.distributor.token), 201);
    const pending = await pendingCase('MUG');
    const opened = new Date(pending.createdAt).getTime();
    expect(new Date(pending.decideBy!).getTime() - opened).toBeGreaterThan(48 * HOUR - 60_000);

    await sweep(new Date(opened + 47 * HOUR));
    expect((await view(pending.id, network.factory.token)).status).toBe('pending_approval');
    await sweep(new Date(opened + 49 * HOUR));
    const approved = await view(pending.id, network.distributor.token);
    expect(approved).toEqual(expect.objectContaining({ status: 'approved', decidedBy: 'auto', decisionReason: AUTO_APPROVAL_REASON, decideBy: null }));
    expect(AUTO_APPROVAL_REASON).toContain('超时未处理，系统自动同意');
    // The same event as a manual approval, saying who decided.
    const told = await eventually(
      async () => sink.on('/distributor-events').find((call) => call.body.data.returnId === pending.id && call.body.data.status === 'approved'),
      15_000,
      'return.updated approved',
    );
    expect(told.body.data.decidedBy).toBe('auto');
    // The same effects: a refund-only case is refunded once approved; it can no longer be decided.
    expectError(await api.post(`/v1/returns/${pending.id}/approve`, {}, network.factory.token), 409, 'return_illegal_transition');
    expectError(await api.post(`/v1/returns/${pending.id}/reject`, { reason: 'too late' }, network.factory.token), 409, 'return_illegal_transition');
    const refunded = await api.post(`/v1/returns/${pending.id}/refund`, {}, network.factory.token);
    expectStatus(refunded, 200);
    expect(refunded.body.money.refundedByYou).toEqual(cny(PRICES.factoryMug));

    // The supplier sees the auto-approvals counted per SKU; scorecards read them batch-shaped.
    const rates = await api.get('/v1/quality/return-rates', network.factory.token);
    expect(rates.body.data.find((sku: { skuCode: string }) => sku.skuCode === 'MUG-350').casesAutoApproved).toBeGreaterThanOrEqual(1);
    expect(rates.body.total.casesAutoApproved).toBeGreaterThanOrEqual(1);
    expect((await api.get('/v1/quality/return-rates', network.farm.token)).body.total.casesAutoApproved).toBe(0);
  });

  it('approves each overdue case exactly once under two concurrent sweeps, and once when a supplier’s approval races the sweep', async () => {
    const cases = await Promise.all(Array.from({ length: 6 }, () => pendingCase('MUG')));
    const at = new Date(Math.max(...cases.map((item) => new Date(item.decideBy!).getTime())) + HOUR);
    const [{ overdue }] = await query<{ overdue: number }>(`select count(*)::int as overdue from return_request where status = 'pending_approval' and decide_by <= $1`, [at.toISOString()]);
    const counts = await Promise.all([sweep(at), sweep(at)]);
    expect(counts[0] + counts[1]).toBe(overdue);
    for (const item of cases) expect((await view(item.id, network.factory.token)).decidedBy).toBe('auto');
    expect(await sweep(at)).toBe(0);

    for (let round = 0; round < 4; round++) {
      const raced = await pendingCase('MUG');
      const racedAt = new Date(new Date(raced.decideBy!).getTime() + HOUR);
      const [manual, swept] = await Promise.all([api.post(`/v1/returns/${raced.id}/approve`, { reason: 'fine' }, network.factory.token), sweep(racedAt)]);
      const after = await view(raced.id, network.factory.token);
      expect(after.status).toBe('approved');
      if (manual.status === 200) {
        expect(after).toEqual(expect.objectContaining({ decidedBy: 'supplier', decisionReason: 'fine' }));
        expect(swept).toBe(0);
      } else {
        expectError(manual, 409, 'return_illegal_transition');
        expect(after.decidedBy).toBe('auto');
        expect(swept).toBe(1);
      }
    }
  });

  it('refuses a rejection once the deadline passed, before the sweep came', async () => {
    const pending = await pendingCase('MUG');
    await query(`update return_request set decide_by = now() - interval '1 minute' where id = $1`, [pending.id]);
    expectError(await api.post(`/v1/returns/${pending.id}/reject`, { reason: 'no' }, network.factory.token), 409, 'return_decision_overdue', 'decideBy');
    const approved = await api.post(`/v1/returns/${pending.id}/approve`, {}, network.factory.token);
    expectStatus(approved, 200);
    expect(approved.body.decidedBy).toBe('supplier');
  });

  it('restocks some units of some lines at receipt, with movements for those units only', async () => {
    const channelOrderId = await shippedOrder([
      { code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
    ]);
    const opened = await openReturn(channelOrderId, {
      kind: 'return_and_refund',
      reason: 'wrong order',
      lines: [
        { lineNo: 1, quantity: 3 },
        { lineNo: 2, quantity: 2 },
      ],
    });
    const factoryView = await view(opened.id, network.factory.token);
    const lineOf = (code: string) => factoryView.lines.find((line) => line.skuCode === code)!.fulfillmentOrderLineId!;
    const [tshirtBefore, mugBefore] = [await onHand(network.skus.tshirt), await onHand(network.skus.mug)];

    // The shipment's and the case's background work (availability, delisting rules) settles before the snapshot.
    await waitUntilSettled(database.url);
    const before = await snapshotDomain(database.url);
    const receive = (body: Record<string, unknown>) => api.post(`/v1/returns/${opened.id}/receive`, body, network.factory.token);
    expectError(await receive({ lines: [{ lineId: '999999999', restockQuantity: 1 }] }), 422, 'return_line_unknown', 'lines[0].lineId');
    expectError(await receive({ lines: [{ lineId: lineOf('TSHIRT-M'), restockQuantity: 4 }] }), 422, 'restock_exceeds_returned', 'lines[0].restockQuantity');
    expectError(
      await receive({
        lines: [
          { lineId: lineOf('MUG-350'), restockQuantity: 1 },
          { lineId: lineOf('MUG-350'), restockQuantity: 1 },
        ],
      }),
      422,
      'return_line_repeated',
      'lines[1].lineId',
    );
    expectError(await receive({ lines: [{ lineId: lineOf('MUG-350'), restockQuantity: -1 }] }), 400, 'validation_failed', 'lines[0].restockQuantity');
    // lines: null is neither per-line restock nor the whole case's choice: refused, the case not received.
    expectError(await receive({ lines: null }), 400, 'validation_failed', 'restock');
    expectError(await receive({}), 400, 'validation_failed', 'restock');
    expect(await snapshotDomain(database.url)).toEqual(before);

    const received = await receive({ restock: false, lines: [{ lineId: lineOf('TSHIRT-M'), restockQuantity: 2 }], note: 'one shirt stained, mugs chipped' });
    expectStatus(received, 200);
    const body: ReturnView = received.body;
    expect(body.status).toBe('received');
    expect(body.receipt).toEqual(expect.objectContaining({ restocked: true, restockedUnits: 2 }));
    expect(body.lines.map((line) => [line.skuCode, line.quantity, line.restockedQuantity])).toEqual([
      ['TSHIRT-M', 3, 2],
      ['MUG-350', 2, 0],
    ]);
    expect(await onHand(network.skus.tshirt)).toBe(tshirtBefore + 2);
    expect(await onHand(network.skus.mug)).toBe(mugBefore);
    expect(await query(`select sku_id::text, on_hand_delta from stock_movement where reason = 'return_restocked' and reference = $1`, [`return:${opened.id}`])).toEqual([
      { sku_id: network.skus.tshirt, on_hand_delta: 2 },
    ]);
    // The distributor sees what went back on the shelf too.
    expect((await view(opened.id, network.distributor.token)).lines.map((line) => line.restockedQuantity)).toEqual([2, 0]);
  });

  it('tops up a partial refund along the chain, per hop never above what was paid, each top-up in the ledger once', async () => {
    // Two T-shirts: the broker paid the factory 2 × 30.00, the distributor paid the broker 2 × 40.00.
    const pending = await pendingCase('TSHIRT', 2);
    expectStatus(await api.post(`/v1/returns/${pending.id}/approve`, {}, network.factory.token), 200);
    const refund = (body: Record<string, unknown>, key?: string) => api.post(`/v1/returns/${pending.id}/refund`, body, network.factory.token, key ? { 'idempotency-key': key } : undefined);
    expectStatus(await refund({ amount: cny(1000) }), 200);
    expectError(await refund({ amount: cny(0) }), 400, 'validation_failed', 'amount.amount');
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, { amount: cny(100) }, network.broker.token), 403, 'forbidden');
    expectError(await api.post(`/v1/returns/${pending.id}/refund`, { amount: cny(100) }, network.farm.token), 404, 'return_not_found');

    // A top-up names the refund it adds to: the first refund sent again is refused, not paid twice.
    expectError(await refund({ amount: cny(1000) }), 409, 'refund_already_recorded', 'expectedRefundCount');
    expectError(await refund({ amount: cny(1000), expectedRefundCount: 0 }), 409, 'refund_count_changed', 'expectedRefundCount');
    const topUp = await refund({ amount: cny(2000), expectedRefundCount: 1 }, `top-up-${pending.id}`);
    expectStatus(topUp, 200);
    expect(topUp.body).toEqual(expect.objectContaining({ status: 'refunded', refundCount: 2 }));
    expect(topUp.body.money.refundedByYou).toEqual(cny(3000));
    // A retried top-up (same key, same body) is the first answer again, not a third refund.
    const retried = await refund({ amount: cny(2000), expectedRefundCount: 1 }, `top-up-${pending.id}`);
    expectStatus(retried, 200);
    expect(retried.body.refundCount).toBe(2);
    // The same top-up without its key (a client that lost the answer and the key): refused, the count has moved on.
    expectError(await refund({ amount: cny(2000), expectedRefundCount: 1 }), 409, 'refund_count_changed');

    await waitUntilSettled(database.url);
    const before = await snapshotDomain(database.url);
    const over = await refund({ amount: cny(3001), expectedRefundCount: 2 });
    expectError(over, 422, 'refund_exceeds_paid', 'amount.amount');
    expect(over.body.error.message).toContain('at most ¥30.00');
    expect(await snapshotDomain(database.url)).toEqual(before);

    expectStatus(await refund({ expectedRefundCount: 2 }), 200);
    expectError(await refund({ expectedRefundCount: 3 }), 409, 'return_illegal_transition');
    expect((await view(pending.id, network.broker.token)).money).toEqual(
      expect.objectContaining({ refundedToYou: cny(2 * PRICES.factoryTshirt), refundedByYou: cny(2 * PRICES.brokerTshirt), paidByBuyer: cny(2 * PRICES.brokerTshirt) }),
    );
    const rows = await query<{ refund_no: number; hop_index: number; amount: number }>(
      `select refund_no, hop_index, amount::int from return_refund where return_request_id = $1 order by refund_no, hop_index`,
      [pending.id],
    );
    // 10.00 of 60.00 is 13.33 of 80.00; 20.00 more of the 50.00 left is 26.67 of the 66.67 left; then the rest.
    expect(rows).toEqual([
      { refund_no: 1, hop_index: 0, amount: 1333 },
      { refund_no: 1, hop_index: 1, amount: 1000 },
      { refund_no: 2, hop_index: 0, amount: 2667 },
      { refund_no: 2, hop_index: 1, amount: 2000 },
      { refund_no: 3, hop_index: 0, amount: 4000 },
      { refund_no: 3, hop_index: 1, amount: 3000 },
    ]);

    // Each refund is its own refund.recorded, taken by settlement once; a copy of an event posts nothing more.
    await query(
      `insert into outbox_event (type, merchant_id, aggregate_id, payload) select type, merchant_id, aggregate_id, payload from outbox_event where type = 'refund.recorded' and aggregate_id = $1`,
      [pending.id],
    );
    await waitUntilSettled(database.url);
    const entries = await query<{ source_key: string; amount: number; seller: string }>(
      `select source_key, amount::int, seller_merchant_id::text as seller from ledger_entry where kind = 'refund' and return_request_id = $1 order by id`,
      [pending.id],
    );
    const [{ line }] = await query<{ line: string }>(`select distinct fulfillment_order_line_id::text as line from return_refund where return_request_id = $1`, [pending.id]);
    expect(entries.map((entry) => [entry.source_key, entry.amount])).toEqual(
      expect.arrayContaining(rows.map((row) => [`refund:${pending.id}:line:${line}:hop:${row.hop_index}${row.refund_no > 1 ? `:topup:${row.refund_no}` : ''}`, row.amount])),
    );
    expect(new Set(entries.map((entry) => entry.source_key)).size).toBe(6);
    expect(entries.filter((entry) => entry.source_key.endsWith(':topup:2'))).toHaveLength(2);
    expect(entries.filter((entry) => entry.source_key.endsWith(':topup:3'))).toHaveLength(2);
    const bySeller = (merchantId: string) => entries.filter((entry) => entry.seller === merchantId).reduce((sum, entry) => sum + entry.amount, 0);
    expect(bySeller(network.factory.merchantId)).toBe(2 * PRICES.factoryTshirt);
    expect(bySeller(network.broker.merchantId)).toBe(2 * PRICES.brokerTshirt);
  });
});
