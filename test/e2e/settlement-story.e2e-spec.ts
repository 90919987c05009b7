import { nextPeriod, periodOf } from '@gongxiao/settlement';
import { exampleTrackingNumber } from '@gongxiao/core';
import { cny, expectStatus, moneyAmounts, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

const ZONE = 'Asia/Shanghai';
const currentMonth = periodOf(new Date(), ZONE).slice(0, 7);
const nextMonth = nextPeriod(periodOf(new Date(), ZONE)).slice(0, 7);
/** Shipping fees per parcel, in fen: the factory charges the broker, the broker charges the distributor its own. */
const FEES = { factory: 800, broker: 1000 };
const today = () => new Date().toISOString().slice(0, 10);

interface Balance {
  counterpartyMerchantId: string;
  held: { amount: number };
  charged: { amount: number };
  paid: { amount: number };
  available: { amount: number } | null;
  waiting: { orders: number; required: { amount: number }; missing: { amount: number } };
}

/**
 * A month of money along factory → broker → distributor, through the real api and worker, as a
 * finance person would follow it: orders hold what each buyer will owe, parcels post it, a
 * cancellation releases it, refunds reverse it; a prepaid buyer short of funds waits for its
 * top-up; the month closes, is issued, confirmed and paid; a late refund lands in the next month;
 * the broker sees its margin. At the end the ledger is checked against the shipments row by row.
 */
describe('the settlement story', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let factoryBroker: string;
  /** Order A: 5 T-shirts and 2 mugs; order B: 2 T-shirts, bought on prepaid terms. */
  let orderA: { id: string; externalOrderId: string; foId: string };
  let orderB: string;
  /** What each pair's buyer is charged so far, as the story goes (seller → buyer). */
  const charged = { factoryBroker: 0, brokerDistributor: 0 };

  const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const balances = async (token: string, side: 'receivable' | 'payable'): Promise<Balance[]> => {
    const response = await api.get(`/v1/settlement/balances?side=${side}`, token);
    expectStatus(response, 200);
    return response.body.data;
  };
  const balance = async (token: string, side: 'receivable' | 'payable', counterparty: string) => (await balances(token, side)).find((row) => row.counterpartyMerchantId === counterparty)!;
  /** Both sides of each pair see the same held and charged figures. */
  const expectPairs = async (expected: { factoryBroker: { held: number; charged: number }; brokerDistributor: { held: number; charged: number } }) => {
    const figures = (row: Balance) => ({ held: row.held.amount, charged: row.charged.amount });
    expect(figures(await balance(network.factory.token, 'receivable', network.broker.merchantId))).toEqual(expected.factoryBroker);
    expect(figures(await balance(network.broker.token, 'payable', network.factory.merchantId))).toEqual(expected.factoryBroker);
    expect(figures(await balance(network.broker.token, 'receivable', network.distributor.merchantId))).toEqual(expected.brokerDistributor);
    expect(figures(await balance(network.distributor.token, 'payable', network.broker.merchantId))).toEqual(expected.brokerDistributor);
  };
  const settled = () => waitUntilSettled(database.url);
  const statementOf = async (token: string, month: string, counterparty: string) => {
    const list = await api.get(`/v1/statements?side=receivable&period=${month}&counterpartyMerchantId=${counterparty}`, token);
    expectStatus(list, 200);
    expect(list.body.data).toHaveLength(1);
    return list.body.data[0];
  };
  const entriesOf = async (token: string, statementId: string) => {
    const response = await api.get(`/v1/statements/${statementId}/entries?limit=200`, token);
    expectStatus(response, 200);
    return response.body.data as { kind: string; amount: { amount: number }; skuCode: string | null; quantity: number | null; period: string; originalPeriod: string | null }[];
  };
  const returnAndRefund = async (channelOrderId: string, lineNo: number, quantity: number, tracking: string) => {
    const opened = await api.post(`/v1/channel-orders/${channelOrderId}/returns`, { kind: 'return_and_refund', reason: 'too small', lines: [{ lineNo, quantity }] }, network.distributor.token);
    expectStatus(opened, 201);
    const id = opened.body.returns[0].id as string;
    if (opened.body.returns[0].status === 'pending_approval') expectStatus(await api.post(`/v1/returns/${id}/approve`, {}, network.factory.token), 200);
    expectStatus(await api.post(`/v1/returns/${id}/return-shipment`, { carrierCode: 'YTO', trackingNumber: tracking }, network.distributor.token), 200);
    expectStatus(await api.post(`/v1/returns/${id}/receive`, { restock: true }, network.factory.token), 200);
    const refunded = await api.post(`/v1/returns/${id}/refund`, {}, network.factory.token);
    expectStatus(refunded, 200);
    return id;
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 500 });
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shippingFee: cny(FEES.factory) }, network.factory.token), 200);
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { shippingFee: cny(FEES.broker) }, network.broker.token), 200);
    [{ id: factoryBroker }] = await query<{ id: string }>(`select id::text from partnership where upstream_merchant_id = $1 and downstream_merchant_id = $2`, [
      network.factory.merchantId,
      network.broker.merchantId,
    ]);
  });

  it('holds what each buyer will owe when an order routes, shown to both sides of each pair and to no one else', async () => {
    const pushed = shopOrder([
      { code: 'TSHIRT', quantity: 5, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
    ]);
    const receipt = await push(pushed);
    expectStatus(receipt, 202);
    expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
    const [fo] = await query<{ id: string }>(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]);
    orderA = { id: String(receipt.body.id), externalOrderId: pushed.externalOrderId, foId: fo.id };
    await expectPairs({
      factoryBroker: { held: 5 * PRICES.factoryTshirt + 2 * PRICES.factoryMug, charged: 0 },
      brokerDistributor: { held: 5 * PRICES.brokerTshirt + 2 * PRICES.brokerMug, charged: 0 },
    });
    // Each sees its own pairs only: the factory never the distributor, the distributor never the factory's price.
    const factoryView = [...(await balances(network.factory.token, 'receivable')), ...(await balances(network.factory.token, 'payable'))];
    expect(factoryView.map((row) => row.counterpartyMerchantId)).toEqual([network.broker.merchantId]);
    expect(JSON.stringify(factoryView)).not.toContain(network.distributor.merchantId);
    const distributorView = [...(await balances(network.distributor.token, 'receivable')), ...(await balances(network.distributor.token, 'payable'))];
    expect(distributorView.map((row) => row.counterpartyMerchantId)).toEqual([network.broker.merchantId]);
    expect(moneyAmounts(distributorView)).not.toContain(5 * PRICES.factoryTshirt + 2 * PRICES.factoryMug);
    expect(await balances(network.farm.token, 'receivable')).toEqual([]);
  });

  it('posts each hop’s share when part of the order ships, with one shipping fee per parcel, exactly once', async () => {
    const fo = await api.get(`/v1/fulfillment-orders/${orderA.foId}`, network.factory.token);
    const lineOf = (code: string) => fo.body.lines.find((line: { skuCode: string }) => line.skuCode === code).id as string;
    const parcel = {
      carrierCode: 'SF',
      trackingNumber: exampleTrackingNumber('SF', `${orderA.id}01`),
      lines: [
        { lineId: lineOf('TSHIRT-M'), quantity: 3 },
        { lineId: lineOf('MUG-350'), quantity: 2 },
      ],
    };
    expectStatus(await api.post(`/v1/fulfillment-orders/${orderA.foId}/shipments`, parcel, network.factory.token), 201);
    charged.factoryBroker = 3 * PRICES.factoryTshirt + 2 * PRICES.factoryMug + FEES.factory;
    charged.brokerDistributor = 3 * PRICES.brokerTshirt + 2 * PRICES.brokerMug + FEES.broker;
    await eventually(async () => (await balance(network.broker.token, 'payable', network.factory.merchantId)).charged.amount > 0, 20_000, 'the parcel accrued');
    await settled();
    const expected = {
      factoryBroker: { held: 2 * PRICES.factoryTshirt, charged: charged.factoryBroker },
      brokerDistributor: { held: 2 * PRICES.brokerTshirt, charged: charged.brokerDistributor },
    };
    await expectPairs(expected);
    // The same parcel told again changes nothing.
    expectStatus(await api.post(`/v1/fulfillment-orders/${orderA.foId}/shipments`, parcel, network.factory.token), 200);
    await settled();
    await expectPairs(expected);

    const factoryStatement = await statementOf(network.factory.token, currentMonth, network.broker.merchantId);
    const lines = (await entriesOf(network.broker.token, factoryStatement.id)).map((entry) => [entry.kind, entry.skuCode, entry.quantity, entry.amount.amount]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['goods', 'TSHIRT-M', 3, 3 * PRICES.factoryTshirt],
        ['goods', 'MUG-350', 2, 2 * PRICES.factoryMug],
        ['shipping', null, 1, FEES.factory],
      ]),
    );
    expect(lines).toHaveLength(3);
    const brokerStatement = await statementOf(network.broker.token, currentMonth, network.distributor.merchantId);
    expect(brokerStatement).toEqual(expect.objectContaining({ goods: cny(3 * PRICES.brokerTshirt + 2 * PRICES.brokerMug), shipping: cny(FEES.broker), due: cny(charged.brokerDistributor) }));
  });

  it('releases the holds of the units the consumer cancelled before they shipped, and charges nothing for them', async () => {
    const url = `/v1/shops/${network.shop.id}/orders/${orderA.externalOrderId}/cancel`;
    const cancelled = await api.signedPost(url, { cancellationId: `C-${orderA.id}`, lines: [{ lineNo: 1, quantity: 2 }] }, network.shop.secret);
    expectStatus(cancelled, 200);
    expect(cancelled.body.outcome).toBe('cancelled');
    await eventually(async () => (await balance(network.broker.token, 'payable', network.factory.merchantId)).held.amount === 0, 20_000, 'the holds released');
    await settled();
    await expectPairs({ factoryBroker: { held: 0, charged: charged.factoryBroker }, brokerDistributor: { held: 0, charged: charged.brokerDistributor } });
    const holds = await query(`select hop_index, quantity, posted_quantity, voided_quantity from settlement_hold where channel_order_id = $1 order by channel_order_line_id, hop_index`, [orderA.id]);
    expect(holds).toEqual([
      { hop_index: 0, quantity: 5, posted_quantity: 3, voided_quantity: 2 },
      { hop_index: 1, quantity: 5, posted_quantity: 3, voided_quantity: 2 },
      { hop_index: 0, quantity: 2, posted_quantity: 2, voided_quantity: 0 },
      { hop_index: 1, quantity: 2, posted_quantity: 2, voided_quantity: 0 },
    ]);
  });

  it('reverses each hop’s share of a returned and refunded unit', async () => {
    await returnAndRefund(orderA.id, 1, 1, exampleTrackingNumber('YTO', `${orderA.id}91`));
    charged.factoryBroker -= PRICES.factoryTshirt;
    charged.brokerDistributor -= PRICES.brokerTshirt;
    await eventually(async () => (await balance(network.broker.token, 'payable', network.factory.merchantId)).charged.amount === charged.factoryBroker, 20_000, 'the refund reversed');
    await settled();
    await expectPairs({ factoryBroker: { held: 0, charged: charged.factoryBroker }, brokerDistributor: { held: 0, charged: charged.brokerDistributor } });
    const statement = await statementOf(network.broker.token, currentMonth, network.distributor.merchantId);
    expect((await entriesOf(network.distributor.token, statement.id)).filter((entry) => entry.kind === 'refund').map((entry) => entry.amount.amount)).toEqual([-PRICES.brokerTshirt]);
  });

  it('holds an order of a prepaid buyer short of funds, names what to top up, and routes it once the seller records the top-up', async () => {
    expectStatus(await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'prepaid' }, network.factory.token), 200);
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]));
    orderB = String(receipt.body.id);
    const held = await orderRouted(api, network, orderB);
    const needed = 2 * PRICES.factoryTshirt;
    // The broker already owes the factory what shipped; a top-up must cover that and this order.
    const short = needed + charged.factoryBroker;
    expect(held).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'insufficient_funds' }));
    // The distributor's order says only that someone upstream must settle it (never the broker's cost);
    // the broker, short of funds, sees what waits on it and what it must bring.
    expect(held.exceptionReason).toMatch(/further up this order's chain lacks funds/);
    expect(held.exceptionReason).not.toContain('¥');
    expect((await balance(network.broker.token, 'payable', network.factory.merchantId)).waiting).toEqual({ orders: 1, required: cny(needed), missing: cny(short) });
    expect((await balance(network.factory.token, 'receivable', network.broker.merchantId)).waiting).toEqual({ orders: 1, required: cny(needed), missing: cny(short) });

    const topUp = { buyerMerchantId: network.broker.merchantId, kind: 'top_up', amount: cny(short), method: 'bank_transfer', reference: 'ICBC-TOPUP-1', paidOn: today() };
    expectStatus(await api.post('/v1/settlement/payments', topUp, network.factory.token), 201);
    const order = await eventually(
      async () => {
        const response = await api.get(`/v1/channel-orders/${orderB}`, network.distributor.token);
        return response.body.status === 'routed' && response.body;
      },
      20_000,
      'the prepaid order routed after the top-up',
    );
    expect(order.exceptionCode).toBeNull();
    await settled();
    await expectPairs({ factoryBroker: { held: needed, charged: charged.factoryBroker }, brokerDistributor: { held: 2 * PRICES.brokerTshirt, charged: charged.brokerDistributor } });
    expect((await balance(network.broker.token, 'payable', network.factory.merchantId)).available).toEqual(cny(0));

    // The factory ships it whole: one parcel, one fee per hop.
    const [fo] = await query<{ id: string }>(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [orderB]);
    expectStatus(await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${orderB}02`) }, network.factory.token), 201);
    charged.factoryBroker += needed + FEES.factory;
    charged.brokerDistributor += 2 * PRICES.brokerTshirt + FEES.broker;
    await eventually(async () => (await balance(network.broker.token, 'payable', network.factory.merchantId)).held.amount === 0, 20_000, 'order B accrued');
    await settled();
    await expectPairs({ factoryBroker: { held: 0, charged: charged.factoryBroker }, brokerDistributor: { held: 0, charged: charged.brokerDistributor } });
  });

  it('closes the month early, issues, confirms and pays it in two goes; a later refund lands in the next month and the closed one stays as it was', async () => {
    expect((await api.post(`/v1/settlement/periods/${currentMonth}/close`, {}, network.factory.token)).body).toEqual({ period: currentMonth, statements: 1 });
    expect((await api.post(`/v1/settlement/periods/${currentMonth}/close`, {}, network.broker.token)).body).toEqual({ period: currentMonth, statements: 1 });

    const goods = (3 + 2) * PRICES.brokerTshirt + 2 * PRICES.brokerMug;
    const due = goods + 2 * FEES.broker - PRICES.brokerTshirt;
    expect(due).toBe(charged.brokerDistributor);
    const statement = await statementOf(network.broker.token, currentMonth, network.distributor.merchantId);
    const frozen = { frozen: true, openingBalance: cny(0), goods: cny(goods), shipping: cny(2 * FEES.broker), refunds: cny(PRICES.brokerTshirt), due: cny(due) };
    expect(statement).toEqual(expect.objectContaining({ status: 'draft', ...frozen }));
    expectStatus(await api.post(`/v1/statements/${statement.id}/issue`, {}, network.broker.token), 200);
    expectStatus(await api.post(`/v1/statements/${statement.id}/confirm`, {}, network.distributor.token), 200);
    const payment = (amount: number, reference: string) => ({
      buyerMerchantId: network.distributor.merchantId,
      kind: 'payment',
      amount: cny(amount),
      method: 'bank_transfer',
      reference,
      paidOn: today(),
      statementId: statement.id,
    });
    expectStatus(await api.post('/v1/settlement/payments', payment(10_000, 'ICBC-1'), network.broker.token), 201);
    expect((await api.get(`/v1/statements/${statement.id}`, network.distributor.token)).body).toEqual(
      expect.objectContaining({ status: 'confirmed', paid: cny(10_000), outstanding: cny(due - 10_000) }),
    );
    expectStatus(await api.post('/v1/settlement/payments', payment(due - 10_000, 'ICBC-2'), network.broker.token), 201);
    const paid = (await api.get(`/v1/statements/${statement.id}`, network.distributor.token)).body;
    expect(paid).toEqual(expect.objectContaining({ status: 'settled', paid: cny(due), outstanding: cny(0), ...frozen }));

    // The prepaid pair: the factory issues, the broker confirms, and the prepaid balance pays what it
    // covers; the parcel fees (charged, never held) overdrew it, so that much is left to pay.
    const upstream = await statementOf(network.factory.token, currentMonth, network.broker.merchantId);
    expect(upstream).toEqual(expect.objectContaining({ frozen: true, due: cny(charged.factoryBroker) }));
    expectStatus(await api.post(`/v1/statements/${upstream.id}/issue`, {}, network.factory.token), 200);
    const prepaid = await balance(network.broker.token, 'payable', network.factory.merchantId);
    const overdraft = Math.max(0, prepaid.charged.amount - prepaid.paid.amount);
    expect(overdraft).toBeGreaterThan(0);
    const confirmed = (await api.post(`/v1/statements/${upstream.id}/confirm`, {}, network.broker.token)).body;
    expect(confirmed).toEqual(expect.objectContaining({ status: 'confirmed', paid: cny(charged.factoryBroker - overdraft), outstanding: cny(overdraft) }));
    expectStatus(
      await api.post(
        '/v1/settlement/payments',
        { buyerMerchantId: network.broker.merchantId, kind: 'payment', amount: cny(overdraft), method: 'alipay', reference: 'ALI-FEES', paidOn: today(), statementId: upstream.id },
        network.factory.token,
      ),
      201,
    );
    expect((await api.get(`/v1/statements/${upstream.id}`, network.broker.token)).body).toEqual(expect.objectContaining({ status: 'settled', outstanding: cny(0) }));

    // A unit of order A comes back after the close.
    await returnAndRefund(orderA.id, 1, 1, exampleTrackingNumber('YTO', `${orderA.id}92`));
    charged.factoryBroker -= PRICES.factoryTshirt;
    charged.brokerDistributor -= PRICES.brokerTshirt;
    await eventually(async () => (await balance(network.broker.token, 'payable', network.factory.merchantId)).charged.amount === charged.factoryBroker, 20_000, 'the late refund');
    await settled();
    expect((await api.get(`/v1/statements/${statement.id}`, network.distributor.token)).body).toEqual(paid);
    expect((await entriesOf(network.distributor.token, statement.id)).filter((entry) => entry.kind === 'refund')).toHaveLength(1);
    const next = await statementOf(network.broker.token, nextMonth, network.distributor.merchantId);
    const late = (await entriesOf(network.distributor.token, next.id)).filter((entry) => entry.kind === 'refund');
    expect(late).toEqual([expect.objectContaining({ amount: cny(-PRICES.brokerTshirt), period: nextMonth, originalPeriod: currentMonth, skuCode: 'TSHIRT-M', quantity: 1 })]);
    const upstreamNext = await statementOf(network.factory.token, nextMonth, network.broker.merchantId);
    expect((await entriesOf(network.broker.token, upstreamNext.id)).filter((entry) => entry.kind === 'refund')).toEqual([
      expect.objectContaining({ amount: cny(-PRICES.factoryTshirt), originalPeriod: currentMonth }),
    ]);
  });

  it('shows the broker its margin (its price − the factory’s, per net unit shipped) and each other party only its own hop', async () => {
    const margins = await api.get(`/v1/settlement/margins?period=${currentMonth}`, network.broker.token);
    expectStatus(margins, 200);
    const tshirts = 3 - 1 + 2;
    const bySku = (code: string | null) => margins.body.bySku.find((row: { skuCode: string | null }) => row.skuCode === code);
    expect(bySku('TSHIRT-M').margin).toEqual(cny((PRICES.brokerTshirt - PRICES.factoryTshirt) * tshirts));
    expect(bySku('MUG-350').margin).toEqual(cny((PRICES.brokerMug - PRICES.factoryMug) * 2));
    expect(bySku(null).margin).toEqual(cny((FEES.broker - FEES.factory) * 2));
    const total = (rows: { margin: { amount: number } }[]) => rows.reduce((sum, row) => sum + row.margin.amount, 0);
    const expected = (PRICES.brokerTshirt - PRICES.factoryTshirt) * tshirts + (PRICES.brokerMug - PRICES.factoryMug) * 2 + (FEES.broker - FEES.factory) * 2;
    expect(total(margins.body.bySku)).toBe(expected);
    expect(total(margins.body.byPartner)).toBe(expected);
    const later = await api.get(`/v1/settlement/margins?period=${nextMonth}`, network.broker.token);
    expect(total(later.body.bySku)).toBe(-(PRICES.brokerTshirt - PRICES.factoryTshirt));

    // The distributor sees its payables to the broker, the factory its receivables from it: neither the other hop's figures.
    const broker = margins.body as { byPartner: { billed: { amount: number }; owed: { amount: number } }[]; bySku: { billed: { amount: number }; owed: { amount: number } }[] };
    const figures = (side: 'billed' | 'owed') => [...broker.byPartner, ...broker.bySku].map((row) => row[side].amount).filter((amount) => amount !== 0);
    const distributor = (await api.get(`/v1/settlement/margins?period=${currentMonth}`, network.distributor.token)).body;
    expect(distributor.byPartner.map((row: { merchantId: string }) => row.merchantId)).toEqual([network.broker.merchantId]);
    expect(JSON.stringify(distributor)).not.toContain(network.factory.name);
    expect(moneyAmounts(distributor).filter((amount) => figures('owed').includes(Math.abs(amount)))).toEqual([]);
    const factory = (await api.get(`/v1/settlement/margins?period=${currentMonth}`, network.factory.token)).body;
    expect(factory.byPartner.map((row: { merchantId: string }) => row.merchantId)).toEqual([network.broker.merchantId]);
    expect(JSON.stringify(factory)).not.toContain(network.distributor.name);
    expect(moneyAmounts(factory).filter((amount) => figures('billed').includes(Math.abs(amount)))).toEqual([]);
  });

  it('balances in the database: one goods entry per shipped line and hop, debits = credits, balances = their entries and holds', async () => {
    await settled();
    const goods = await query<{ entries: number; amount: string | null; expected: string }>(
      `select count(e.id)::int as entries, sum(e.amount)::text as amount, (h.unit_price_amount * sl.quantity)::text as expected
         from shipment_line sl
         join fulfillment_line_hop h on h.fulfillment_order_line_id = sl.fulfillment_order_line_id
         join fulfillment_order_line l on l.id = sl.fulfillment_order_line_id
         left join ledger_entry e on e.kind = 'goods' and e.shipment_id = sl.shipment_id and e.fulfillment_order_line_id = sl.fulfillment_order_line_id
                                  and e.seller_merchant_id = h.seller_merchant_id and e.buyer_merchant_id = h.buyer_merchant_id
        where l.channel_order_id = any($1::bigint[])
        group by sl.shipment_id, sl.fulfillment_order_line_id, h.hop_index, h.unit_price_amount, sl.quantity`,
      [[orderA.id, orderB]],
    );
    expect(goods).toHaveLength(2 * 3);
    for (const row of goods) expect(row).toEqual({ entries: 1, amount: row.expected, expected: row.expected });
    expect(await query(`select count(*)::int as n from ledger_entry where kind = 'goods'`)).toEqual([{ n: 6 }]);

    const accounts = await query<{ account: string; net: string }>(
      `select account, sum(amount)::text as net from (
         select debit_account as account, amount from ledger_entry union all select credit_account, -amount from ledger_entry
       ) t group by account order by account`,
    );
    expect(accounts.reduce((sum, row) => sum + BigInt(row.net), 0n)).toBe(0n);
    const mismatched = await query(
      `select b.id, b.charged_amount, b.paid_amount, b.held_amount, e.charged, e.paid, h.held
         from settlement_balance b
         left join lateral (select coalesce(sum(case when kind in ('goods', 'shipping', 'adjustment') and debit_account = 'receivable' then amount
                                                     when kind in ('refund', 'adjustment') and credit_account = 'receivable' and debit_account = 'revenue' then -amount else 0 end), 0) as charged,
                                   coalesce(sum(amount) filter (where debit_account = 'cash'), 0) as paid
                              from ledger_entry where seller_merchant_id = b.seller_merchant_id and buyer_merchant_id = b.buyer_merchant_id and currency = b.currency) e on true
         left join lateral (select coalesce(sum(unit_price_amount * (quantity - posted_quantity - voided_quantity)), 0) as held from settlement_hold where balance_id = b.id) h on true
        where b.charged_amount <> e.charged or b.paid_amount <> e.paid or b.held_amount <> h.held`,
    );
    expect(mismatched).toEqual([]);
    expect(await query(`select count(*)::int as n from settlement_balance`)).toEqual([{ n: 2 }]);
    const pairs = await query<{ seller: string; charged: string }>(`select seller_merchant_id::text as seller, charged_amount::text as charged from settlement_balance order by seller`);
    expect(Object.fromEntries(pairs.map((row) => [row.seller, Number(row.charged)]))).toEqual({
      [network.factory.merchantId]: charged.factoryBroker,
      [network.broker.merchantId]: charged.brokerDistributor,
    });
  });
});
