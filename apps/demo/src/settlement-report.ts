import { Client } from 'pg';
import { formatMoney } from '@gongxiao/core';
import { DemoClient } from './http-client';
import { DemoMerchant } from './network';
import { DemoStatement, SettledMonth, StatementExport } from './settlement-scene';

interface MarginLine {
  billed: { amount: number; currency: string };
  owed: { amount: number; currency: string };
  margin: { amount: number; currency: string };
}

export interface SettlementFigures {
  period: string;
  receivables: { payee: string; payer: string; statementId: string; status: string; due: number; paid: number }[];
  payables: { payer: string; payee: string; due: number }[];
  margin: { merchant: string; byPartner: ({ name: string } & MarginLine)[]; bySku: ({ skuCode: string | null } & MarginLine)[] };
  check: { debits: number; credits: number; goodsEntries: number; shipmentLinesTimesHops: number; balanced: boolean };
  payments: number;
  invoice: SettledMonth['invoice'];
  export: StatementExport;
}

/**
 * The month's figures: receivables per payee, payables per payer (from the statements), the
 * broker's margin (`GET /v1/settlement/margins`), and the ledger audit read from PostgreSQL:
 * debits = credits, and one goods entry per shipment line × hop of its chain.
 */
export async function settlementFigures(client: DemoClient, db: Client, broker: DemoMerchant, month: SettledMonth, exported: StatementExport): Promise<SettlementFigures> {
  const byPayee = [...month.statements].sort((a, b) => a.payee.name.localeCompare(b.payee.name) || a.payer.name.localeCompare(b.payer.name));
  const margins = await client.call('GET', `/v1/settlement/margins?period=${month.period}`, { token: broker.token });
  const ledger = await db.query(
    `select coalesce(sum(debit), 0)::bigint as debits, coalesce(sum(credit), 0)::bigint as credits
       from (select amount as debit, 0 as credit from ledger_entry union all select 0, amount from ledger_entry) sides`,
  );
  const goods = await db.query(`select count(*)::int as n from ledger_entry where kind = 'goods'`);
  const expected = await db.query(`select count(*)::int as n from shipment_line sl join fulfillment_line_hop h on h.fulfillment_order_line_id = sl.fulfillment_order_line_id`);
  const debits = Number(ledger.rows[0].debits);
  const credits = Number(ledger.rows[0].credits);
  return {
    period: month.period,
    receivables: byPayee.map((statement: DemoStatement) => ({
      payee: statement.payee.name,
      payer: statement.payer.name,
      statementId: statement.id,
      status: statement.status,
      due: statement.due.amount,
      paid: statement.paid.amount,
    })),
    payables: [...month.statements]
      .sort((a, b) => a.payer.name.localeCompare(b.payer.name) || a.payee.name.localeCompare(b.payee.name))
      .map((statement) => ({ payer: statement.payer.name, payee: statement.payee.name, due: statement.due.amount })),
    margin: { merchant: broker.name, byPartner: margins.byPartner, bySku: margins.bySku },
    check: { debits, credits, goodsEntries: goods.rows[0].n, shipmentLinesTimesHops: expected.rows[0].n, balanced: debits === credits && goods.rows[0].n === expected.rows[0].n },
    payments: month.payments,
    invoice: month.invoice,
    export: exported,
  };
}

const yuan = (amount: number) => formatMoney(amount, 'CNY');

function grouped<T>(rows: T[], key: (row: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return [...groups.entries()];
}

/** The month on the terminal, Chinese first and English beside; throws when the ledger does not add up. */
export function printSettlement(figures: SettlementFigures): void {
  const out = (line: string) => console.log(`  ${line}`);
  console.log(`\n\x1b[1m月结 ${figures.period} — month end\x1b[0m`);
  out('应收账款 Receivables (per payee):');
  for (const [payee, rows] of grouped(figures.receivables, (row) => row.payee)) {
    out(`  ${payee}: ${yuan(rows.reduce((sum, row) => sum + row.due, 0))}`);
    for (const row of rows) out(`    ← ${row.payer.padEnd(24)} ${yuan(row.due).padStart(14)}  已收 paid ${yuan(row.paid)}  (${row.status})`);
  }
  out('应付账款 Payables (per payer):');
  for (const [payer, rows] of grouped(figures.payables, (row) => row.payer)) {
    out(`  ${payer}: ${yuan(rows.reduce((sum, row) => sum + row.due, 0))}  (${rows.map((row) => `${row.payee} ${yuan(row.due)}`).join('; ')})`);
  }
  out(`毛利 Margin of ${figures.margin.merchant} (billed downstream − owed upstream):`);
  for (const row of figures.margin.byPartner) {
    out(`  按伙伴 by partner  ${row.name.padEnd(24)} 开出 billed ${yuan(row.billed.amount).padStart(12)}  应付 owed ${yuan(row.owed.amount).padStart(12)}  毛利 margin ${yuan(row.margin.amount)}`);
  }
  for (const row of figures.margin.bySku) {
    out(
      `  按商品 by SKU      ${(row.skuCode ?? '-').padEnd(24)} 开出 billed ${yuan(row.billed.amount).padStart(12)}  应付 owed ${yuan(row.owed.amount).padStart(12)}  毛利 margin ${yuan(row.margin.amount)}`,
    );
  }
  const total = figures.margin.byPartner.reduce((sum, row) => sum + row.margin.amount, 0);
  out(`  合计 total margin ${yuan(total)}`);
  out(`付款 Payments: ${figures.payments} recorded, every statement settled (已结清)`);
  out(`发票 Invoice: ${figures.invoice.invoiceNumber} issued for statement ${figures.invoice.statementId}, ${yuan(figures.invoice.amount)}`);
  const check = figures.check;
  out(
    `核对 Check: 借 debits ${yuan(check.debits)} = 贷 credits ${yuan(check.credits)}; goods entries ${check.goodsEntries} = shipment lines × hops ${check.shipmentLinesTimesHops} → ${check.balanced ? 'OK' : 'MISMATCH'}`,
  );
  out(`对账单 Statement export: ${figures.export.path} (${figures.export.rows} entries, ${(figures.export.bytes / 1024).toFixed(0)} KiB, "${figures.export.fileName}")`);
  if (!check.balanced) throw new Error('The ledger does not add up (see the check line above).');
}
