import { LosslessJson } from '@gongxiao/core';

/** A fulfillment order line item as GET …/orders/{id}/fulfillment_orders.json answers it (ids kept as text). */
export interface FulfillmentOrderLine {
  fulfillmentOrderId: string;
  status: string;
  id: string;
  lineItemId: string;
  fulfillableQuantity: number;
}

export type FulfillmentPlan =
  | { kind: 'fulfil'; lineItemsByFulfillmentOrder: { fulfillment_order_id: string; fulfillment_order_line_items: { id: string; quantity: number }[] }[] }
  | { kind: 'already_fulfilled' }
  | { kind: 'impossible'; reason: string };

/** Fulfillment orders Shopify lets a merchant-managed app fulfil (not closed, cancelled, on hold or incomplete). */
const FULFILLABLE = new Set(['open', 'in_progress']);

/** The line items of a fulfillment_orders.json answer, flattened; anything else in it is ignored. */
export function fulfillmentOrderLines(answer: LosslessJson): FulfillmentOrderLine[] {
  const orders = answer && typeof answer === 'object' && !Array.isArray(answer) ? answer.fulfillment_orders : undefined;
  if (!Array.isArray(orders)) return [];
  return orders.flatMap((order) => {
    if (!order || typeof order !== 'object' || Array.isArray(order) || !Array.isArray(order.line_items)) return [];
    return order.line_items.flatMap((item) =>
      item && typeof item === 'object' && !Array.isArray(item)
        ? [
            {
              fulfillmentOrderId: String(order.id),
              status: String(order.status),
              id: String(item.id),
              lineItemId: String(item.line_item_id),
              fulfillableQuantity: Number(item.fulfillable_quantity ?? 0),
            },
          ]
        : [],
    );
  });
}

/**
 * Which fulfillment order line items ship these order line items (Shopify's line_item ids, the channel
 * order lines' externalLineId) and how many of each: a line item's units are taken from the fulfillable
 * fulfillment order lines that carry it, in Shopify's order. When none of the shipped line items has a
 * unit left to fulfil, the parcel was told already (an earlier attempt's answer was lost).
 */
export function fulfillmentPlan(available: FulfillmentOrderLine[], shipped: { externalLineId: string | null; quantity: number; lineNo: number }[]): FulfillmentPlan {
  const unnamed = shipped.find((line) => !line.externalLineId);
  if (unnamed) return { kind: 'impossible', reason: `Line ${unnamed.lineNo} has no Shopify line item id (externalLineId): it cannot be fulfilled on Shopify` };
  const open = available.filter((line) => FULFILLABLE.has(line.status) && line.fulfillableQuantity > 0);
  if (shipped.every((line) => !open.some((item) => item.lineItemId === line.externalLineId))) return { kind: 'already_fulfilled' };
  const byOrder = new Map<string, { id: string; quantity: number }[]>();
  for (const line of shipped) {
    let left = line.quantity;
    for (const item of open.filter((candidate) => candidate.lineItemId === line.externalLineId)) {
      if (left === 0) break;
      const quantity = Math.min(left, item.fulfillableQuantity);
      left -= quantity;
      byOrder.set(item.fulfillmentOrderId, [...(byOrder.get(item.fulfillmentOrderId) ?? []), { id: item.id, quantity }]);
    }
    if (left > 0) return { kind: 'impossible', reason: `Shopify line item ${line.externalLineId} has ${line.quantity - left} of ${line.quantity} units left to fulfil` };
  }
  return {
    kind: 'fulfil',
    lineItemsByFulfillmentOrder: [...byOrder].map(([id, items]) => ({ fulfillment_order_id: id, fulfillment_order_line_items: items })),
  };
}

/** Fulfillment statuses that do not stand for a parcel on Shopify (a cancelled or failed fulfillment). */
const NOT_STANDING = new Set(['cancelled', 'error', 'failure']);

/**
 * Whether the order's fulfillments (GET …/orders/{id}/fulfillments.json) hold this parcel already: one
 * that stands, with this tracking number, carrying every shipped line item. A parcel whose POST was
 * taken but whose answer was lost is then told, not fulfilled a second time.
 */
export function parcelFulfilledAlready(answer: LosslessJson, trackingNumber: string, shipped: { externalLineId: string | null }[]): boolean {
  const fulfillments = answer && typeof answer === 'object' && !Array.isArray(answer) ? answer.fulfillments : undefined;
  if (!Array.isArray(fulfillments)) return false;
  return fulfillments.some((fulfillment) => {
    if (!fulfillment || typeof fulfillment !== 'object' || Array.isArray(fulfillment) || NOT_STANDING.has(String(fulfillment.status))) return false;
    const numbers = [fulfillment.tracking_number, ...(Array.isArray(fulfillment.tracking_numbers) ? fulfillment.tracking_numbers : [])];
    if (!numbers.some((number) => typeof number === 'string' && number.trim() === trackingNumber)) return false;
    const items = Array.isArray(fulfillment.line_items) ? fulfillment.line_items : [];
    const ids = new Set(items.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? String(item.id) : '')));
    return shipped.every((line) => line.externalLineId !== null && ids.has(line.externalLineId));
  });
}
