import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlOne, UnrecoverableError } from '@gongxiao/core';
import { ErpDispatch } from './erp-dispatch';
import { payloadId } from './payload-ids';

/** Ask an ERP warehouse to intercept a parcel that left before the consumer cancelled. */
@Injectable()
export class InterceptionRequestedJob implements OutboxJobHandler<'interception.requested'> {
  readonly eventType = 'interception.requested' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly erp: ErpDispatch,
  ) {}

  async handle(job: OutboxJobData<'interception.requested'>): Promise<void> {
    const interceptionRequestId = payloadId(job.payload.interceptionRequestId, 'interceptionRequestId', this.eventType);
    await this.em.transactional(async (em) => {
      const request = await sqlOne<{ id: string; fulfillment_order_id: string }>(em, `select id::text, fulfillment_order_id::text from interception_request where id = ?`, [interceptionRequestId]);
      if (!request) throw new UnrecoverableError(`Interception request ${interceptionRequestId} does not exist`);
      await this.erp.scheduleInterception(em, { id: request.id, fulfillmentOrderId: request.fulfillment_order_id });
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
