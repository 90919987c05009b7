import { EntityManager } from '@mikro-orm/postgresql';
import { isId, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { CHANNEL_ORDER_LIFECYCLE, ChannelOrderStatus } from './channel-order.lifecycle';
import { ChannelOrderLineRow, ChannelOrderRow } from './channel-order.rows';

/**
 * What other contexts may do to a shop order when units of it are cancelled or returned. Orders
 * owns `channel_order` and `channel_order_line`: cancellation (fulfillment) and after-sales read
 * and change them only through these functions, and every status change goes through
 * `CHANNEL_ORDER_LIFECYCLE`. Callers lock in the one lock order (`OrderLocks` in fulfillment):
 * fulfillment orders, then the shop order, then its lines.
 */

/** The merchant's own order (no lock), or undefined: another merchant's order is "not found". */
export async function ownChannelOrder(em: EntityManager, merchantId: string, channelOrderId: string): Promise<Pick<ChannelOrderRow, 'id' | 'merchant_id'> | undefined> {
  if (!isId(channelOrderId)) return undefined;
  return sqlOne<Pick<ChannelOrderRow, 'id' | 'merchant_id'>>(em, `select id::text, merchant_id::text from channel_order where id = ? and merchant_id = ?`, [channelOrderId, merchantId]);
}

/** The lines of one order, in line order; `lock` takes them for update (after the order itself). */
export async function channelOrderLines(em: EntityManager, channelOrderId: string, options: { lock?: boolean } = {}): Promise<ChannelOrderLineRow[]> {
  const rows = await sqlRows<ChannelOrderLineRow>(em, `select * from channel_order_line where channel_order_id = ? order by id${options.lock ? ' for update' : ''}`, [channelOrderId]);
  return rows.map((row) => ({ ...row, id: String(row.id), channel_order_id: String(row.channel_order_id) })).sort((a, b) => a.line_no - b.line_no);
}

/**
 * Cancels an order that was never routed (received, or held as an exception): nothing was
 * reserved or shipped, so every unit not shipped is cancelled and the order is closed.
 */
export async function cancelUnroutedOrder(em: EntityManager, order: Pick<ChannelOrderRow, 'id' | 'status'>, reason: string | null): Promise<void> {
  CHANNEL_ORDER_LIFECYCLE.assert(order.status, 'cancelled', 'cancel');
  await sqlExec(
    em,
    `with lines as (update channel_order_line set cancelled_quantity = quantity - shipped_quantity where channel_order_id = ?)
     update channel_order set status = 'cancelled', cancel_requested_at = now(), cancel_reason = ?, updated_at = now() where id = ?`,
    [order.id, reason, order.id],
  );
}

/** Adds cancelled units to order lines (locked by the caller); one statement for all lines. */
export async function recordCancelledUnits(em: EntityManager, lines: { channelOrderLineId: string; quantity: number }[]): Promise<void> {
  if (lines.length === 0) return;
  await sqlExec(
    em,
    `update channel_order_line l set cancelled_quantity = l.cancelled_quantity + r.quantity
       from (select line_id, sum(quantity)::int as quantity from unnest(?::bigint[], ?::int[]) as u(line_id, quantity) group by line_id) r
      where l.id = r.line_id`,
    [lines.map((line) => line.channelOrderLineId), lines.map((line) => line.quantity)],
  );
}

/**
 * After a cancellation of a routed order: closes it when every unit is cancelled, marks it shipped
 * when what is left has all shipped, and records that (and why) the consumer asked to cancel it.
 * `whole`: the whole order was asked for (its request time is set). Returns the new status.
 */
export async function settleCancelledOrder(em: EntityManager, order: Pick<ChannelOrderRow, 'id' | 'status'>, request: { whole: boolean; reason: string | null }): Promise<ChannelOrderStatus> {
  const state = (await sqlOne<{ all_cancelled: boolean; open: number }>(
    em,
    `select bool_and(cancelled_quantity = quantity) as all_cancelled, sum(quantity - shipped_quantity - cancelled_quantity)::int as open
       from channel_order_line where channel_order_id = ?`,
    [order.id],
  ))!;
  const next: ChannelOrderStatus = state.all_cancelled ? 'cancelled' : state.open === 0 && order.status !== 'routed' ? 'shipped' : order.status;
  if (next !== order.status) CHANNEL_ORDER_LIFECYCLE.assert(order.status, next, 'cancel');
  await sqlExec(
    em,
    `update channel_order set status = ?, cancel_requested_at = case when ? then now() else cancel_requested_at end, cancel_reason = coalesce(?, cancel_reason), updated_at = now() where id = ?`,
    [next, request.whole, request.reason, order.id],
  );
  return next;
}
