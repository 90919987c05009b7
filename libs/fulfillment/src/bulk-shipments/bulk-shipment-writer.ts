import { EntityManager } from '@mikro-orm/postgresql';
import { NewOutboxEvent, OutboxService, sqlExec, sqlRows } from '@gongxiao/core';
import type { CatalogService } from '@gongxiao/catalog';
import type { InventoryService } from '@gongxiao/inventory';
import type { OrdersService } from '@gongxiao/orders';
import { FulfillmentStatus } from '../fulfillment.dto';
import { FULFILLMENT_ORDER_LIFECYCLE } from '../fulfillment-order.lifecycle';
import type { FulfillmentLineRow } from '../fulfillment.service';
import { shipmentRecordedEvents } from '../settlement-facts';
import { LoadedState } from './bulk-shipment-state';
import { PlannedParcel } from './bulk-shipment.types';

export interface ShipmentCollaborators {
  catalog: CatalogService;
  inventory: InventoryService;
  orders: OrdersService;
  outbox: OutboxService;
}

interface ShipmentRow {
  id: string;
  fulfillment_order_id: string;
  carrier_code: string;
  tracking_number: string;
  created_at: Date;
}

const keyOf = (orderId: string, carrierCode: string, trackingNumber: string) => `${orderId}|${carrierCode}|${trackingNumber}`;

/**
 * Records planned parcels in the caller's transaction, once their orders and lines are locked
 * (`loadPlanState(…, lock: true)`) and re-planned: what `FulfillmentService.recordShipment` does for
 * one parcel, with one statement per concern for all of them — shipments, shipment lines, shipped
 * units, order statuses, stock (one locking statement), shop order lines, and the outbox events.
 * Returns the shipment id of each parcel (by order|carrier|tracking).
 */
export async function recordParcels(em: EntityManager, collaborators: ShipmentCollaborators, supplierMerchantId: string, parcels: PlannedParcel[], locked: LoadedState): Promise<Map<string, string>> {
  if (parcels.length === 0) return new Map();
  const statuses = nextStatuses(parcels, locked);
  const shipments = await sqlRows<ShipmentRow>(
    em,
    `insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number)
     select r.order_id, ?, r.carrier_code, r.tracking_number from unnest(?::bigint[], ?::text[], ?::text[]) with ordinality as r(order_id, carrier_code, tracking_number, ordinal) order by r.ordinal
     returning id::text, fulfillment_order_id::text, carrier_code, tracking_number, created_at`,
    [supplierMerchantId, parcels.map((parcel) => parcel.orderId), parcels.map((parcel) => parcel.carrierCode), parcels.map((parcel) => parcel.trackingNumber)],
  );
  const byKey = new Map(shipments.map((shipment) => [keyOf(shipment.fulfillment_order_id, shipment.carrier_code, shipment.tracking_number), shipment]));
  const shipmentOf = (parcel: PlannedParcel) => byKey.get(keyOf(parcel.orderId, parcel.carrierCode, parcel.trackingNumber))!;
  const items = parcels.flatMap((parcel) => parcel.lines.map((item) => ({ shipmentId: shipmentOf(parcel).id, ...item })));
  await sqlExec(em, `insert into shipment_line (shipment_id, fulfillment_order_line_id, quantity) select * from unnest(?::bigint[], ?::bigint[], ?::int[])`, [
    items.map((item) => item.shipmentId),
    items.map((item) => item.lineId),
    items.map((item) => item.quantity),
  ]);
  const perLine = sumBy(items, (item) => item.lineId);
  await sqlExec(em, `update fulfillment_order_line l set shipped_quantity = l.shipped_quantity + r.quantity from unnest(?::bigint[], ?::int[]) as r(id, quantity) where l.id = r.id`, [
    [...perLine.keys()],
    [...perLine.values()],
  ]);
  await sqlExec(
    em,
    `update fulfillment_order o set status = r.status, shipped_at = case when r.status = 'shipped' then now() else o.shipped_at end, updated_at = now()
       from unnest(?::bigint[], ?::text[]) as r(id, status) where o.id = r.id`,
    [[...statuses.keys()], [...statuses.values()]],
  );
  const line = (lineId: string) => locked.lines.get(lineId)!;
  const order = (orderId: string) => locked.orders.get(orderId)!;
  await collaborators.inventory.consumeReservations(
    em,
    supplierMerchantId,
    parcels.map((parcel) => ({
      reference: `shipment:${shipmentOf(parcel).id}`,
      items: parcel.lines.map((item) => ({ warehouseId: String(order(parcel.orderId).warehouse_id), skuId: String(line(item.lineId).sku_id), quantity: item.quantity })),
    })),
  );
  const perShopLine = sumBy(items, (item) => String(line(item.lineId).channel_order_line_id));
  const touched = await collaborators.orders.applyShipment(
    em,
    [...perShopLine].map(([channelOrderLineId, quantity]) => ({ channelOrderLineId, quantity })),
  );
  const recorded = await shipmentRecordedEvents(
    em,
    collaborators.catalog,
    collaborators.orders,
    parcels.map((parcel) => ({ shipment: shipmentOf(parcel), order: order(parcel.orderId), lines: parcel.lines.map((item) => ({ line: line(item.lineId), quantity: item.quantity })) })),
  );
  await collaborators.outbox.append(em, [...shopOrderEvents(parcels, shipmentOf, line, touched), ...recorded]);
  return new Map(parcels.map((parcel) => [keyOf(parcel.orderId, parcel.carrierCode, parcel.trackingNumber), shipmentOf(parcel).id]));
}

function sumBy<T extends { quantity: number }>(items: T[], key: (item: T) => string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0) + item.quantity);
  return sums;
}

/** Each order's status after its parcels, one parcel at a time through the lifecycle (as the single path moves it). */
function nextStatuses(parcels: PlannedParcel[], locked: LoadedState): Map<string, FulfillmentStatus> {
  const shipped = new Map<string, number>();
  const statuses = new Map<string, FulfillmentStatus>();
  const linesOf = new Map<string, FulfillmentLineRow[]>();
  for (const line of locked.lines.values()) linesOf.set(String(line.fulfillment_order_id), [...(linesOf.get(String(line.fulfillment_order_id)) ?? []), line]);
  for (const parcel of parcels) {
    const order = locked.orders.get(parcel.orderId)!;
    for (const item of parcel.lines) shipped.set(item.lineId, (shipped.get(item.lineId) ?? locked.lines.get(item.lineId)!.shipped_quantity) + item.quantity);
    const fully = (linesOf.get(parcel.orderId) ?? []).every((line) => line.quantity === (shipped.get(String(line.id)) ?? line.shipped_quantity) + line.cancelled_quantity);
    const next: FulfillmentStatus = fully ? 'shipped' : 'partially_shipped';
    FULFILLMENT_ORDER_LIFECYCLE.assert(statuses.get(parcel.orderId) ?? order.status, next, 'ship');
    statuses.set(parcel.orderId, next);
  }
  return statuses;
}

/**
 * `channel_order.shipment_recorded` per parcel and shop order it touched, with the shop order's
 * status as of that parcel: "shipped" only for the last parcel of the batch that ships its units.
 */
function shopOrderEvents(
  parcels: PlannedParcel[],
  shipmentOf: (parcel: PlannedParcel) => ShipmentRow,
  line: (lineId: string) => FulfillmentLineRow,
  touched: { channelOrderId: string; merchantId: string; status: string }[],
): NewOutboxEvent<'channel_order.shipment_recorded'>[] {
  const touchedById = new Map(touched.map((order) => [order.channelOrderId, order]));
  const channelOrdersOf = parcels.map((parcel) => new Set(parcel.lines.map((item) => String(line(item.lineId).channel_order_id))));
  return parcels.flatMap((parcel, position) =>
    [...channelOrdersOf[position]].flatMap((channelOrderId) => {
      const order = touchedById.get(channelOrderId);
      if (!order) return [];
      const later = channelOrdersOf.slice(position + 1).some((ids) => ids.has(channelOrderId));
      const orderStatus = order.status === 'shipped' && !later ? 'shipped' : 'partially_shipped';
      return [
        {
          type: 'channel_order.shipment_recorded' as const,
          merchantId: order.merchantId,
          aggregateId: channelOrderId,
          payload: { channelOrderId, shipmentId: shipmentOf(parcel).id, orderStatus },
        },
      ];
    }),
  );
}
