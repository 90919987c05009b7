import { DomainError, ValidationFailedError } from '@gongxiao/core';
import type { FulfillmentLineRow } from '../fulfillment.service';

/**
 * The cancel plan, a pure function of the locked rows and what the consumer asks: which units of
 * which fulfillment lines are cancelled before they ship (their reservation is released), and
 * which shipped units each parcel's supplier is asked to intercept. Applying it is
 * `CancelOrderService`'s job; deciding it has no database in it, so it is tested directly.
 */

/** A shop order line as the plan needs it (locked by the caller). */
export interface PlanChannelLine {
  id: string;
  line_no: number;
  quantity: number;
  cancelled_quantity: number;
}

/** A fulfillment line of the shop order (locked by the caller); `returned_quantity` units are coming back already. */
export type PlanFulfillmentLine = Pick<
  FulfillmentLineRow,
  'id' | 'fulfillment_order_id' | 'channel_order_line_id' | 'sku_id' | 'quantity' | 'shipped_quantity' | 'cancelled_quantity' | 'returned_quantity'
>;

export interface CancelledUnits {
  fulfillmentOrderLineId: string;
  fulfillmentOrderId: string;
  channelOrderLineId: string;
  skuId: string;
  quantity: number;
}

export interface CancellationPlan {
  /** Units stopped before they shipped, per fulfillment line. */
  cancelled: CancelledUnits[];
  /** Per parcel (fulfillment order): shipped units per line the supplier should intercept. */
  interceptions: { fulfillmentOrderId: string; lines: { lineId: string; quantity: number }[] }[];
  /** Fulfillment orders that had units cancelled (their supplier is told). */
  touchedFulfillmentOrderIds: string[];
}

export interface CancelRequest {
  lines?: { lineNo: number; quantity?: number }[];
}

/**
 * Units to cancel per shop order line id: every unit not yet cancelled when the whole order is
 * asked for, else the lines asked for, checked against what is left of each (field-level errors).
 */
export function unitsToCancel(channelLines: PlanChannelLine[], request: CancelRequest): Map<string, number> {
  if (!request.lines) return new Map(channelLines.map((line) => [String(line.id), line.quantity - line.cancelled_quantity]));
  const wanted = new Map<string, number>();
  request.lines.forEach((requested, index) => {
    const line = channelLines.find((item) => item.line_no === requested.lineNo);
    if (!line) throw ValidationFailedError.field(`lines[${index}].lineNo`, `this order has no line ${requested.lineNo}`);
    if (wanted.has(String(line.id))) throw ValidationFailedError.field(`lines[${index}].lineNo`, 'appears twice');
    const cancellable = line.quantity - line.cancelled_quantity;
    const quantity = requested.quantity ?? cancellable;
    if (quantity === 0 || quantity > cancellable) {
      throw new DomainError('invalid', 'cancel_exceeds_order', `Line ${requested.lineNo}: ${quantity} unit(s) to cancel but ${cancellable} can still be cancelled.`, [
        { field: `lines[${index}].quantity`, reason: `at most ${cancellable}` },
      ]);
    }
    wanted.set(String(line.id), quantity);
  });
  return wanted;
}

/**
 * For each shop order line, units not yet shipped are cancelled first (fulfillment lines in id
 * order); what remains had already left the warehouse, so those parcels' suppliers are asked to
 * intercept it, unless a return case already carries every shipped unit back.
 */
export function planCancellation(wanted: Map<string, number>, fulfillmentLines: PlanFulfillmentLine[]): CancellationPlan {
  const lines = [...fulfillmentLines].sort((a, b) => compareIds(a.id, b.id));
  const cancelled: CancelledUnits[] = [];
  const interceptFor = new Map<string, Map<string, number>>();
  for (const [channelLineId, quantity] of wanted) {
    const own = lines.filter((line) => String(line.channel_order_line_id) === channelLineId);
    let left = quantity;
    for (const line of own) {
      const take = Math.min(line.quantity - line.shipped_quantity - line.cancelled_quantity, left);
      if (take <= 0) continue;
      cancelled.push({ fulfillmentOrderLineId: String(line.id), fulfillmentOrderId: String(line.fulfillment_order_id), channelOrderLineId: channelLineId, skuId: String(line.sku_id), quantity: take });
      left -= take;
    }
    for (const line of own) {
      const take = Math.min(left, line.shipped_quantity - line.returned_quantity);
      if (take <= 0) continue;
      const perLine = interceptFor.get(String(line.fulfillment_order_id)) ?? new Map<string, number>();
      perLine.set(String(line.id), take);
      interceptFor.set(String(line.fulfillment_order_id), perLine);
      left -= take;
    }
  }
  return {
    cancelled,
    interceptions: [...interceptFor].map(([fulfillmentOrderId, perLine]) => ({ fulfillmentOrderId, lines: [...perLine].map(([lineId, quantity]) => ({ lineId, quantity })) })),
    touchedFulfillmentOrderIds: [...new Set(cancelled.map((units) => units.fulfillmentOrderId))],
  };
}

function compareIds(a: string, b: string): number {
  const [left, right] = [BigInt(a), BigInt(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}
