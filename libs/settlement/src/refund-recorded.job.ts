import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService, UnrecoverableError } from '@gongxiao/core';
import { refundReversals } from './accruals';
import { postEntries } from './ledger-postings';

const BATCH = JOB_ROUTES['refund.recorded'].group ?? 1;

/**
 * A return case was refunded (after-sales' `refund.recorded`): each hop's refund becomes a reversing
 * entry, keyed on (case, line, hop) and, for a top-up, its number. A refund for a closed month lands in the next open one.
 */
@Injectable()
export class RefundRecordedJob implements OutboxJobHandler<'refund.recorded'> {
  readonly eventType = 'refund.recorded' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'refund.recorded'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, BATCH, async (em, payloads) => {
      for (const payload of payloads) {
        if (!payload?.returnRequestId || !Array.isArray(payload.refunds)) throw new UnrecoverableError(`Malformed refund.recorded payload: ${JSON.stringify(payload).slice(0, 200)}`);
      }
      await postEntries(em, payloads.flatMap(refundReversals));
    });
  }
}
