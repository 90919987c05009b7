import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { DelistingEvaluator } from './delisting-evaluator';

/**
 * A return began to count, a review was stored or an order turned overdue: takes every pending
 * `sales_quality.changed` at once (coalescing) and evaluates the delisting rules of their SKUs, in one
 * transaction with the events marked processed (a repeated job finds them done).
 */
@Injectable()
export class SalesQualityChangedJob implements OutboxJobHandler<'sales_quality.changed'> {
  readonly eventType = 'sales_quality.changed' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly evaluator: DelistingEvaluator,
  ) {}

  async handle(job: OutboxJobData<'sales_quality.changed'>): Promise<void> {
    await this.em.transactional(async (em) => {
      if (!(await this.outbox.markProcessed(em, job.eventId))) return;
      const payloads = [job.payload, ...(await this.outbox.takePending(em, 'sales_quality.changed', job.eventId))];
      const skuIds = [...new Set(payloads.flatMap((payload) => (Array.isArray(payload.skuIds) ? payload.skuIds.filter((id) => typeof id === 'string') : [])))];
      await this.evaluator.evaluate(em, skuIds);
    });
  }
}
