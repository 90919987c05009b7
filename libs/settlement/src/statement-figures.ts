import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { StatementRow } from './statement-access';
import { ENTRY_SUMS_SQL, statementTotals, StatementTotals } from './statement-totals';

interface LiveRow {
  id: string;
  opening: string;
  goods: string;
  shipping: string;
  refunds: string;
  adjustments: string;
  payments: string;
}

/**
 * The figures of each statement: frozen once its payee's month closed, else summed from its entries
 * now (one statement for all the open ones), opening with the last frozen closing balance plus what
 * the open months after it added.
 * The one place statements are added up: their views and their files use it.
 */
export async function statementFigures(em: EntityManager, rows: StatementRow[]): Promise<Map<string, StatementTotals>> {
  const live = await liveTotals(
    em,
    rows.filter((row) => row.due_amount === null),
  );
  return new Map(rows.map((row) => [row.id, live.get(row.id) ?? frozenTotals(row)]));
}

async function liveTotals(em: EntityManager, rows: StatementRow[]): Promise<Map<string, StatementTotals>> {
  if (rows.length === 0) return new Map();
  const sums = await sqlRows<LiveRow>(
    em,
    `select s.id::text,
            (coalesce(f.closing, 0) + coalesce((select sum(case when e.debit_account = 'receivable' then e.amount else -e.amount end) from ledger_entry e
                where e.seller_merchant_id = s.seller_merchant_id and e.buyer_merchant_id = s.buyer_merchant_id and e.currency = s.currency
                  and e.period < s.period and (f.period is null or e.period > f.period)), 0))::text as opening,
            t.goods::text, t.shipping::text, t.refunds::text, t.adjustments::text, t.payments::text
       from statement s
       -- The balance it opens with: the last frozen closing balance, plus whatever months after it (still open) added.
       left join lateral (select p.closing_balance_amount as closing, p.period from statement p
                           where p.seller_merchant_id = s.seller_merchant_id and p.buyer_merchant_id = s.buyer_merchant_id and p.currency = s.currency
                             and p.period < s.period and p.closing_balance_amount is not null order by p.period desc limit 1) f on true
       cross join lateral (select ${ENTRY_SUMS_SQL} from ledger_entry e where e.statement_id = s.id) t
      where s.id = any(?::bigint[])`,
    [rows.map((row) => row.id)],
  );
  return new Map(
    sums.map((sum) => [
      sum.id,
      statementTotals(BigInt(sum.opening), {
        goods: BigInt(sum.goods),
        shipping: BigInt(sum.shipping),
        refunds: BigInt(sum.refunds),
        adjustments: BigInt(sum.adjustments),
        payments: BigInt(sum.payments),
      }),
    ]),
  );
}

function frozenTotals(row: StatementRow): StatementTotals {
  return {
    opening: BigInt(row.opening_balance_amount ?? 0),
    goods: BigInt(row.goods_amount ?? 0),
    shipping: BigInt(row.shipping_amount ?? 0),
    refunds: BigInt(row.refund_amount ?? 0),
    adjustments: BigInt(row.adjustment_amount ?? 0),
    payments: BigInt(row.payment_amount ?? 0),
    due: BigInt(row.due_amount ?? 0),
    closing: BigInt(row.closing_balance_amount ?? 0),
  };
}
