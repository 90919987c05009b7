import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  claimIdempotencyKey,
  ConflictError,
  NewOutboxEvent,
  NotFoundError,
  OutboxService,
  payloadHash,
  recordIdempotentAnswer,
  sqlExec,
  sqlOne,
  sqlRows,
  storedIdempotentAnswer,
} from '@gongxiao/core';
import { InventoryService } from '@gongxiao/inventory';
import { OfferTrialsService } from '@gongxiao/offers';
import { cancelUnroutedOrder, channelOrderLines, ChannelOrderRow, ownChannelOrder, recordCancelledUnits, settleCancelledOrder } from '@gongxiao/orders';
import { CancellationOutcomeDto, CancelOrderDto } from '../cancellation.dto';
import { FULFILLMENT_ORDER_LIFECYCLE } from '../fulfillment-order.lifecycle';
import { FulfillmentStatus } from '../fulfillment.dto';
import { LockedFulfillmentOrder, OrderLocks } from '../order-locks';
import { CancellationPlan, planCancellation, unitsToCancel } from './cancellation-plan';
import { TrialUnitsBack, trialUnitsBackOf } from './trial-units-back';
import { assertProductionNotStarted } from '../production-runs/production-cancellation';
import type { FulfillmentLineRow } from '../fulfillment.service';

/**
 * A consumer's cancellation, racing the supplier's shipment on the same fulfillment order rows.
 * It takes the one lock order (`OrderLocks`: fulfillment orders, the shop order, lines), decides
 * with the pure cancel plan, then applies it: whatever has not shipped is cancelled at once
 * (reservation released, supplier told); whatever has shipped becomes an interception request.
 * Exactly one of cancel and ship wins each row.
 */
@Injectable()
export class CancelOrderService {
  constructor(
    private readonly em: EntityManager,
    private readonly inventory: InventoryService,
    private readonly outbox: OutboxService,
    private readonly locks: OrderLocks,
    private readonly trials: OfferTrialsService,
  ) {}

  /**
   * Cancels a whole order, or some of its lines (`input.lines`, a routed order only).
   * `repeatIsFine`: a shop re-pushing its cancellation gets the same answer (a partial one needs
   * its `cancellationId`); a person cancelling a cancelled order through the API gets a 409.
   */
  async cancel(merchantId: string, channelOrderId: string, input: CancelOrderDto, repeatIsFine: boolean): Promise<CancellationOutcomeDto> {
    return this.locks.withOrderLocks(() => this.em.transactional((em) => this.cancelOnce(em, merchantId, channelOrderId, input, repeatIsFine)));
  }

  private async cancelOnce(em: EntityManager, merchantId: string, channelOrderId: string, input: CancelOrderDto, repeatIsFine: boolean): Promise<CancellationOutcomeDto> {
    const known = await ownChannelOrder(em, merchantId, channelOrderId);
    if (!known) throw new NotFoundError('channel order', channelOrderId);
    const key = input.cancellationId && repeatIsFine ? cancellationKey(known.id, input.cancellationId) : null;
    // Claim the shop's cancellation id first: a concurrent repeat waits here, then reads the answer.
    if (key && !(await claimIdempotencyKey(em, merchantId, key, payloadHash(input)))) return this.previousAnswer(em, merchantId, key, input);
    const { fulfillmentOrders, channelOrder } = await this.locks.lockOrderChain(em, known.id);
    const order = channelOrder!;
    const reason = input.reason ?? null;
    const whole = !input.lines;
    const remember = async (answer: CancellationOutcomeDto) => {
      if (key) await recordIdempotentAnswer(em, merchantId, key, 200, answer);
      return answer;
    };

    if (order.status === 'cancelled' || (whole && order.cancel_requested_at)) {
      if (!repeatIsFine) {
        throw new ConflictError('channel_order_already_cancelled', `This order was already ${order.status === 'cancelled' ? 'cancelled' : 'asked to be cancelled'}.`, [
          { field: 'status', reason: `current status is ${order.status}` },
        ]);
      }
      return remember(summary(order.id, order.status === 'cancelled' ? 'cancelled' : 'interception_requested', 0, 0));
    }
    if (order.status === 'received' || order.status === 'exception') {
      if (!whole) {
        throw new ConflictError('order_not_routed', 'Only a routed order can be cancelled line by line: cancel the whole order, or wait until it is routed.', [
          { field: 'lines', reason: `current status is ${order.status}` },
        ]);
      }
      await cancelUnroutedOrder(em, order, reason);
      return remember(summary(order.id, 'cancelled', 0, 0));
    }

    const channelLines = await channelOrderLines(em, order.id, { lock: true });
    const wanted = unitsToCancel(channelLines, input);
    const lines = await this.locks.lockFulfillmentLines(em, { channelOrderId: order.id });
    const plan = planCancellation(wanted, lines);
    await assertProductionNotStarted(em, fulfillmentOrders, plan, channelLines);
    const interceptions = await this.apply(em, order, fulfillmentOrders, plan, lines);
    await settleCancelledOrder(em, order, { whole, reason });
    const open =
      plan.interceptions.length > 0
        ? await sqlOne<{ n: number }>(em, `select count(*)::int as n from interception_request where channel_order_id = ? and status = 'requested'`, [order.id])
        : undefined;
    const outcome = interceptions > 0 || (open?.n ?? 0) > 0 ? 'interception_requested' : 'cancelled';
    return remember(summary(order.id, outcome, plan.touchedFulfillmentOrderIds.length, interceptions));
  }

  /**
   * Applies the plan: cancelled units on fulfillment and shop order lines, each touched
   * fulfillment order's state, interception requests, the reservation released, events for the
   * suppliers. Returns how many interception requests it opened.
   */
  private async apply(em: EntityManager, order: ChannelOrderRow, fulfillmentOrders: LockedFulfillmentOrder[], plan: CancellationPlan, lines: FulfillmentLineRow[]): Promise<number> {
    // Read before the cancelled units are written: what each line had live decides the trial units that go back.
    const trialsBack = await trialUnitsBackOf(em, lines, plan.cancelled);
    if (plan.cancelled.length > 0) {
      // Each cancellation is also recorded on its own: the next order-sheet batch lists it (已取消 请勿发货).
      await sqlExec(
        em,
        `with cancelled as (
           update fulfillment_order_line l set cancelled_quantity = l.cancelled_quantity + r.quantity from unnest(?::bigint[], ?::int[]) as r(id, quantity)
            where l.id = r.id returning l.id, l.fulfillment_order_id, r.quantity
         )
         insert into fulfillment_line_cancellation (fulfillment_order_id, fulfillment_order_line_id, warehouse_id, quantity)
         select c.fulfillment_order_id, c.id, o.warehouse_id, c.quantity from cancelled c join fulfillment_order o on o.id = c.fulfillment_order_id order by c.id`,
        [plan.cancelled.map((units) => units.fulfillmentOrderLineId), plan.cancelled.map((units) => units.quantity)],
      );
      await recordCancelledUnits(
        em,
        plan.cancelled.map((units) => ({ channelOrderLineId: units.channelOrderLineId, quantity: units.quantity })),
      );
    }
    const states = await this.fulfillmentOrderStates(em, plan.touchedFulfillmentOrderIds);
    const events: NewOutboxEvent[] = plan.cancelled.length > 0 ? [linesCancelledEvent(order, plan, trialsBack)] : [];
    let interceptions = 0;
    for (const fulfillmentOrder of fulfillmentOrders) {
      if (plan.touchedFulfillmentOrderIds.includes(fulfillmentOrder.id)) {
        events.push({
          type: 'fulfillment_order.cancelled',
          merchantId: fulfillmentOrder.supplier_merchant_id,
          aggregateId: fulfillmentOrder.id,
          payload: { fulfillmentOrderId: fulfillmentOrder.id, channelOrderId: order.id },
        });
        await this.settleFulfillmentOrder(em, fulfillmentOrder, states.get(fulfillmentOrder.id)!);
      }
      const parcel = plan.interceptions.find((item) => item.fulfillmentOrderId === fulfillmentOrder.id);
      if (!parcel) continue;
      const created = await this.requestInterception(em, fulfillmentOrder, order.id, parcel.lines);
      if (created) {
        interceptions++;
        events.push({ type: 'interception.requested', merchantId: fulfillmentOrder.supplier_merchant_id, aggregateId: created, payload: { interceptionRequestId: created } });
      }
    }
    const warehouseOf = new Map(fulfillmentOrders.map((fulfillmentOrder) => [fulfillmentOrder.id, fulfillmentOrder.warehouse_id]));
    // Units waiting for their production run never had stock reserved.
    const inProduction = new Set(fulfillmentOrders.filter((fulfillmentOrder) => fulfillmentOrder.status === 'awaiting_production').map((fulfillmentOrder) => fulfillmentOrder.id));
    await this.inventory.releaseReservation(
      em,
      plan.cancelled
        .filter((units) => !inProduction.has(units.fulfillmentOrderId))
        .map((units) => ({ warehouseId: warehouseOf.get(units.fulfillmentOrderId)!, skuId: units.skuId, quantity: units.quantity })),
      `cancel:channel_order:${order.id}`,
    );
    // A cancelled trial unit goes back to its buyer's trial (after stock, as routing takes them).
    await this.trials.giveBack(em, trialsBack);
    await this.outbox.append(em, events);
    return interceptions;
  }

  /** What is left on all lines of each fulfillment order (it may hold other orders' lines). */
  private async fulfillmentOrderStates(em: EntityManager, fulfillmentOrderIds: string[]): Promise<Map<string, { open: number; shipped: number }>> {
    if (fulfillmentOrderIds.length === 0) return new Map();
    const rows = await sqlRows<{ id: string; open: number; shipped: number }>(
      em,
      `select fulfillment_order_id::text as id, coalesce(sum(quantity - shipped_quantity - cancelled_quantity), 0)::int as open, coalesce(sum(shipped_quantity), 0)::int as shipped
         from fulfillment_order_line where fulfillment_order_id = any(?::bigint[]) group by fulfillment_order_id`,
      [fulfillmentOrderIds],
    );
    return new Map(rows.map((row) => [row.id, { open: row.open, shipped: row.shipped }]));
  }

  /** A fulfillment order with nothing left to ship is shipped (some units left) or cancelled (none did). */
  private async settleFulfillmentOrder(em: EntityManager, fulfillmentOrder: LockedFulfillmentOrder, left: { open: number; shipped: number }): Promise<void> {
    const next: FulfillmentStatus | null = left.open > 0 ? null : left.shipped > 0 ? 'shipped' : 'cancelled';
    if (!next || next === fulfillmentOrder.status) return;
    FULFILLMENT_ORDER_LIFECYCLE.assert(fulfillmentOrder.status, next, 'cancel');
    await sqlExec(em, `update fulfillment_order set status = ?, updated_at = now(), shipped_at = case when ? = 'shipped' then coalesce(shipped_at, now()) else shipped_at end where id = ?`, [
      next,
      next,
      fulfillmentOrder.id,
    ]);
  }

  /**
   * Opens an interception request for the parcel (one open request per parcel and order) and adds
   * the units to it: a later cancellation while it is open adds its units, never beyond what
   * shipped. Returns the new request's id, or null when one was already open.
   */
  private async requestInterception(em: EntityManager, fulfillmentOrder: LockedFulfillmentOrder, channelOrderId: string, lines: { lineId: string; quantity: number }[]): Promise<string | null> {
    const created = await sqlOne<{ id: string }>(
      em,
      `insert into interception_request (fulfillment_order_id, channel_order_id, supplier_merchant_id) values (?, ?, ?)
       on conflict (fulfillment_order_id, channel_order_id) where status = 'requested' do nothing returning id::text`,
      [fulfillmentOrder.id, channelOrderId, fulfillmentOrder.supplier_merchant_id],
    );
    await sqlExec(
      em,
      `insert into interception_request_line (interception_request_id, fulfillment_order_line_id, quantity)
       select (select id from interception_request where fulfillment_order_id = ? and channel_order_id = ? and status = 'requested'), r.line_id, r.quantity
         from unnest(?::bigint[], ?::int[]) as r(line_id, quantity)
       on conflict (interception_request_id, fulfillment_order_line_id) do update
         set quantity = least(interception_request_line.quantity + excluded.quantity,
                              (select shipped_quantity - returned_quantity from fulfillment_order_line where id = excluded.fulfillment_order_line_id))`,
      [fulfillmentOrder.id, channelOrderId, lines.map((line) => line.lineId), lines.map((line) => line.quantity)],
    );
    return created?.id ?? null;
  }

  /** A shop's cancellation repeated with its cancellationId answers the first answer again. */
  private async previousAnswer(em: EntityManager, merchantId: string, key: string, input: CancelOrderDto): Promise<CancellationOutcomeDto> {
    const stored = await storedIdempotentAnswer<CancellationOutcomeDto>(em, merchantId, key);
    if (!stored) throw new Error(`Cancellation key ${key} neither claimed nor stored`);
    if (stored.requestHash !== payloadHash(input)) {
      throw new ConflictError('cancellation_id_reused', `Cancellation ${input.cancellationId} was already received with other content.`, [
        { field: 'cancellationId', reason: 'already used with other content' },
      ]);
    }
    return stored.responseBody;
  }
}

/**
 * Settlement releases the holds of units cancelled before they shipped. The key is new for every
 * cancellation (a uuid of this transaction): it only deduplicates the release of this one event.
 */
function linesCancelledEvent(order: ChannelOrderRow, plan: CancellationPlan, trialsBack: TrialUnitsBack[]): NewOutboxEvent<'fulfillment_lines.cancelled'> {
  const channelOrderId = String(order.id);
  return {
    type: 'fulfillment_lines.cancelled',
    merchantId: String(order.merchant_id),
    aggregateId: channelOrderId,
    payload: {
      cancellationKey: `cancel:${channelOrderId}:${randomUUID()}`,
      channelOrderId,
      lines: plan.cancelled.map((units) => {
        const trialUnits = trialsBack.filter((back) => back.fulfillmentOrderLineId === String(units.fulfillmentOrderLineId)).map((back) => ({ hopIndex: back.hopIndex, units: back.units }));
        return {
          fulfillmentOrderLineId: String(units.fulfillmentOrderLineId),
          channelOrderLineId: String(units.channelOrderLineId),
          quantity: units.quantity,
          ...(trialUnits.length > 0 ? { trialUnits } : {}),
        };
      }),
    },
  };
}

/** Kept apart from Idempotency-Key headers (which never contain a space). */
function cancellationKey(channelOrderId: string, cancellationId: string): string {
  return `shop cancellation ${channelOrderId} ${cancellationId}`;
}

function summary(channelOrderId: string, outcome: 'cancelled' | 'interception_requested', cancelled: number, interceptions: number): CancellationOutcomeDto {
  return {
    channelOrderId: String(channelOrderId),
    outcome,
    cancelledFulfillmentOrders: cancelled,
    interceptionsRequested: interceptions,
    message:
      outcome === 'cancelled'
        ? 'Cancelled: nothing had shipped; the supplier was told not to ship.'
        : 'Already shipped: interception requested from the supplier; anything not yet shipped was cancelled.',
  };
}
