import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { payloadId } from '../payload-ids';

/**
 * A fulfillment order passed its ship-by unshipped: its supplier and the distributor of every shop
 * order on it are told (`order.overdue`), one delivery per subscription and order however often
 * this runs (the dedup key names the order). Each side sees its own ids only.
 */
@Injectable()
export class FulfillmentOrderOverdueJob implements OutboxJobHandler<'fulfillment_order.overdue'> {
  readonly eventType = 'fulfillment_order.overdue' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_order.overdue'>): Promise<void> {
    const fulfillmentOrderId = payloadId(job.payload.fulfillmentOrderId, 'fulfillmentOrderId', this.eventType);
    await this.em.transactional(async (em) => {
      const rows = await sqlRows<{ supplier_merchant_id: string; warehouse_id: string; status: string; ship_by: Date; distributor_merchant_id: string; channel_order_ids: string[] }>(
        em,
        `select f.supplier_merchant_id::text, f.warehouse_id::text, f.status, f.ship_by, l.distributor_merchant_id::text,
                array_agg(distinct l.channel_order_id::text) as channel_order_ids
           from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
          where f.id = ? group by f.id, l.distributor_merchant_id`,
        [fulfillmentOrderId],
      );
      if (rows.length === 0) throw new UnrecoverableError(`Fulfillment order ${fulfillmentOrderId} does not exist`);
      const { supplier_merchant_id: supplierId, warehouse_id: warehouseId, status } = rows[0];
      const shipBy = new Date(rows[0].ship_by).toISOString();
      const distributors = new Map(rows.map((row) => [row.distributor_merchant_id, row.channel_order_ids]));
      await this.webhooks.publish(em, [...new Set([supplierId, ...distributors.keys()])], 'order.overdue', fulfillmentOrderId, `order-overdue:${fulfillmentOrderId}`, (merchantId) =>
        merchantId === supplierId
          ? { fulfillmentOrderId, warehouseId, status, shipBy, ...(distributors.has(merchantId) ? { channelOrderIds: distributors.get(merchantId) } : {}) }
          : { channelOrderIds: distributors.get(merchantId) ?? [], status, shipBy },
      );
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
