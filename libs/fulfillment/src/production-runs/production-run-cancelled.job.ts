import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, sqlOne, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { channelOrderLines } from '@gongxiao/orders';
import { CancelOrderService } from '../cancellation/cancel-order.service';
import { payloadId } from '../payload-ids';

/**
 * A supplier cancelled a made-to-order run below its minimum batch: every unit still waiting in it
 * is cancelled through the normal path (each shop order in its own transaction: holds released,
 * trial units back, the shop and the supplier told), with the supplier's reason. Only units still
 * live are asked for, so a retry after a crash cancels what is left and never more.
 */
@Injectable()
export class ProductionRunCancelledJob implements OutboxJobHandler<'production_run.cancelled'> {
  readonly eventType = 'production_run.cancelled' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly cancellations: CancelOrderService,
  ) {}

  async handle(job: OutboxJobData<'production_run.cancelled'>): Promise<void> {
    const runId = payloadId(job.payload.productionRunId, 'productionRunId', this.eventType);
    const run = await sqlOne<{ status: string; cancel_reason: string | null }>(this.em, `select status, cancel_reason from production_run where id = ?`, [runId]);
    if (!run) throw new UnrecoverableError(`Production run ${runId} does not exist`);
    const waiting = await sqlRows<{ channel_order_id: string; merchant_id: string; lines: { lineId: string; quantity: number }[] }>(
      this.em,
      `select l.channel_order_id::text, min(l.distributor_merchant_id)::text as merchant_id,
              jsonb_agg(jsonb_build_object('lineId', l.channel_order_line_id::text, 'quantity', l.quantity - l.cancelled_quantity) order by l.id) as lines
         from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
        where f.production_run_id = ? and f.status = 'awaiting_production' and l.quantity > l.cancelled_quantity
        group by l.channel_order_id order by l.channel_order_id`,
      [runId],
    );
    const reason = `生产批次已取消（未达起订量）：${run.cancel_reason ?? ''}`.slice(0, 500);
    for (const order of waiting) {
      // The shop order's line numbers, read through orders (its table).
      const lineNoOf = new Map((await channelOrderLines(this.em, order.channel_order_id)).map((line) => [String(line.id), line.line_no]));
      const lines = order.lines.map((line) => ({ lineNo: lineNoOf.get(line.lineId)!, quantity: line.quantity }));
      await this.cancellations.cancel(order.merchant_id, order.channel_order_id, { lines, reason }, true);
    }
    await this.em.transactional((em) => this.outbox.markProcessed(em, job.eventId));
  }
}
