import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import type { ReturnRow } from './return-cases.service';

/** What the case records when nobody decided in time (zh-CN first, then English for API readers). */
export const AUTO_APPROVAL_REASON = '超时未处理，系统自动同意 / Not decided in time: approved automatically';

/**
 * The one approval of a case, by its supplier or by the deadline: a conditional update
 * (`status = 'pending_approval'`), so a case is approved once whoever comes second. `ids` given:
 * those cases (locked by the caller); else every case whose deadline is at or before `now`, at most
 * `limit`, skipping those another transaction holds (a supplier deciding right now, another sweep).
 */
export async function approvePendingCases(em: EntityManager, decision: { decidedBy: 'supplier' | 'auto'; reason: string | null; now: Date; ids?: string[]; limit?: number }): Promise<ReturnRow[]> {
  const chosen = decision.ids
    ? `select id from return_request where id = any(?::bigint[]) and status = 'pending_approval'`
    : `select id from return_request where status = 'pending_approval' and decide_by <= ? order by decide_by, id limit ? for update skip locked`;
  const rows = await sqlRows<ReturnRow>(
    em,
    `update return_request r set status = 'approved', decided_by = ?, decision_reason = ?, decided_at = ?, updated_at = now()
      where r.id in (${chosen}) and r.status = 'pending_approval'
      returning r.*`,
    [decision.decidedBy, decision.reason, decision.now.toISOString(), ...(decision.ids ? [decision.ids] : [decision.now.toISOString(), decision.limit ?? 500])],
  );
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}
