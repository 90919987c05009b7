import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { findVisibleStatement, assertSide, StatementRow, monthOf } from './statement-access';
import { STATEMENT_LIFECYCLE, StatementStatus } from './statement.lifecycle';
import { StatementNotices } from './statement-notices';
import { StatementPresenter } from './statement.presenter';
import { DisputeStatementDto, StatementResponseDto } from './statements.dto';

/**
 * The moves of a statement, each in one transaction with the statement locked: the payee issues
 * (once the month is closed) and re-issues after a dispute (a new revision; corrections are
 * adjustments landing in the next open month, referencing the disputed entries, because a closed
 * month never changes); the payer confirms or disputes lines. Confirming settles at once when
 * nothing is due, or on prepaid terms when the prepaid balance covers it (the charges were taken
 * from the balance as they posted; an overdraft is left to pay against the statement).
 */
@Injectable()
export class StatementMovesService {
  constructor(
    private readonly em: EntityManager,
    private readonly notices: StatementNotices,
    private readonly presenter: StatementPresenter,
  ) {}

  async issue(actor: ActorContext, statementId: string, note?: string): Promise<StatementResponseDto> {
    return this.move(actor, statementId, 'payee', 'issue', async (em, row) => {
      STATEMENT_LIFECYCLE.assert(row.status, 'issued', 'issue');
      if (row.due_amount === null) {
        throw new ConflictError('period_open', `Close ${monthOf(row.period)} first: a statement is issued once its month is closed.`, [{ field: 'period', reason: 'the month is open' }]);
      }
      const revision = row.status === 'disputed' ? row.revision + 1 : row.revision;
      await sqlExec(em, `update statement set status = 'issued', revision = ?, issued_at = now(), updated_at = now() where id = ?`, [revision, row.id]);
      await this.notices.moved(em, row, 'issued', { merchantId: actor.merchantId, memberId: actor.memberId, note }, revision);
    });
  }

  async confirm(actor: ActorContext, statementId: string): Promise<StatementResponseDto> {
    return this.move(actor, statementId, 'payer', 'confirm', async (em, row) => {
      STATEMENT_LIFECYCLE.assert(row.status, 'confirmed', 'confirm');
      await sqlExec(em, `update statement set status = 'confirmed', confirmed_at = now(), updated_at = now() where id = ?`, [row.id]);
      await this.notices.moved(em, row, 'confirmed', { merchantId: actor.merchantId, memberId: actor.memberId }, row.revision);
      const balance = await sqlOne<{ terms: string; paid_amount: string; charged_amount: string }>(
        em,
        `select terms, paid_amount::text, charged_amount::text from settlement_balance where seller_merchant_id = ? and buyer_merchant_id = ? and currency = ?`,
        [row.seller_merchant_id, row.buyer_merchant_id, row.currency],
      );
      const due = BigInt(row.due_amount ?? 0);
      // On prepaid terms the charges were taken from the balance as they posted: what the balance
      // covered is paid; an overdraft (fees, charges after a switch to prepaid) is left to pay.
      const paid = balance?.terms === 'prepaid' ? prepaidCover(due, BigInt(balance.paid_amount) - BigInt(balance.charged_amount)) : BigInt(row.paid_amount);
      if (paid > BigInt(row.paid_amount)) await sqlExec(em, `update statement set paid_amount = ? where id = ?`, [paid.toString(), row.id]);
      if (due <= paid) {
        await settleStatement(
          em,
          this.notices,
          { ...row, status: 'confirmed' },
          { merchantId: actor.merchantId, memberId: actor.memberId, note: balance?.terms === 'prepaid' ? 'prepaid' : 'nothing due' },
          true,
        );
      }
    });
  }

  async dispute(actor: ActorContext, statementId: string, input: DisputeStatementDto): Promise<StatementResponseDto> {
    return this.move(actor, statementId, 'payer', 'dispute', async (em, row) => {
      STATEMENT_LIFECYCLE.assert(row.status, 'disputed', 'dispute');
      const ids = input.lines.map((line) => line.entryId);
      const found = new Set((await sqlRows<{ id: string }>(em, `select id::text from ledger_entry where statement_id = ? and id = any(?::bigint[])`, [row.id, ids])).map((entry) => entry.id));
      const foreign = input.lines.findIndex((line) => !found.has(line.entryId));
      if (foreign >= 0) throw ValidationFailedError.field(`lines[${foreign}].entryId`, 'is not an entry of this statement', 'entry_not_on_statement');
      if (new Set(ids).size !== ids.length) throw ValidationFailedError.field('lines', 'names an entry twice');
      await sqlExec(
        em,
        `insert into statement_dispute_line (statement_id, revision, ledger_entry_id, reason, member_id) select ?, ?, * from unnest(?::bigint[], ?::text[]) cross join (select ?::bigint) m`,
        [row.id, row.revision, ids, input.lines.map((line) => line.reason), actor.memberId],
      );
      await sqlExec(em, `update statement set status = 'disputed', disputed_at = now(), updated_at = now() where id = ?`, [row.id]);
      await this.notices.moved(em, row, 'disputed', { merchantId: actor.merchantId, memberId: actor.memberId, note: input.reason }, row.revision);
    });
  }

  private async move(actor: ActorContext, statementId: string, side: 'payee' | 'payer', action: string, apply: (em: EntityManager, row: StatementRow) => Promise<void>): Promise<StatementResponseDto> {
    return this.em.transactional(async (em) => {
      const row = await findVisibleStatement(em, actor, statementId, true);
      assertSide(actor, row, side, action);
      await apply(em, row);
      const updated = await findVisibleStatement(em, actor, statementId);
      return (await this.presenter.present(em, actor.merchantId, [updated]))[0];
    });
  }
}

/** What a prepaid balance pays of a statement's due: all of it, less what the balance is overdrawn by now. */
export function prepaidCover(due: bigint, balance: bigint): bigint {
  if (due <= 0n) return 0n;
  const overdraft = balance < 0n ? -balance : 0n;
  return overdraft >= due ? 0n : due - overdraft;
}

/** A confirmed statement becomes settled (paid in full, prepaid or nothing due), in the caller's transaction. */
export async function settleStatement(
  em: EntityManager,
  notices: StatementNotices,
  row: StatementRow & { status: StatementStatus },
  by: { merchantId: string; memberId: string | null; note?: string },
  coverDue: boolean,
): Promise<void> {
  STATEMENT_LIFECYCLE.assert(row.status, 'settled', 'settle');
  await sqlExec(em, `update statement set status = 'settled', settled_at = now(), ${coverDue ? 'paid_amount = greatest(paid_amount, due_amount),' : ''} updated_at = now() where id = ?`, [row.id]);
  await notices.moved(em, row, 'settled', by, row.revision);
}
