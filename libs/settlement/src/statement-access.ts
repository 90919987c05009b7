import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, sqlOne, sqlRows } from '@gongxiao/core';

/** A statement as its files need it. Frozen totals are null while the payee's month is open. */
export interface StatementFacts {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  currency: string;
  /** `YYYY-MM-01` */
  period: string;
  status: string;
  opening_balance_amount: string | null;
  goods_amount: string | null;
  shipping_amount: string | null;
  refund_amount: string | null;
  adjustment_amount: string | null;
  payment_amount: string | null;
  closing_balance_amount: string | null;
}

/**
 * The statement when the merchant is its payee (seller) or its payer (buyer); for anyone else, and
 * for ids that are not ids, "not found" — another pair's statement does not exist for them.
 */
export async function visibleStatement(em: EntityManager, merchantId: string, statementId: string): Promise<StatementFacts> {
  const row = /^\d{1,18}$/.test(statementId)
    ? await sqlOne<StatementFacts>(
        em,
        `select id::text, seller_merchant_id::text, buyer_merchant_id::text, currency, to_char(period, 'YYYY-MM-DD') as period, status,
                opening_balance_amount::text, goods_amount::text, shipping_amount::text, refund_amount::text, adjustment_amount::text,
                payment_amount::text, closing_balance_amount::text
           from statement where id = ? and (seller_merchant_id = ? or buyer_merchant_id = ?)`,
        [statementId, merchantId, merchantId],
      )
    : undefined;
  if (!row) throw new NotFoundError('statement', statementId);
  return row;
}

/**
 * What the statement adds up to, each figure as it changes what the payer owes (refunds and
 * payments negative), so that opening + goods + shipping + refunds + adjustments + payments = closing.
 */
export interface StatementTotals {
  opening: bigint;
  goods: bigint;
  shipping: bigint;
  refunds: bigint;
  adjustments: bigint;
  payments: bigint;
  closing: bigint;
}

const negative = (value: bigint) => (value > 0n ? -value : value);

/** The frozen totals of a closed month, else the totals computed from the entries now. */
export async function statementTotals(em: EntityManager, statement: StatementFacts): Promise<StatementTotals> {
  if (statement.closing_balance_amount !== null && statement.opening_balance_amount !== null) {
    const frozen = (value: string | null) => BigInt(value ?? '0');
    return {
      opening: frozen(statement.opening_balance_amount),
      goods: frozen(statement.goods_amount),
      shipping: frozen(statement.shipping_amount),
      refunds: negative(frozen(statement.refund_amount)),
      adjustments: frozen(statement.adjustment_amount),
      payments: negative(frozen(statement.payment_amount)),
      closing: frozen(statement.closing_balance_amount),
    };
  }
  const signed = `sum(case when debit_account = 'receivable' then amount else -amount end)`;
  const byKind = await sqlRows<{ kind: string; total: string }>(em, `select kind, ${signed}::text as total from ledger_entry where statement_id = ? group by kind`, [statement.id]);
  const opening = await sqlOne<{ total: string | null }>(
    em,
    `select ${signed}::text as total from ledger_entry where seller_merchant_id = ? and buyer_merchant_id = ? and currency = ? and period < ?::date`,
    [statement.seller_merchant_id, statement.buyer_merchant_id, statement.currency, statement.period],
  );
  const of = (...kinds: string[]) => byKind.filter((row) => kinds.includes(row.kind)).reduce((sum, row) => sum + BigInt(row.total), 0n);
  const totals = { opening: BigInt(opening?.total ?? '0'), goods: of('goods'), shipping: of('shipping'), refunds: of('refund'), adjustments: of('adjustment'), payments: of('payment', 'top_up') };
  return { ...totals, closing: totals.opening + totals.goods + totals.shipping + totals.refunds + totals.adjustments + totals.payments };
}
