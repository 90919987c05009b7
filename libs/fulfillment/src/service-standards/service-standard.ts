import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, sqlRows } from '@gongxiao/core';

/** Fulfillment orders not fully shipped and not cancelled: the ones a ship-by can still be missed on. */
export const UNSHIPPED_STATUSES = ['pending_merge', 'new', 'acknowledged', 'partially_shipped'] as const;
/** The same, as an SQL list (the partial indexes of `Migration20261201000801FulfillmentShipBy` name exactly these). */
export const UNSHIPPED_SQL = `('pending_merge', 'new', 'acknowledged', 'partially_shipped')`;

/** Overdue: not fully shipped, not cancelled, and past its ship-by. */
export function isOverdue(row: { status: string; ship_by: Date | string | null }, now: Date = new Date()): boolean {
  return row.ship_by !== null && (UNSHIPPED_STATUSES as readonly string[]).includes(row.status) && new Date(row.ship_by).getTime() <= now.getTime();
}

export interface ChannelOrderServiceStandard {
  /** The earliest ship-by of the order's fulfillment orders. */
  shipBy: string | null;
  /** Any of its fulfillment orders is overdue now. */
  overdue: boolean;
  /** Made to order: some of its units wait for a production run now (生产中). */
  inProduction: boolean;
  /** Made to order: the latest ship date its confirmed production runs promised (YYYY-MM-DD), null without one. */
  promisedShipDate: string | null;
}

/**
 * The ship-by standard of a distributor's shop orders, for its order list (orders reads
 * fulfillment through this, never its tables): one statement for every order of the page.
 */
export async function serviceStandardsOfChannelOrders(em: EntityManager, distributorMerchantId: string, channelOrderIds: string[]): Promise<Map<string, ChannelOrderServiceStandard>> {
  const result = new Map<string, ChannelOrderServiceStandard>();
  if (channelOrderIds.length === 0) return result;
  const rows = await sqlRows<{ channel_order_id: string; ship_by: Date | null; overdue: boolean; in_production: boolean; promised: string | null }>(
    em,
    `select l.channel_order_id::text, min(f.ship_by) as ship_by,
            bool_or(f.status in ${UNSHIPPED_SQL} and f.ship_by <= now()) as overdue,
            bool_or(f.status = 'awaiting_production') as in_production, max(f.promised_ship_date)::text as promised
       from fulfillment_order_line l join fulfillment_order f on f.id = l.fulfillment_order_id
      where l.channel_order_id = any(?::bigint[]) and l.distributor_merchant_id = ?
      group by l.channel_order_id`,
    [channelOrderIds, distributorMerchantId],
  );
  for (const row of rows) {
    result.set(row.channel_order_id, {
      shipBy: row.ship_by ? new Date(row.ship_by).toISOString() : null,
      overdue: row.overdue === true,
      inProduction: row.in_production === true,
      promisedShipDate: row.promised,
    });
  }
  return result;
}

/** The distributor's shop orders overdue now (newest first, at most `limit`), through the unshipped partial index. */
export async function overdueChannelOrderIds(em: EntityManager, distributorMerchantId: string, limit = 1000): Promise<string[]> {
  const rows = await sqlRows<{ channel_order_id: string }>(
    em,
    `select distinct l.channel_order_id
       from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id
      where f.status in ${UNSHIPPED_SQL} and f.ship_by is not null and f.ship_by <= now() and l.distributor_merchant_id = ?
      order by l.channel_order_id desc limit ?`,
    [distributorMerchantId, limit],
  );
  return rows.map((row) => String(row.channel_order_id));
}

/** The distributor's side of ship-by standards, for its order list and detail (the api composes it with orders). */
@Injectable()
export class ChannelOrderStandardsService {
  constructor(private readonly em: EntityManager) {}

  standardsOf(actor: ActorContext, channelOrderIds: string[]): Promise<Map<string, ChannelOrderServiceStandard>> {
    return serviceStandardsOfChannelOrders(this.em, actor.merchantId, channelOrderIds);
  }

  overdueOrderIds(actor: ActorContext): Promise<string[]> {
    return overdueChannelOrderIds(this.em, actor.merchantId);
  }
}
