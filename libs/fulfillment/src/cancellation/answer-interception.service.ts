import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, isId, NotFoundError, OutboxService, sqlOne } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { InterceptionResponseDto } from '../cancellation.dto';
import { claimReturnedUnits, interceptionLines, shippedLinesOfOrder } from '../after-sales-support';
import { OrderLocks } from '../order-locks';
import { interceptionReturnLines } from './interception-return-lines';
import { InterceptionRow, presentInterception } from './interception.presenter';

/**
 * The supplier answers an interception request: the parcel was stopped (it comes back) or it
 * reached the consumer. Fulfillment records the answer, tells the distributor, and publishes
 * `interception.answered` in the same transaction, with the units the return will cover claimed
 * (fulfillment's `returned_quantity`); after-sales reacts to that event by opening the return case
 * for them (a reaction across the wall is an event, not a call back).
 */
@Injectable()
export class AnswerInterceptionService {
  constructor(
    private readonly em: EntityManager,
    private readonly locks: OrderLocks,
    private readonly outbox: OutboxService,
    private readonly webhooks: WebhooksService,
  ) {}

  async answer(actor: ActorContext, interceptionId: string, outcome: 'intercepted' | 'failed', note: string | null): Promise<InterceptionResponseDto> {
    const request = isId(interceptionId)
      ? await sqlOne<{ channel_order_id: string }>(this.em, `select channel_order_id::text from interception_request where id = ? and supplier_merchant_id = ?`, [interceptionId, actor.merchantId])
      : undefined;
    if (!request) throw new NotFoundError('interception request', interceptionId);
    return this.locks.withOrderLocks(() =>
      this.em.transactional(async (em) => {
        // The lock order of cancellations and returns (fulfillment orders, the shop order), then the request.
        const { channelOrder } = await this.locks.lockOrderChain(em, request.channel_order_id);
        const row = (await sqlOne<InterceptionRow>(em, `select * from interception_request where id = ? for update`, [interceptionId]))!;
        if (row.status !== 'requested') {
          throw new ConflictError('interception_already_answered', `This interception was already answered: ${row.status}.`, [{ field: 'status', reason: `current status is ${row.status}` }]);
        }
        const updated = (await sqlOne<InterceptionRow>(em, `update interception_request set status = ?, note = ?, answered_at = now() where id = ? returning *`, [outcome, note, row.id]))!;
        const interceptionRequestId = String(row.id);
        const channelOrderId = String(updated.channel_order_id);
        const fulfillmentOrderId = String(updated.fulfillment_order_id);
        // The units the return will cover are claimed now, in the answer's transaction: until
        // after-sales has opened the case, no cancellation or other return can ask for them again.
        const parcel = (await shippedLinesOfOrder(em, channelOrderId, { lock: true })).filter((line) => line.fulfillment_order_id === fulfillmentOrderId);
        const lines = interceptionReturnLines(outcome, parcel, await interceptionLines(em, interceptionRequestId));
        await claimReturnedUnits(
          em,
          lines.map((line) => ({ lineId: line.id, quantity: line.quantity })),
        );
        await this.webhooks.publish(
          em,
          channelOrder ? [String(channelOrder.merchant_id)] : [],
          'interception.answered',
          interceptionRequestId,
          `interception-answered:${interceptionRequestId}`,
          () => ({
            interceptionRequestId,
            channelOrderId,
            outcome,
          }),
        );
        await this.outbox.append(em, [
          {
            type: 'interception.answered',
            merchantId: actor.merchantId,
            aggregateId: interceptionRequestId,
            payload: { interceptionRequestId, channelOrderId, fulfillmentOrderId, outcome, lines: lines.map((line) => ({ fulfillmentOrderLineId: line.id, quantity: line.quantity })) },
          },
        ]);
        return presentInterception(updated);
      }),
    );
  }
}
