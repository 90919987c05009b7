import { EntityManager } from '@mikro-orm/postgresql';
import { isId, sqlRows } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import type { FulfillmentLineRow, FulfillmentOrderRow } from '../fulfillment.service';
import { PlanLine, PlanShipment, PlanState } from './bulk-shipment.types';

/** The state a plan is made against, and the rows it came from (to apply it). */
export interface LoadedState {
  state: PlanState;
  orders: Map<string, FulfillmentOrderRow>;
  lines: Map<string, FulfillmentLineRow>;
}

/**
 * The supplier's own orders among `orderIds` (another merchant's are simply absent), their lines
 * with SKU codes and the parcels recorded on them: four set-based reads whatever the number of
 * orders. With `lock`, the orders and then their lines are locked in id order (the shipping lock
 * order of `OrderLocks`: fulfillment orders first), so that what is read is what gets applied.
 */
export async function loadPlanState(em: EntityManager, catalog: CatalogService, supplierMerchantId: string, orderIds: string[], lock: boolean): Promise<LoadedState> {
  const ids = [...new Set(orderIds.filter((id) => isId(id)))];
  const orderRows = ids.length
    ? await sqlRows<FulfillmentOrderRow>(em, `select * from fulfillment_order where id = any(?::bigint[]) and supplier_merchant_id = ? order by id${lock ? ' for update' : ''}`, [
        ids,
        supplierMerchantId,
      ])
    : [];
  const ownIds = orderRows.map((row) => String(row.id));
  const lineRows = ownIds.length
    ? await sqlRows<FulfillmentLineRow>(em, `select * from fulfillment_order_line where fulfillment_order_id = any(?::bigint[]) order by id${lock ? ' for update' : ''}`, [ownIds])
    : [];
  const shipmentRows = ownIds.length
    ? await sqlRows<{ id: string; fulfillment_order_id: string; carrier_code: string; tracking_number: string; line_id: string; quantity: number }>(
        em,
        `select s.id::text, s.fulfillment_order_id::text, s.carrier_code, s.tracking_number, sl.fulfillment_order_line_id::text as line_id, sl.quantity
           from shipment s join shipment_line sl on sl.shipment_id = s.id
          where s.fulfillment_order_id = any(?::bigint[]) order by s.id, sl.fulfillment_order_line_id`,
        [ownIds],
      )
    : [];
  const skus = await catalog.skuLabelsById(lineRows.map((line) => String(line.sku_id)));
  const state: PlanState = { orders: new Map(), lines: new Map(), shipments: [] };
  for (const row of orderRows) state.orders.set(String(row.id), { id: String(row.id), status: row.status });
  for (const line of lineRows) {
    const orderId = String(line.fulfillment_order_id);
    const planLine: PlanLine = {
      id: String(line.id),
      orderId,
      skuCode: skus.get(String(line.sku_id))?.code ?? '',
      quantity: line.quantity,
      shipped: line.shipped_quantity,
      cancelled: line.cancelled_quantity,
    };
    state.lines.set(orderId, [...(state.lines.get(orderId) ?? []), planLine]);
  }
  const shipments = new Map<string, PlanShipment>();
  for (const row of shipmentRows) {
    const shipment = shipments.get(row.id) ?? { id: row.id, orderId: row.fulfillment_order_id, carrierCode: row.carrier_code, trackingNumber: row.tracking_number, lines: [] };
    shipment.lines.push({ lineId: row.line_id, quantity: row.quantity });
    shipments.set(row.id, shipment);
  }
  state.shipments = [...shipments.values()];
  return {
    state,
    orders: new Map(orderRows.map((row) => [String(row.id), { ...row, id: String(row.id) }])),
    lines: new Map(lineRows.map((line) => [String(line.id), line])),
  };
}
