import { EntityManager } from '@mikro-orm/postgresql';
import { ActorContext, ForbiddenError, isId, NotFoundError, sqlOne } from '@gongxiao/core';
import { StatementStatus } from './statement.lifecycle';

/** A statement as stored (bigints as text). */
export interface StatementRow {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  currency: string;
  period: string;
  status: StatementStatus;
  revision: number;
  paid_amount: string;
  opening_balance_amount: string | null;
  goods_amount: string | null;
  shipping_amount: string | null;
  refund_amount: string | null;
  adjustment_amount: string | null;
  payment_amount: string | null;
  due_amount: string | null;
  closing_balance_amount: string | null;
  issued_at: Date | null;
  confirmed_at: Date | null;
  disputed_at: Date | null;
  settled_at: Date | null;
}

export const STATEMENT_COLUMNS = `s.id::text, s.seller_merchant_id::text, s.buyer_merchant_id::text, s.currency, to_char(s.period, 'YYYY-MM-DD') as period, s.status, s.revision,
  s.paid_amount::text, s.opening_balance_amount::text, s.goods_amount::text, s.shipping_amount::text, s.refund_amount::text, s.adjustment_amount::text,
  s.payment_amount::text, s.due_amount::text, s.closing_balance_amount::text, s.issued_at, s.confirmed_at, s.disputed_at, s.settled_at`;

/**
 * The statement, when the actor is its payee or payer (locked when asked); anyone else's id is a
 * 404, as is a malformed one.
 */
export async function findVisibleStatement(em: EntityManager, actor: Pick<ActorContext, 'merchantId'>, statementId: string, lock = false): Promise<StatementRow> {
  const row = isId(statementId)
    ? await sqlOne<StatementRow>(em, `select ${STATEMENT_COLUMNS} from statement s where s.id = ? and ? in (s.seller_merchant_id, s.buyer_merchant_id)${lock ? ' for update' : ''}`, [
        statementId,
        actor.merchantId,
      ])
    : undefined;
  if (!row) throw new NotFoundError('statement', statementId);
  return row;
}

/** Refuses the move unless the actor is the side that makes it. */
export function assertSide(actor: ActorContext, row: StatementRow, side: 'payee' | 'payer', action: string): void {
  const merchantId = side === 'payee' ? row.seller_merchant_id : row.buyer_merchant_id;
  if (merchantId !== actor.merchantId) throw new ForbiddenError(`Only the ${side} of this statement may ${action} it.`);
}

/** `YYYY-MM-01` as the API's `YYYY-MM`, and back. */
export function monthOf(period: string): string {
  return period.slice(0, 7);
}

export function periodFromMonth(month: string): string {
  return `${month}-01`;
}
