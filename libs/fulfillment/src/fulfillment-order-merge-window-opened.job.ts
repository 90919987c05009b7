import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlExec, sqlOne, UnrecoverableError } from '@gongxiao/core';
import { payloadId } from './payload-ids';

/**
 * A fulfillment order opened a merge window (its job runs when the window closes): release it to
 * its supplier. Inbox warehouses see it at once; `fulfillment_order.released` takes it to ERP
 * warehouses (`FulfillmentOrderReleasedJob`, through `ErpDispatch`).
 */
@Injectable()
export class FulfillmentOrderMergeWindowOpenedJob implements OutboxJobHandler<'fulfillment_order.merge_window_opened'> {
  readonly eventType = 'fulfillment_order.merge_window_opened' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.merge_window_opened'>): Promise<void> {
    const fulfillmentOrderId = payloadId(job.payload.fulfillmentOrderId, 'fulfillmentOrderId', this.eventType);
    await this.em.transactional(async (em) => {
      const row = await sqlOne<{ id: string; status: string; due: boolean; supplier_merchant_id: string }>(
        em,
        `select id, status, supplier_merchant_id, release_at <= now() as due from fulfillment_order where id = ? for update`,
        [fulfillmentOrderId],
      );
      if (!row) throw new UnrecoverableError(`Fulfillment order ${fulfillmentOrderId} does not exist`);
      if (row.status === 'pending_merge') {
        if (!row.due) throw new Error(`Fulfillment order ${row.id} is not due for release yet`);
        await sqlExec(em, `update fulfillment_order set status = 'new', released_at = now(), updated_at = now() where id = ?`, [row.id]);
        await this.outbox.append(em, [
          { type: 'fulfillment_order.released', merchantId: String(row.supplier_merchant_id), aggregateId: String(row.id), payload: { fulfillmentOrderId: String(row.id) } },
        ]);
      }
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
