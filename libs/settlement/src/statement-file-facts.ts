import { EntityManager } from '@mikro-orm/postgresql';
import { findVisibleStatement, StatementRow } from './statement-access';
import { statementFigures } from './statement-figures';

/** A statement as its files need it (frozen totals are null while the payee's month is open). */
export type StatementFacts = StatementRow;

/**
 * The statement when the merchant is its payee (seller) or its payer (buyer); for anyone else, and
 * for ids that are not ids, "not found" — another pair's statement does not exist for them.
 */
export async function visibleStatement(em: EntityManager, merchantId: string, statementId: string): Promise<StatementFacts> {
  return findVisibleStatement(em, { merchantId }, statementId);
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
  const totals = (await statementFigures(em, [statement])).get(statement.id)!;
  return { opening: totals.opening, goods: totals.goods, shipping: totals.shipping, refunds: -totals.refunds, adjustments: totals.adjustments, payments: -totals.payments, closing: totals.closing };
}
