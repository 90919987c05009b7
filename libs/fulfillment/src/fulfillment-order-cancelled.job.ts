import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { ErpDispatch } from './erp-dispatch';
import { payloadId } from './payload-ids';

/** Tell an ERP warehouse at once that a fulfillment order (or one shop order's lines in it) must not ship. */
@Injectable()
export class FulfillmentOrderCancelledJob implements OutboxJobHandler<'fulfillment_order.cancelled'> {
  readonly eventType = 'fulfillment_order.cancelled' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpDispatch,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.cancelled'>): Promise<void> {
    const fulfillmentOrderId = payloadId(job.payload.fulfillmentOrderId, 'fulfillmentOrderId', this.eventType);
    await this.em.transactional(async (em) => {
      await this.erp.scheduleCancelled(em, fulfillmentOrderId, job.eventId);
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
