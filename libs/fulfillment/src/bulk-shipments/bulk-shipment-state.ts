import { EntityManager } from '@mikro-orm/postgresql';
import { isId, sqlRows } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import type { FulfillmentLineRow, FulfillmentOrderRow } from '../fulfillment.service';
import { PlanOrder, PlanShipment, PlanState } from './bulk-shipment.types';

/** What the writer needs of a locked order (its contact columns are never read here). */
export type LockedOrder = Pick<FulfillmentOrderRow, 'id' | 'supplier_merchant_id' | 'warehouse_id' | 'status'>;

/** The state a plan is made against, and the rows it came from (to apply it). */
export interface LoadedState {
  state: PlanState;
  orders: Map<string, LockedOrder>;
  lines: Map<string, FulfillmentLineRow>;
}

interface LineFacts {
  id: string;
  fulfillment_order_id: string;
  sku_id: string;
  quantity: number;
  shipped_quantity: number;
  cancelled_quantity: number;
}

/**
 * What a plan is made against, for the supplier's own orders among `orderIds` (another merchant's
 * are simply absent), read without locks and only the columns the planner needs: a sheet of 100,000
 * rows plans against every order it names at once, and the rows of 10,000 orders with every column
 * would be most of the worker's memory. Each chunk is read again under lock (`lockPlanState`) before it is applied.
 */
export async function loadPlanState(em: EntityManager, catalog: CatalogService, supplierMerchantId: string, orderIds: string[]): Promise<PlanState> {
  const ids = [...new Set(orderIds.filter((id) => isId(id)))];
  const orderRows = ids.length
    ? await sqlRows<{ id: string; status: FulfillmentOrderRow['status'] }>(em, `select id::text, status from fulfillment_order where id = any(?::bigint[]) and supplier_merchant_id = ?`, [
        ids,
        supplierMerchantId,
      ])
    : [];
  const ownIds = orderRows.map((row) => row.id);
  const lineRows = ownIds.length
    ? await sqlRows<LineFacts>(
        em,
        `select id::text, fulfillment_order_id::text, sku_id::text, quantity, shipped_quantity, cancelled_quantity from fulfillment_order_line where fulfillment_order_id = any(?::bigint[]) order by fulfillment_order_line.id`,
        [ownIds],
      )
    : [];
  return planState(orderRows, lineRows, await shipmentsOf(em, ownIds), await catalog.skuLabelsById(lineRows.map((line) => line.sku_id)));
}

/**
 * The orders among `orderIds` that are the supplier's, locked, then their lines locked, in id order
 * (the shipping lock order of `OrderLocks`: fulfillment orders first), so that what is read is what
 * gets applied: the plan state, and the whole rows the writer needs. Four set-based reads whatever the number of orders.
 */
export async function lockPlanState(em: EntityManager, catalog: CatalogService, supplierMerchantId: string, orderIds: string[]): Promise<LoadedState> {
  const ids = [...new Set(orderIds.filter((id) => isId(id)))];
  const orderRows = ids.length
    ? await sqlRows<LockedOrder>(em, `select id, supplier_merchant_id, warehouse_id, status from fulfillment_order where id = any(?::bigint[]) and supplier_merchant_id = ? order by id for update`, [
        ids,
        supplierMerchantId,
      ])
    : [];
  const ownIds = orderRows.map((row) => String(row.id));
  const lineRows = ownIds.length ? await sqlRows<FulfillmentLineRow>(em, `select * from fulfillment_order_line where fulfillment_order_id = any(?::bigint[]) order by id for update`, [ownIds]) : [];
  const facts = lineRows.map((line) => ({ ...line, id: String(line.id), fulfillment_order_id: String(line.fulfillment_order_id), sku_id: String(line.sku_id) }));
  const state = planState(
    orderRows.map((row) => ({ id: String(row.id), status: row.status })),
    facts,
    await shipmentsOf(em, ownIds),
    await catalog.skuLabelsById(facts.map((line) => line.sku_id)),
  );
  return {
    state,
    orders: new Map(orderRows.map((row) => [String(row.id), { ...row, id: String(row.id) }])),
    lines: new Map(lineRows.map((line) => [String(line.id), line])),
  };
}

async function shipmentsOf(em: EntityManager, orderIds: string[]): Promise<PlanShipment[]> {
  const rows = orderIds.length
    ? await sqlRows<{ id: string; fulfillment_order_id: string; carrier_code: string; tracking_number: string; line_id: string; quantity: number }>(
        em,
        `select s.id::text, s.fulfillment_order_id::text, s.carrier_code, s.tracking_number, sl.fulfillment_order_line_id::text as line_id, sl.quantity
           from shipment s join shipment_line sl on sl.shipment_id = s.id
          where s.fulfillment_order_id = any(?::bigint[]) order by s.id, sl.fulfillment_order_line_id`,
        [orderIds],
      )
    : [];
  const shipments = new Map<string, PlanShipment>();
  for (const row of rows) {
    const shipment = shipments.get(row.id) ?? { id: row.id, orderId: row.fulfillment_order_id, carrierCode: row.carrier_code, trackingNumber: row.tracking_number, lines: [] };
    shipment.lines.push({ lineId: row.line_id, quantity: row.quantity });
    shipments.set(row.id, shipment);
  }
  return [...shipments.values()];
}

function planState(orders: PlanOrder[], lines: LineFacts[], shipments: PlanShipment[], skus: Map<string, { code: string }>): PlanState {
  const state: PlanState = { orders: new Map(), lines: new Map(), shipments };
  for (const order of orders) {
    state.orders.set(order.id, { id: order.id, status: order.status });
    state.lines.set(order.id, []);
  }
  for (const line of lines) {
    const ofOrder = state.lines.get(line.fulfillment_order_id);
    if (!ofOrder) continue;
    // The order's own id string, shared by its lines (100,000 lines keep 10,000 ids, not 100,000 copies).
    const orderId = state.orders.get(line.fulfillment_order_id)!.id;
    ofOrder.push({ id: line.id, orderId, skuCode: skus.get(line.sku_id)?.code ?? '', quantity: line.quantity, shipped: line.shipped_quantity, cancelled: line.cancelled_quantity });
  }
  return state;
}
