import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { DemoClient } from './http-client';
import { progress, step } from './console-output';
import { waitFor } from './local-stack';
import { DemoMerchant } from './network';
import { Stage } from './scenes';

/** The settlement events the worker must have processed before a month can be closed with everything in it. */
const SETTLEMENT_EVENTS = ['shipment.recorded', 'refund.recorded', 'fulfillment_lines.cancelled'];

interface Money {
  amount: number;
  currency: string;
}

/** A statement as the API shows it (the fields the demo reads). */
export interface DemoStatement {
  id: string;
  period: string;
  status: string;
  payee: { merchantId: string; name: string };
  payer: { merchantId: string; name: string };
  currency: string;
  goods: Money;
  shipping: Money;
  refunds: Money;
  due: Money;
  paid: Money;
  outstanding: Money;
}

export interface SettledMonth {
  period: string;
  statements: DemoStatement[];
  payments: number;
  invoice: { statementId: string; invoiceNumber: string; amount: number };
}

/** The month in Asia/Shanghai (the merchants' default settlement zone): `YYYY-MM`, and today `YYYY-MM-DD`. */
export function shanghaiToday(now = new Date()): { month: string; date: string } {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return { month: date.slice(0, 7), date };
}

/** Every shipment, refund and cancellation has reached the ledger (the demo reads the outbox, as its summary does). */
export async function waitUntilSettlementDrained(db: Client): Promise<void> {
  step('Waiting until the settlement queue has drained (every shipment, refund and cancellation in the ledger)');
  const counts = async () =>
    (
      await db.query(
        `select count(*)::int as total, count(*) filter (where processed_at is not null)::int as done, count(*) filter (where failed_at is not null)::int as failed
           from outbox_event where type = any($1)`,
        [SETTLEMENT_EVENTS],
      )
    ).rows[0] as { total: number; done: number; failed: number };
  await waitFor(
    'the settlement events to be processed',
    async () => {
      const { total, done, failed } = await counts();
      progress('settlement events', done, total);
      return done === total || failed > 0;
    },
    180_000,
  );
  const { failed } = await counts();
  if (failed > 0) throw new Error(`${failed} settlement events failed: see out/demo-worker.log`);
}

async function statementsOf(client: DemoClient, merchant: DemoMerchant, side: 'receivable' | 'payable', period: string): Promise<DemoStatement[]> {
  const all: DemoStatement[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: DemoStatement[]; nextCursor: string | null } = await client.call('GET', `/v1/statements?side=${side}&period=${period}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
      token: merchant.token,
    });
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * 月结: every payee closes the current month early, issues its statements; every payer confirms;
 * the payees record the payments (one statement in two instalments) and it is settled; one payer
 * asks for an invoice (发票) and its payee issues it.
 */
export async function settleTheMonth({ client, network }: Stage): Promise<SettledMonth> {
  const { month, date } = shanghaiToday();
  const payees = [network.factory, network.farm, network.broker];
  const byId = new Map([...payees, ...network.distributors].map((merchant) => [merchant.id, merchant]));
  step(`Month end (月结) for ${month}: the factory, the farm and the broker close the month early and issue their statements`);
  for (const payee of payees) {
    const closed = await client.call('POST', `/v1/settlement/periods/${month}/close`, { token: payee.token });
    const issued = await statementsOf(client, payee, 'receivable', month);
    for (const statement of issued) await client.call('POST', `/v1/statements/${statement.id}/issue`, { token: payee.token, body: { note: `${month} 对账单 / statement` } });
    console.log(`  ${payee.name}: ${month} closed, ${closed.statements} statements frozen, ${issued.length} issued`);
  }

  step('Every payer confirms its statements; the payees record the payments (one of them in two instalments)');
  let payments = 0;
  const confirmed: DemoStatement[] = [];
  for (const payer of [network.broker, ...network.distributors]) {
    for (const statement of await statementsOf(client, payer, 'payable', month)) {
      confirmed.push(await client.call('POST', `/v1/statements/${statement.id}/confirm`, { token: payer.token }));
    }
  }
  for (const [index, statement] of confirmed.entries()) {
    const payee = byId.get(statement.payee.merchantId)!;
    const due = statement.outstanding.amount;
    const instalments = index === 0 && due > 1 ? [Math.floor(due / 2), due - Math.floor(due / 2)] : due > 0 ? [due] : [];
    for (const [part, amount] of instalments.entries()) {
      await client.call('POST', '/v1/settlement/payments', {
        token: payee.token,
        body: {
          buyerMerchantId: statement.payer.merchantId,
          kind: 'payment',
          amount: { amount, currency: statement.currency },
          method: part === 0 ? 'bank_transfer' : 'alipay',
          reference: `DEMO-${statement.id}-${part + 1}`,
          paidOn: date,
          statementId: statement.id,
        },
      });
      payments++;
    }
  }
  const invoice = await invoiceOne(client, network.distributors[0], network.broker, month, date);
  const statements = await statementsOf(client, network.broker, 'payable', month);
  for (const payee of payees) statements.push(...(await statementsOf(client, payee, 'receivable', month)));
  const unique = [...new Map(statements.map((statement) => [statement.id, statement])).values()];
  const unsettled = unique.filter((statement) => statement.status !== 'settled');
  if (unsettled.length) throw new Error(`statements not settled: ${unsettled.map((statement) => `${statement.id} (${statement.status})`).join(', ')}`);
  return { period: month, statements: unique, payments, invoice };
}

/** The distributor asks the broker for a special VAT invoice (增值税专用发票) for its settled statement; the broker issues it. */
async function invoiceOne(client: DemoClient, payer: DemoMerchant, payee: DemoMerchant, month: string, date: string): Promise<SettledMonth['invoice']> {
  const [statement] = (await statementsOf(client, payer, 'payable', month)).filter((item) => item.payee.merchantId === payee.id);
  if (!statement) throw new Error(`${payer.name} has no statement from ${payee.name} for ${month}`);
  step(`${payer.name} asks ${payee.name} for an invoice (发票) for its settled statement; ${payee.name} issues it`);
  const requested = await client.call('POST', `/v1/statements/${statement.id}/invoice-requests`, {
    token: payer.token,
    body: { title: payer.name, taxNumber: '91330100MA2DEMO01X', amount: statement.due, invoiceType: 'special' },
  });
  const invoiceNumber = `${month.replace('-', '')}${String(statement.id).padStart(6, '0')}`;
  const issued = await client.call('POST', `/v1/invoice-requests/${requested.id}/issue`, { token: payee.token, body: { invoiceNumber, issuedOn: date } });
  if (issued.status !== 'issued') throw new Error(`invoice request ${requested.id} is ${issued.status}`);
  return { statementId: statement.id, invoiceNumber, amount: statement.due.amount };
}

export interface StatementExport {
  statementId: string;
  path: string;
  bytes: number;
  rows: number;
  fileName: string;
}

/** The statement with the most entries, exported as .xlsx by the worker (progress shown), downloaded to `path`. */
export async function exportRichestStatement({ client, db, network }: Stage, month: SettledMonth, path: string): Promise<StatementExport> {
  const { rows } = await db.query(`select statement_id::text as id, count(*)::int as n from ledger_entry where statement_id = any($1::bigint[]) group by 1 order by 2 desc, 1 limit 1`, [
    month.statements.map((statement) => statement.id),
  ]);
  const statement = month.statements.find((item) => item.id === rows[0].id)!;
  const payee = [network.factory, network.farm, network.broker].find((merchant) => merchant.id === statement.payee.merchantId)!;
  step(`Exporting the richest statement (${statement.payee.name} → ${statement.payer.name}, ${rows[0].n} entries) as .xlsx in the worker`);
  const requested = await client.call('POST', `/v1/statements/${statement.id}/exports`, { token: payee.token, body: { format: 'xlsx', language: 'zh' } });
  let status: { status: string; percent: number; fileName: string | null; error: string | null; rowsTotal: number | null } = requested;
  await waitFor(
    'the statement export',
    async () => {
      status = await client.call('GET', `/v1/statement-exports/${requested.id}`, { token: payee.token });
      progress('statement export %', status.percent, 100);
      return status.status === 'done' || status.status === 'failed';
    },
    120_000,
  );
  if (status.status !== 'done') throw new Error(`the statement export is ${status.status}: ${status.error}`);
  const file = await client.download(`/v1/statement-exports/${requested.id}/file`, payee.token);
  writeFileSync(path, file);
  return { statementId: statement.id, path, bytes: file.length, rows: status.rowsTotal ?? rows[0].n, fileName: status.fileName ?? '' };
}
