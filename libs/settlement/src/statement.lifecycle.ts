import { TransitionTable } from '@gongxiao/core';

export const STATEMENT_STATUSES = ['draft', 'issued', 'disputed', 'confirmed', 'settled'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** Which side of a statement may make a move: the payee (seller) or the payer (buyer); `payments` settle. */
export type StatementMove = 'issue' | 'confirm' | 'dispute' | 'settle';

/**
 * The life of a monthly statement: the payee issues it once its month is closed; the payer
 * confirms it or disputes lines of it, which sends it back to the payee, who re-issues it (a new
 * revision; corrections are adjustments in the next open month, never edits of a closed one); a
 * confirmed statement is settled by payments (or at once from a prepaid balance).
 */
export const STATEMENT_LIFECYCLE = new TransitionTable<StatementStatus>('statement', {
  draft: ['issued'],
  issued: ['confirmed', 'disputed'],
  disputed: ['issued'],
  confirmed: ['settled'],
  settled: [],
});

/** Who makes each move, and where it leads. */
export const STATEMENT_MOVES: Record<StatementMove, { to: StatementStatus; by: 'payee' | 'payer' }> = {
  issue: { to: 'issued', by: 'payee' },
  confirm: { to: 'confirmed', by: 'payer' },
  dispute: { to: 'disputed', by: 'payer' },
  settle: { to: 'settled', by: 'payee' },
};
