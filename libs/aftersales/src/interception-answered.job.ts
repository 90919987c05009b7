import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService } from '@gongxiao/core';
import { claimReturnedUnits, interceptionLines, interceptionReturnLines, OrderLocks, shippedLinesOfOrder } from '@gongxiao/fulfillment';
import { ReturnCasesService } from './return-cases.service';

/**
 * The supplier answered an interception (fulfillment published `interception.answered`):
 * after-sales opens the return it leads to, exactly once. An intercepted parcel is on its way back
 * (a return of the whole open parcel, which the supplier receives on arrival); a failed one reached
 * the consumer, who sends back the units it cancelled (approved: the consumer had cancelled).
 * The answer claimed the units the case covers (fulfillment's `returned_quantity`) in its own
 * transaction, so nothing can claim them again in between; this job writes the case for exactly
 * those units. Runs twice safely: the outbox row is marked processed in the case's transaction, and
 * a case already opened from the request (unique per request) ends it.
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
        let lines = job.payload.lines?.map((line) => ({ id: line.fulfillmentOrderLineId, quantity: line.quantity }));
        if (!lines) {
          // An answer recorded before answers claimed their units themselves: claim them now.
          lines = interceptionReturnLines(outcome, parcel, await interceptionLines(em, interceptionRequestId));
          await claimReturnedUnits(
            em,
            lines.map((line) => ({ lineId: line.id, quantity: line.quantity })),
          );
        }
        if (lines.length === 0 || parcel.length === 0) return;
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
          unitsClaimed: true,
        });
      }),
    );
  }
}
