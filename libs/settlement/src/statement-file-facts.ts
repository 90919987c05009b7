import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError, sqlOne } from '@gongxiao/core';
import { STATEMENT_COLUMNS, StatementRow } from './statement-access';
import { statementFigures } from './statement-figures';

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
 * What the statement adds up to in its files, each figure as it changes what the payer owes (refunds
 * and payments negative), so that opening + goods + shipping + refunds + adjustments + payments =
 * closing. The same figures as the statement's own view (`statementFigures`): frozen once its month
 * closed, else summed from its entries now.
 */
export interface StatementFileTotals {
  opening: bigint;
  goods: bigint;
  shipping: bigint;
  refunds: bigint;
  adjustments: bigint;
  payments: bigint;
  closing: bigint;
}

export async function statementFileTotals(em: EntityManager, statement: StatementFacts): Promise<StatementFileTotals> {
  const row = (await sqlOne<StatementRow>(em, `select ${STATEMENT_COLUMNS} from statement s where s.id = ?`, [statement.id]))!;
  const totals = (await statementFigures(em, [row])).get(row.id)!;
  return { opening: totals.opening, goods: totals.goods, shipping: totals.shipping, refunds: -totals.refunds, adjustments: totals.adjustments, payments: -totals.payments, closing: totals.closing };
}
