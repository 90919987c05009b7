import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlOne, sqlRows } from '@gongxiao/core';
import { ChannelOrderRow, OrdersService } from '@gongxiao/orders';
import { FulfillmentStatus } from './fulfillment.dto';
import type { FulfillmentLineRow, FulfillmentOrderRow } from './fulfillment.service';

export interface LockedFulfillmentOrder {
  id: string;
  status: FulfillmentStatus;
  warehouse_id: string;
  supplier_merchant_id: string;
  /** Made to order: the production run its units wait in. */
  production_run_id: string | null;
}

/** Routing committed new fulfillment orders for the shop order after they were read: lock again. */
export class RoutedMeanwhileError extends Error {
  constructor() {
    super('The order was routed while it was being locked; lock it again.');
  }
}

/**
 * The one lock order of every path that changes the units of a shop order once it is routed
 * (shipping, cancelling, opening returns, answering interceptions): its fulfillment orders by id,
 * then the shop order, then lines (each kind in id order). Two paths that both follow it wait for
 * each other instead of deadlocking. Shipping is the one exception, and safe: it locks the one
 * fulfillment order it ships, then its lines, stock, the shop orders' lines and the shop orders
 * (each kind in id order). Every other path locks that fulfillment order before anything else of
 * the order, so it waits for the shipment at its first lock and never holds what the shipment needs.
 */
@Injectable()
export class OrderLocks {
  constructor(private readonly orders: OrdersService) {}

  /**
   * Locks the fulfillment orders of a shop order (id order), then the shop order. Throws
   * `RoutedMeanwhileError` when routing added a fulfillment order in between (callers run again:
   * `withOrderLocks` does). `channelOrder` is undefined when no such order exists.
   */
  async lockOrderChain(em: EntityManager, channelOrderId: string): Promise<{ fulfillmentOrders: LockedFulfillmentOrder[]; channelOrder: ChannelOrderRow | undefined }> {
    const before = await this.fulfillmentOrderIdsOf(em, channelOrderId);
    const fulfillmentOrders = await sqlRows<LockedFulfillmentOrder>(
      em,
      `select id::text, status, warehouse_id::text, supplier_merchant_id::text, production_run_id::text from fulfillment_order where id = any(?::bigint[]) order by fulfillment_order.id for update`,
      [before],
    );
    const channelOrder = await this.orders.lockOrder(em, channelOrderId);
    // Routing holds the shop order while it writes fulfillment orders: once we hold it, any new ones are visible.
    const after = await this.fulfillmentOrderIdsOf(em, channelOrderId);
    if (after.some((id) => !before.includes(id))) throw new RoutedMeanwhileError();
    return { fulfillmentOrders, channelOrder };
  }

  /** Runs `work` (which starts with `lockOrderChain`) again when routing got in between, up to 3 times. */
  async withOrderLocks<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof RoutedMeanwhileError) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Shipping's first lock: one fulfillment order of the supplier (undefined when it is not its own).
   * Its lines follow with `lockFulfillmentLines`, then the shop order lines (orders' `applyShipment`).
   */
  async lockFulfillmentOrderToShip(em: EntityManager, supplierMerchantId: string, fulfillmentOrderId: string): Promise<FulfillmentOrderRow | undefined> {
    const row = await sqlOne<FulfillmentOrderRow>(em, `select * from fulfillment_order where id = ? and supplier_merchant_id = ? for update`, [fulfillmentOrderId, supplierMerchantId]);
    return row && { ...row, id: String(row.id) };
  }

  /**
   * Lines of fulfillment orders (of one fulfillment order when shipping, of one shop order when
   * cancelling), in id order, after their fulfillment orders and the shop order are held.
   */
  async lockFulfillmentLines(em: EntityManager, of: { fulfillmentOrderId: string } | { channelOrderId: string }): Promise<FulfillmentLineRow[]> {
    const [column, id] = 'fulfillmentOrderId' in of ? ['fulfillment_order_id', of.fulfillmentOrderId] : ['channel_order_id', of.channelOrderId];
    return sqlRows<FulfillmentLineRow>(em, `select * from fulfillment_order_line where ${column} = ? order by id for update`, [id]);
  }

  private async fulfillmentOrderIdsOf(em: EntityManager, channelOrderId: string): Promise<string[]> {
    const rows = await sqlRows<{ id: string }>(
      em,
      `select lines.id::text as id from (select distinct fulfillment_order_id as id from fulfillment_order_line where channel_order_id = ?) lines order by lines.id`,
      [channelOrderId],
    );
    return rows.map((row) => row.id);
  }
}
