import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { interceptionLines, OrderLocks, ShippedLine, shippedLinesOfOrder, UnitsOfLine } from '@gongxiao/fulfillment';
import { ReturnCasesService } from './return-cases.service';

/**
 * The supplier answered an interception (fulfillment published `interception.answered`):
 * after-sales opens the return it leads to, exactly once. An intercepted parcel is on its way back
 * (a return of the whole open parcel, which the supplier receives on arrival); a failed one reached
 * the consumer, who sends back the units it cancelled (approved: the consumer had cancelled).
 * Units already in a case are left out. Runs twice safely: the outbox row is marked processed in
 * the case's transaction, and a case already opened from the request (unique per request) ends it.
 */
@Injectable()
export class InterceptionAnsweredJob implements OutboxJobHandler<'interception.answered'> {
  readonly eventType = 'interception.answered' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly locks: OrderLocks,
    private readonly cases: ReturnCasesService,
  ) {}

  async handle(job: OutboxJobData<'interception.answered'>): Promise<void> {
    const { interceptionRequestId, channelOrderId, fulfillmentOrderId, outcome } = job.payload;
    await this.locks.withOrderLocks(() =>
      this.em.transactional(async (em) => {
        // The lock order of cancellations and returns: fulfillment orders, the shop order, then lines.
        const { channelOrder } = await this.locks.lockOrderChain(em, channelOrderId);
        if (!(await this.outbox.markProcessed(em, job.eventId))) return;
        if (!channelOrder || (await this.cases.ofInterception(em, interceptionRequestId))) return;
        const parcel = (await shippedLinesOfOrder(em, channelOrderId, { lock: true })).filter((line) => line.fulfillment_order_id === fulfillmentOrderId);
        const lines = interceptionReturnLines(outcome, parcel, await interceptionLines(em, interceptionRequestId));
        if (lines.length === 0) return;
        await this.cases.insertCase(em, {
          channelOrderId,
          distributorId: String(channelOrder.merchant_id),
          supplierId: parcel[0].supplier_merchant_id,
          kind: 'return_and_refund',
          origin: outcome === 'intercepted' ? 'interception' : 'failed_interception',
          status: 'approved',
          reason: channelOrder.cancel_reason ?? 'The consumer cancelled the order after it shipped.',
          photoUrls: [],
          within: true,
          windowEndsAt: null,
          interceptionRequestId,
          lines,
        });
      }),
    );
  }
}

/**
 * What comes back after an answer, per shipped line of the parcel: intercepted, everything still
 * open of the parcel; failed, the units the request was about (a request without recorded units,
 * made before they were recorded, covers the whole parcel). Never units already in a case.
 */
export function interceptionReturnLines(outcome: 'intercepted' | 'failed', parcel: ShippedLine[], asked: UnitsOfLine[]): { id: string; quantity: number }[] {
  return parcel
    .map((line) => {
      const open = line.shipped_quantity - line.returned_quantity;
      const wanted = outcome === 'intercepted' || asked.length === 0 ? open : (asked.find((item) => item.lineId === line.id)?.quantity ?? 0);
      return { id: line.id, quantity: Math.min(open, wanted) };
    })
    .filter((line) => line.quantity > 0);
}
