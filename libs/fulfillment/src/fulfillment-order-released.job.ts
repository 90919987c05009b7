import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { ErpDispatch } from './erp-dispatch';
import { payloadId } from './payload-ids';

/** Fulfillment orders dispatched to their warehouses' ERP endpoints per run at most (the relay's group for the type). */
const DISPATCH_BATCH_SIZE = JOB_ROUTES['fulfillment_order.released'].group ?? 1;

/**
 * Fulfillment orders reached their supplier after a merge window closed: POST each to its
 * warehouse's ERP endpoint when it has one, by the same route as routing's new orders
 * (`ErpDispatch.scheduleCreated`). Under load one job dispatches every released order waiting behind it.
 */
@Injectable()
export class FulfillmentOrderReleasedJob implements OutboxJobHandler<'fulfillment_order.released'> {
  readonly eventType = 'fulfillment_order.released' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpDispatch,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.released'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, DISPATCH_BATCH_SIZE, (em, payloads) =>
      this.erp.scheduleCreated(
        em,
        payloads.map((payload) => payloadId(payload.fulfillmentOrderId, 'fulfillmentOrderId', this.eventType)),
      ),
    );
  }
}
