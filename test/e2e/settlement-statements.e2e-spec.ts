import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ClosePeriodService, NewEntry, nextPeriod, periodOf, postEntries, previousPeriod, startOfPeriod } from '@gongxiao/settlement';
import { cny, expectError, expectStatus, moneyAmounts, partner, PASSWORD, signUp, SignedUpMerchant, snapshotDomain, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

const ZONE = 'Asia/Shanghai';
/** The month that just ended in Shanghai (the payees' default zone), as YYYY-MM and as its first day. */
const lastPeriod = previousPeriod(periodOf(new Date(), ZONE));
const lastMonth = lastPeriod.slice(0, 7);
const currentMonth = periodOf(new Date(), ZONE).slice(0, 7);
const nextMonth = nextPeriod(periodOf(new Date(), ZONE)).slice(0, 7);
const inLastMonth = (day: number, hourUtc = 2) => new Date(startOfPeriod(lastPeriod, ZONE).getTime() + (day - 1) * 86_400_000 + hourUtc * 3_600_000);

/**
 * A month of money along a chain: a factory supplies a broker that re-sells to a distributor.
 * Hops accrue (seeded as ledger entries, as shipments and refunds would post them); the factory
 * closes its month, issues the broker's statement; the broker disputes a line, the factory corrects
 * it in the next open month and re-issues; the broker confirms, pays in two goes and asks for an
 * invoice. Every wrong move is a 4xx that changes nothing, and no one else sees any of it.
 */
describe('settlement statements', () => {
  const stage = useStage({ worker: false });
  const { api, database } = stage;
  let factory: SignedUpMerchant;
  let broker: SignedUpMerchant;
  let distributor: SignedUpMerchant;
  let outsider: SignedUpMerchant;
  let factoryBroker: string;
  let brokerDistributor: string;
  let statementId: string;
  let refundEntryId: string;

  const post = async (entries: NewEntry[]) => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    return em.transactional((tx) => postEntries(tx, entries));
  };
  const count = async (sql: string, params: unknown[] = []) => (await withDatabase(database.url, (client) => client.query(sql, params))).rows[0].n as number;
  const unchanged = async (attempt: () => Promise<void>) => {
    const before = await snapshotDomain(database.url);
    await attempt();
    expect(await snapshotDomain(database.url)).toEqual(before);
  };
  const memberToken = async (owner: SignedUpMerchant, role: string) => {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    expectStatus(await api.post('/v1/members', { email, name: role, role, password: PASSWORD }, owner.token), 201);
    return (await api.post('/v1/auth/login', { email, password: PASSWORD })).body.token as string;
  };

  beforeAll(async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    factory = await signUp(api, 'Yiwu Sunrise Factory', 'Li', `factory-${tag}@example.com`);
    broker = await signUp(api, 'Hangzhou Bridge Trading', 'Wang', `broker-${tag}@example.com`);
    distributor = await signUp(api, 'Happy Home Stores', 'Zhao', `distributor-${tag}@example.com`);
    outsider = await signUp(api, 'Nosy Competitor', 'Feng', `nosy-${tag}@example.com`);
    factoryBroker = await partner(api, factory, broker);
    brokerDistributor = await partner(api, broker, distributor);
    const hop = (seller: SignedUpMerchant, buyer: SignedUpMerchant) => ({ sellerMerchantId: seller.merchantId, buyerMerchantId: buyer.merchantId, currency: 'CNY' });
    const [, , refund] = await post([
      {
        sourceKey: 't:goods:1',
        kind: 'goods',
        direction: 'charge',
        ...hop(factory, broker),
        amount: 6000n,
        occurredAt: inLastMonth(3),
        externalOrderId: 'WX-1001',
        fulfillmentOrderId: null,
        skuCode: 'TSHIRT-M',
        quantity: 2,
        unitPriceAmount: 3000n,
      },
      { sourceKey: 't:ship:1', kind: 'shipping', direction: 'charge', ...hop(factory, broker), amount: 800n, occurredAt: inLastMonth(3), externalOrderId: 'WX-1001' },
      {
        sourceKey: 't:refund:1',
        kind: 'refund',
        direction: 'credit',
        ...hop(factory, broker),
        amount: 3000n,
        occurredAt: inLastMonth(10),
        externalOrderId: 'WX-1001',
        skuCode: 'TSHIRT-M',
        quantity: 1,
        unitPriceAmount: 3000n,
      },
      {
        sourceKey: 't:goods:2',
        kind: 'goods',
        direction: 'charge',
        ...hop(broker, distributor),
        amount: 8000n,
        occurredAt: inLastMonth(3),
        externalOrderId: 'WX-1001',
        skuCode: 'TSHIRT-M',
        quantity: 2,
        unitPriceAmount: 4000n,
      },
      { sourceKey: 't:ship:2', kind: 'shipping', direction: 'charge', ...hop(broker, distributor), amount: 1000n, occurredAt: inLastMonth(3), externalOrderId: 'WX-1001' },
    ]);
    refundEntryId = refund.id;
    const subscription = await api.post('/v1/webhook-subscriptions', { url: 'https://erp.example.com/hooks', events: ['statement.issued', 'statement.settled', 'invoice.issued'] }, broker.token);
    expectStatus(subscription, 201);
  });

  it('lets the supplier set on-account credit for its buyer; raising it tells fulfillment funds were added', async () => {
    const fundsAdded = () => count(`select count(*)::int as n from outbox_event where type = 'funds.added'`);
    // On account without a limit is unlimited: a limit takes room away, and adds no funds.
    expectStatus(await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'on_account', creditLimit: cny(50_000) }, factory.token), 200);
    expect(await fundsAdded()).toBe(0);
    const set = await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'on_account', creditLimit: cny(100_000) }, factory.token);
    expectStatus(set, 200);
    expect(set.body).toEqual(
      expect.objectContaining({ counterpartyMerchantId: broker.merchantId, partnershipId: factoryBroker, terms: 'on_account', creditLimit: cny(100_000), charged: cny(3800), available: cny(96_200) }),
    );
    expect(await fundsAdded()).toBe(1);
    // The buyer cannot set its own terms; a currency other than the partnership's is refused.
    expectError(await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'on_account' }, broker.token), 403, 'forbidden');
    await unchanged(async () => {
      expectError(
        await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'on_account', creditLimit: { amount: 100, currency: 'USD' } }, factory.token),
        400,
        'currency_mismatch',
        'creditLimit.currency',
      );
      expectError(await api.put(`/v1/partnerships/${factoryBroker}/payment-terms`, { terms: 'on_account' }, outsider.token), 404, 'partnership_not_found');
    });
    const payables = await api.get('/v1/settlement/balances?side=payable', broker.token);
    expect(payables.body.data).toEqual([expect.objectContaining({ counterpartyMerchantId: factory.merchantId, counterpartyName: 'Yiwu Sunrise Factory', balance: cny(-3800), creditUsed: cny(3800) })]);
    expect((await api.get('/v1/settlement/balances?side=receivable', outsider.token)).body.data).toEqual([]);
  });

  it('shows the open month’s statement live to both sides, line by line in the payee’s time zone, and to no one else', async () => {
    const list = await api.get(`/v1/statements?side=receivable&period=${lastMonth}`, factory.token);
    expectStatus(list, 200);
    expect(list.body.data).toHaveLength(1);
    statementId = list.body.data[0].id;
    expect(list.body.data[0]).toEqual(
      expect.objectContaining({
        status: 'draft',
        frozen: false,
        goods: cny(6000),
        shipping: cny(800),
        refunds: cny(3000),
        due: cny(3800),
        payer: { merchantId: broker.merchantId, name: 'Hangzhou Bridge Trading' },
      }),
    );
    expect((await api.get(`/v1/statements/${statementId}`, broker.token)).body).toEqual(expect.objectContaining({ yourSide: 'payable', due: cny(3800) }));
    const entries = await api.get(`/v1/statements/${statementId}/entries`, broker.token);
    expect(entries.body.data.map((entry: { amount: { amount: number } }) => entry.amount.amount)).toEqual([6000, 800, -3000]);
    expect(entries.body.data[0]).toEqual(
      expect.objectContaining({ externalOrderId: 'WX-1001', skuCode: 'TSHIRT-M', quantity: 2, unitPrice: cny(3000), kind: 'goods', occurredAt: expect.stringMatching(/\+08:00$/) }),
    );
    for (const other of [distributor, outsider]) {
      expectError(await api.get(`/v1/statements/${statementId}`, other.token), 404, 'statement_not_found');
      expectError(await api.get(`/v1/statements/${statementId}/entries`, other.token), 404, 'statement_not_found');
    }
    expect((await api.get('/v1/statements', outsider.token)).body.data).toEqual([]);
  });

  it('issues a statement only once its month is closed; a month closes once, after it ended', async () => {
    await unchanged(async () => {
      expectError(await api.post(`/v1/statements/${statementId}/issue`, {}, factory.token), 409, 'period_open');
      expectError(await api.post(`/v1/settlement/periods/${nextMonth}/close`, {}, factory.token), 400, 'period_not_started', 'period');
      for (const malformed of ['2026-13', '0000-00', '2026-1', 'abc']) {
        expectError(await api.post(`/v1/settlement/periods/${malformed}/close`, {}, factory.token), 400, 'validation_failed', 'period');
      }
    });
    const closed = await api.post(`/v1/settlement/periods/${lastMonth}/close`, {}, factory.token);
    expectStatus(closed, 200);
    expect(closed.body).toEqual({ period: lastMonth, statements: 1 });
    await unchanged(async () => expectError(await api.post(`/v1/settlement/periods/${lastMonth}/close`, {}, factory.token), 409, 'period_closed'));
    expect((await api.get('/v1/settlement/periods', factory.token)).body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ period: lastMonth, status: 'closed', closedAutomatically: false, statements: 1 })]),
    );
    const frozen = await api.get(`/v1/statements/${statementId}`, factory.token);
    expect(frozen.body).toEqual(expect.objectContaining({ frozen: true, openingBalance: cny(0), due: cny(3800), payments: cny(0), closingBalance: cny(3800) }));
    // The payer confirms nothing before it is issued.
    await unchanged(async () => expectError(await api.post(`/v1/statements/${statementId}/confirm`, {}, broker.token), 409, 'statement_illegal_transition'));
    const issued = await api.post(`/v1/statements/${statementId}/issue`, {}, factory.token);
    expectStatus(issued, 200);
    expect(issued.body.status).toBe('issued');
    expect(await count(`select count(*)::int as n from webhook_delivery where event_type = 'statement.issued'`)).toBe(1);
  });

  it('sends a disputed statement back to the payee, who corrects it in the open month and re-issues it', async () => {
    await unchanged(async () => {
      expectError(await api.post(`/v1/statements/${statementId}/dispute`, { reason: 'x', lines: [{ entryId: refundEntryId, reason: 'x' }] }, factory.token), 403, 'forbidden');
      expectError(
        await api.post(`/v1/statements/${statementId}/dispute`, { reason: 'x', lines: [{ entryId: '999999', reason: 'x' }] }, broker.token),
        400,
        'entry_not_on_statement',
        'lines[0].entryId',
      );
    });
    const disputed = await api.post(`/v1/statements/${statementId}/dispute`, { reason: 'refund too small', lines: [{ entryId: refundEntryId, reason: 'two shirts came back' }] }, broker.token);
    expectStatus(disputed, 200);
    expect(disputed.body.status).toBe('disputed');
    await unchanged(async () => {
      expectError(
        await api.post(
          '/v1/settlement/payments',
          { buyerMerchantId: broker.merchantId, kind: 'payment', amount: cny(100), method: 'alipay', reference: 'A1', paidOn: '2026-12-01', statementId },
          factory.token,
        ),
        409,
        'statement_not_confirmed',
      );
      const closedMonth = { buyerMerchantId: broker.merchantId, direction: 'credit', amount: cny(3000), reason: 'second shirt', period: lastMonth };
      expectError(await api.post('/v1/settlement/adjustments', closedMonth, factory.token), 409, 'period_closed', 'period');
      expectError(await api.post('/v1/settlement/adjustments', { ...closedMonth, period: undefined, buyerMerchantId: factory.merchantId }, broker.token), 404, 'partner_not_found');
    });
    const adjustment = await api.post(
      '/v1/settlement/adjustments',
      { buyerMerchantId: broker.merchantId, direction: 'credit', amount: cny(3000), reason: 'second shirt came back', referencesEntryId: refundEntryId },
      factory.token,
    );
    expectStatus(adjustment, 201);
    expect(adjustment.body).toEqual(
      expect.objectContaining({ kind: 'adjustment', amount: cny(-3000), period: currentMonth, reason: 'second shirt came back', referencesEntryId: refundEntryId, memberId: expect.any(String) }),
    );
    expect((await api.get('/v1/settlement/adjustments', broker.token)).body.data).toEqual([expect.objectContaining({ id: adjustment.body.id })]);
    const reissued = await api.post(`/v1/statements/${statementId}/issue`, { note: 'credit in the next month' }, factory.token);
    expect(reissued.body).toEqual(expect.objectContaining({ status: 'issued', revision: 1, due: cny(3800) }));
  });

  it('confirms, takes a partial payment, refuses one above what is due, and settles when paid in full (retried safely)', async () => {
    expectStatus(await api.post(`/v1/statements/${statementId}/confirm`, {}, broker.token), 200);
    const payment = (amount: number, extra: Record<string, unknown> = {}) => ({
      buyerMerchantId: broker.merchantId,
      kind: 'payment',
      amount: cny(amount),
      method: 'bank_transfer',
      reference: 'ICBC-778',
      paidOn: '2026-12-01',
      statementId,
      ...extra,
    });
    const first = await api.post('/v1/settlement/payments', payment(2000), factory.token);
    expectStatus(first, 201);
    expect((await api.get(`/v1/statements/${statementId}`, broker.token)).body).toEqual(expect.objectContaining({ status: 'confirmed', paid: cny(2000), outstanding: cny(1800) }));
    await unchanged(async () => {
      expectError(await api.post('/v1/settlement/payments', payment(2500), factory.token), 400, 'payment_exceeds_due', 'amount.amount');
      expectError(await api.post('/v1/settlement/payments', payment(-5), factory.token), 400, 'validation_failed', 'amount.amount');
      expectError(await api.post('/v1/settlement/payments', payment(10.5), factory.token), 400, 'validation_failed', 'amount.amount');
      expectError(await api.post('/v1/settlement/payments', payment(100, { amount: { amount: 100, currency: 'USD' } }), factory.token), 400, 'currency_mismatch', 'amount.currency');
      expectError(await api.post('/v1/settlement/payments', payment(100, { statementId: undefined }), factory.token), 400, 'validation_failed', 'statementId');
      expectError(await api.post('/v1/settlement/payments', payment(100), broker.token), 404, /not_found$/);
      expectError(await api.post('/v1/settlement/payments', { ...payment(100), buyerMerchantId: outsider.merchantId }, factory.token), 404, 'partner_not_found');
    });
    const key = { 'idempotency-key': `pay-${statementId}-2` };
    const second = await api.post('/v1/settlement/payments', payment(1800), factory.token, key);
    expectStatus(second, 201);
    const again = await api.post('/v1/settlement/payments', payment(1800), factory.token, key);
    expect(again.body).toEqual(second.body);
    expect(await count(`select count(*)::int as n from settlement_payment where statement_id = $1`, [statementId])).toBe(2);
    expect((await api.get(`/v1/statements/${statementId}`, broker.token)).body).toEqual(expect.objectContaining({ status: 'settled', paid: cny(3800), outstanding: cny(0) }));
    expect((await api.get('/v1/settlement/payments?side=payable', broker.token)).body.data).toHaveLength(2);
    expect((await api.get('/v1/settlement/payments', outsider.token)).body.data).toEqual([]);
    expect(await count(`select count(*)::int as n from statement_move where statement_id = $1`, [statementId])).toBe(5);
  });

  it('takes an invoice request against the settled statement, and the payee issues it', async () => {
    const request = { title: '杭州桥贸易有限公司', taxNumber: '91330100MA2XXXXX0X', amount: cny(3800), invoiceType: 'special' };
    await unchanged(async () => {
      expectError(await api.post(`/v1/statements/${statementId}/invoice-requests`, { ...request, amount: cny(3801) }, broker.token), 400, 'invoice_exceeds_due', 'amount.amount');
      expectError(await api.post(`/v1/statements/${statementId}/invoice-requests`, request, outsider.token), 404, 'statement_not_found');
    });
    const requested = await api.post(`/v1/statements/${statementId}/invoice-requests`, request, broker.token);
    expectStatus(requested, 201);
    const invoiceId = requested.body.id;
    expectError(await api.post(`/v1/statements/${statementId}/invoice-requests`, { ...request, amount: cny(1) }, broker.token), 400, 'invoice_exceeds_due');
    await unchanged(async () => {
      expectError(await api.post(`/v1/invoice-requests/${invoiceId}/issue`, { invoiceNumber: 'X', issuedOn: '2026-12-08' }, broker.token), 403, 'forbidden');
      expectError(await api.post(`/v1/invoice-requests/${invoiceId}/issue`, { invoiceNumber: 'X', issuedOn: '2026-12-08' }, outsider.token), 404, 'invoice_request_not_found');
    });
    const issued = await api.post(`/v1/invoice-requests/${invoiceId}/issue`, { invoiceNumber: '04412345', issuedOn: '2026-12-08' }, factory.token);
    expect(issued.body).toEqual(expect.objectContaining({ status: 'issued', invoiceNumber: '04412345', amount: cny(3800) }));
    expectError(await api.post(`/v1/invoice-requests/${invoiceId}/reject`, { reason: 'late' }, factory.token), 409, 'invoice_request_illegal_transition');
    expect((await api.get('/v1/invoice-requests?side=payable', broker.token)).body.data).toEqual([expect.objectContaining({ id: invoiceId })]);
    expect((await api.get('/v1/invoice-requests', outsider.token)).body.data).toEqual([]);
  });

  it('takes top-ups on prepaid terms only, and a prepaid statement settles when confirmed', async () => {
    expectStatus(await api.put(`/v1/partnerships/${brokerDistributor}/payment-terms`, { terms: 'prepaid' }, broker.token), 200);
    const topUp = { buyerMerchantId: distributor.merchantId, kind: 'top_up', amount: cny(20_000), method: 'wechat_pay', reference: 'WX-TOPUP-1', paidOn: '2026-12-01' };
    expectStatus(await api.post('/v1/settlement/payments', topUp, broker.token), 201);
    const balance = (await api.get('/v1/settlement/balances?side=payable', distributor.token)).body.data[0];
    expect(balance).toEqual(expect.objectContaining({ terms: 'prepaid', paid: cny(20_000), charged: cny(9000), balance: cny(11_000), available: cny(11_000) }));
    await unchanged(async () => expectError(await api.post('/v1/settlement/payments', { ...topUp, buyerMerchantId: broker.merchantId }, factory.token), 409, 'not_prepaid'));
    expectStatus(await api.post(`/v1/settlement/periods/${lastMonth}/close`, {}, broker.token), 200);
    const statement = (await api.get(`/v1/statements?side=receivable&period=${lastMonth}`, broker.token)).body.data[0];
    expectStatus(await api.post(`/v1/statements/${statement.id}/issue`, {}, broker.token), 200);
    const confirmed = await api.post(`/v1/statements/${statement.id}/confirm`, {}, distributor.token);
    expect(confirmed.body).toEqual(expect.objectContaining({ status: 'settled', paid: cny(9000) }));
  });

  it('shows the broker its margin, by partner and by SKU, from its own hops only', async () => {
    const margins = await api.get(`/v1/settlement/margins?period=${lastMonth}`, broker.token);
    expectStatus(margins, 200);
    expect(margins.body.bySku).toEqual(expect.arrayContaining([expect.objectContaining({ skuCode: 'TSHIRT-M', billed: cny(8000), owed: cny(3000), margin: cny(5000) })]));
    expect(margins.body.byPartner).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ merchantId: distributor.merchantId, billed: cny(9000), owed: cny(0) }),
        expect.objectContaining({ merchantId: factory.merchantId, billed: cny(0), owed: cny(3800) }),
      ]),
    );
    // The distributor sees what it owes the broker, never the factory's price.
    const downstream = await api.get(`/v1/settlement/margins?period=${lastMonth}`, distributor.token);
    expect(downstream.body.byPartner.map((row: { merchantId: string }) => row.merchantId)).toEqual([broker.merchantId]);
    expect(JSON.stringify(downstream.body)).not.toContain('Yiwu');
    expect(moneyAmounts(downstream.body)).not.toEqual(expect.arrayContaining([3000]));
    expect(downstream.body.bySku).toEqual(expect.arrayContaining([expect.objectContaining({ skuCode: 'TSHIRT-M', billed: cny(0), owed: cny(8000) })]));
  });

  it('keeps time zones and auto-close settings, validated', async () => {
    expect((await api.get('/v1/settlement/settings', outsider.token)).body).toEqual({ timeZone: ZONE, autoCloseAfterDays: 5 });
    await unchanged(async () => {
      expectError(await api.put('/v1/settlement/settings', { timeZone: 'Mars/Olympus' }, outsider.token), 400, 'validation_failed', 'timeZone');
      expectError(await api.put('/v1/settlement/settings', { autoCloseAfterDays: 29 }, outsider.token), 400, 'validation_failed', 'autoCloseAfterDays');
    });
    expect((await api.put('/v1/settlement/settings', { timeZone: 'Europe/Berlin', autoCloseAfterDays: null }, outsider.token)).body).toEqual({ timeZone: 'Europe/Berlin', autoCloseAfterDays: null });
  });

  it('closes months by itself once their auto-close delay passed, carrying each closing balance into the next month', async () => {
    const closing = api.app.get(ClosePeriodService);
    // Five days (the default) after the current month ends, every payee's open month closes, once.
    const later = new Date(startOfPeriod(nextPeriod(periodOf(new Date(), ZONE)), ZONE).getTime() + 5 * 86_400_000 + 60_000);
    expect(await closing.closeDue(later)).toBe(2);
    expect(await closing.closeDue(later)).toBe(0);
    expect(await count(`select count(*)::int as n from closed_period where closed_automatically`)).toBe(2);
    const december = (await api.get(`/v1/statements?side=receivable&period=${currentMonth}`, factory.token)).body.data[0];
    // Opening 38.00 from last month; a 30.00 credit; 38.00 received: the broker is 30.00 ahead.
    expect(december).toEqual(expect.objectContaining({ frozen: true, openingBalance: cny(3800), adjustments: cny(-3000), due: cny(-3000), payments: cny(3800), closingBalance: cny(-3000) }));
  });

  it('refuses finance to warehouse and operator members (403), and lets a finance member act', async () => {
    for (const role of ['warehouse', 'operator']) {
      const token = await memberToken(factory, role);
      expectError(await api.get('/v1/statements', token), 403, 'forbidden');
      expectError(await api.get('/v1/settlement/balances?side=receivable', token), 403, 'forbidden');
      expectError(await api.post(`/v1/statements/${statementId}/issue`, {}, token), 403, 'forbidden');
    }
    const finance = await memberToken(factory, 'finance');
    expectStatus(await api.get(`/v1/statements/${statementId}`, finance), 200);
  });
});
