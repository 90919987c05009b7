import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlOne, UnrecoverableError } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { payloadId } from '../payload-ids';

/**
 * A new order-sheet batch is announced to the supplier's webhook subscriptions that asked for
 * `order_sheet_batch.created` (one delivery per subscription and batch, however often this runs).
 */
@Injectable()
export class OrderSheetBatchCreatedJob implements OutboxJobHandler<'order_sheet_batch.created'> {
  readonly eventType = 'order_sheet_batch.created' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
  ) {}

  async handle(job: OutboxJobData<'order_sheet_batch.created'>): Promise<void> {
    const batchId = payloadId(job.payload.batchId, 'batchId', this.eventType);
    await this.em.transactional(async (em) => {
      const batch = await sqlOne<{ supplier_merchant_id: string; cut_at: Date }>(em, `select supplier_merchant_id::text, cut_at from order_sheet_batch where id = ?`, [batchId]);
      if (!batch) throw new UnrecoverableError(`Order sheet batch ${batchId} does not exist`);
      const { warehouseId, number, orderCount, cancelledCount } = job.payload;
      await this.webhooks.publish(em, [batch.supplier_merchant_id], this.eventType, batchId, `order-sheet-batch:${batchId}`, () => ({
        batchId,
        warehouseId,
        number,
        orderCount,
        cancelledCount,
        cutAt: new Date(batch.cut_at).toISOString(),
        file: `/v1/order-sheet-batches/${batchId}/file.xlsx`,
      }));
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
