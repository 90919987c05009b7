import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { approvePendingCases, AUTO_APPROVAL_REASON } from './return-approval';
import { ReturnCasesService } from './return-cases.service';

/**
 * The after-sales service standard: a case the supplier leaves undecided past its deadline
 * (`decide_by`, frozen from the origin offer's `returnDecisionHours` when the case opened) is
 * approved automatically, as a manual approval would be (same row change, same `return.updated`),
 * recorded as `decided_by = 'auto'`. Set-based: one statement approves a batch; cases a supplier is
 * deciding at this moment, or another sweep holds, are skipped (and found decided next time).
 */
@Injectable()
export class ReturnAutoApprovalService {
  constructor(
    private readonly em: EntityManager,
    private readonly cases: ReturnCasesService,
  ) {}

  /** Approves up to `limit` overdue cases as of `now` (a test passes its own clock); returns how many. */
  async approveOverdue(now: Date = new Date(), limit = 500): Promise<number> {
    return this.em.transactional(async (em) => {
      const approved = await approvePendingCases(em, { decidedBy: 'auto', reason: AUTO_APPROVAL_REASON, now, limit });
      for (const row of approved) await this.cases.announce(em, row);
      return approved.length;
    });
  }
}
