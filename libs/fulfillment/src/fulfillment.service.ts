import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  ConflictError,
  decodeIdCursor,
  DomainError,
  isId,
  Money,
  money,
  NotFoundError,
  OutboxService,
  openField,
  Page,
  ReadReplica,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { InventoryService } from '@gongxiao/inventory';
import { OrdersService } from '@gongxiao/orders';
import { customizationOf, sortedValues } from './line-customization.presenter';
import { FulfillmentLineResponseDto, FulfillmentOrderResponseDto, FulfillmentStatus, ListFulfillmentOrdersQueryDto, RecordShipmentDto, ShipmentResponseDto } from './fulfillment.dto';
import { FULFILLMENT_ORDER_LIFECYCLE } from './fulfillment-order.lifecycle';
import { assertReleased, madeToOrderOf } from './release-state';
import { inboxPageQuery } from './inbox-page.query';
import { OrderLocks } from './order-locks';
import { isOverdue } from './service-standards/service-standard';
import { shipmentRecordedEvent } from './settlement-facts';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export interface FulfillmentOrderRow {
  id: string;
  supplier_merchant_id: string;
  warehouse_id: string;
  status: FulfillmentStatus;
  consignee_name: string;
  consignee_phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  remarks: string | null;
  created_at: Date;
  released_at: Date | null;
  acknowledged_at: Date | null;
  shipped_at: Date | null;
  ship_by: Date | null;
  production_run_id: string | null;
  promised_ship_date: string | Date | null;
}

export interface FulfillmentLineRow {
  id: string;
  fulfillment_order_id: string;
  channel_order_id: string;
  channel_order_line_id: string;
  sku_id: string;
  quantity: number;
  shipped_quantity: number;
  cancelled_quantity: number;
  /** Units claimed by open or finished return cases (never above shipped). */
  returned_quantity: number;
  return_window_days: number | null;
  supply_price_amount: string | null;
  currency: string;
  /** Light customization frozen at routing (normalized), its canonical key, its sheet text and its extra per unit. */
  customization: Record<string, string>;
  customization_key: string;
  customization_label: string;
  customization_extra_amount: string;
}

interface ShipmentRow {
  id: string;
  fulfillment_order_id: string;
  carrier_code: string;
  tracking_number: string;
  created_at: Date;
  delivered_at: Date | null;
}

export interface LineTracking {
  supplyPrice: Money | null;
  /** The customization as routed (normalized), as people read it, and the extra per unit within the supply price. */
  customization: { values: Record<string, string>; label: string; extra: Money | null };
  /** The distributor's own seller for this line (hop 0), and the fulfillment order it went to. */
  sellerMerchantId: string | null;
  fulfillmentOrderId: string | null;
  shipments: { shipmentId: string; carrierCode: string; trackingNumber: string; quantity: number; shippedAt: string }[];
}

/**
 * The supplier's side: its inbox of fulfillment orders (consignee, lines, its own supply price —
 * never retail prices or other hops), acknowledgement, and shipments with tracking.
 */
@Injectable()
export class FulfillmentService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly inventory: InventoryService,
    private readonly orders: OrdersService,
    private readonly outbox: OutboxService,
    private readonly locks: OrderLocks,
    private readonly replica: ReadReplica,
  ) {}

  async list(actor: ActorContext, query: ListFulfillmentOrdersQueryDto): Promise<Page<FulfillmentOrderResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const { sql, params } = inboxPageQuery(actor.merchantId, query, before, limit + 1);
    const reader = await this.replica.reader(this.em);
    const rows = await sqlRows<FulfillmentOrderRow>(reader, sql, params);
    const page = rows.slice(0, limit).map((row) => ({ ...row, id: String(row.id) }));
    const presented = await this.present(reader, page, false);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      (row) => presented.get(row.id)!,
    );
  }

  async get(actor: ActorContext, fulfillmentOrderId: string): Promise<FulfillmentOrderResponseDto> {
    const row = await this.findOwn(this.em, actor, fulfillmentOrderId);
    return (await this.present(this.em, [row], true)).get(row.id)!;
  }

  async acknowledge(actor: ActorContext, fulfillmentOrderId: string): Promise<FulfillmentOrderResponseDto> {
    return this.em.transactional(async (em) => {
      const row = await this.findOwn(em, actor, fulfillmentOrderId, true);
      if (row.status === 'acknowledged') return (await this.present(em, [row], true)).get(row.id)!;
      assertReleased(row.status);
      FULFILLMENT_ORDER_LIFECYCLE.assert(row.status, 'acknowledged', 'acknowledge');
      const updated = (await sqlOne<FulfillmentOrderRow>(em, `update fulfillment_order set status = 'acknowledged', acknowledged_at = now(), updated_at = now() where id = ? returning *`, [row.id]))!;
      return (await this.present(em, [{ ...updated, id: String(updated.id) }], true)).get(row.id)!;
    });
  }

  /**
   * Records a parcel: lines and quantities (partial allowed, never more than ordered), turns the
   * reservation into a deduction of stock, moves the fulfillment order and the shop orders on, and
   * emits an event for each shop. The same tracking number sent again returns the first shipment.
   */
  async recordShipment(actor: ActorContext, fulfillmentOrderId: string, input: RecordShipmentDto): Promise<{ shipment: ShipmentResponseDto; created: boolean }> {
    return this.em.transactional(async (em) => {
      // The one lock order (OrderLocks): this fulfillment order, its lines, then the shop order lines.
      const order = isId(fulfillmentOrderId) ? await this.locks.lockFulfillmentOrderToShip(em, actor.merchantId, fulfillmentOrderId) : undefined;
      if (!order) throw new NotFoundError('fulfillment order', fulfillmentOrderId);
      const existing = await sqlOne<ShipmentRow>(em, `select * from shipment where fulfillment_order_id = ? and carrier_code = ? and tracking_number = ?`, [
        order.id,
        input.carrierCode,
        input.trackingNumber,
      ]);
      if (existing) return { shipment: await this.presentShipment(em, existing), created: false };
      if (order.status === 'cancelled') throw new ConflictError('fulfillment_order_cancelled', 'cancelled: do not ship. The consumer cancelled this order.');
      assertReleased(order.status);
      if (order.status === 'shipped') throw new ConflictError('fulfillment_order_already_shipped', 'Every line of this fulfillment order is already shipped.');

      const lines = await this.locks.lockFulfillmentLines(em, { fulfillmentOrderId: order.id });
      const byId = new Map(lines.map((line) => [String(line.id), line]));
      const parcel = parcelToShip(order.id, lines, input);

      const shipment = (await sqlOne<ShipmentRow>(em, `insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number) values (?, ?, ?, ?) returning *`, [
        order.id,
        actor.merchantId,
        input.carrierCode,
        input.trackingNumber,
      ]))!;
      const lineIds = parcel.map((item) => item.lineId);
      const quantities = parcel.map((item) => item.quantity);
      await sqlExec(em, `insert into shipment_line (shipment_id, fulfillment_order_line_id, quantity) select ?, * from unnest(?::bigint[], ?::int[])`, [shipment.id, lineIds, quantities]);
      await sqlExec(em, `update fulfillment_order_line l set shipped_quantity = l.shipped_quantity + r.quantity from unnest(?::bigint[], ?::int[]) as r(id, quantity) where l.id = r.id`, [
        lineIds,
        quantities,
      ]);
      const fullyShipped = lines.every((line) => line.quantity === line.shipped_quantity + line.cancelled_quantity + (parcel.find((item) => item.lineId === String(line.id))?.quantity ?? 0));
      const next: FulfillmentStatus = fullyShipped ? 'shipped' : 'partially_shipped';
      FULFILLMENT_ORDER_LIFECYCLE.assert(order.status, next, 'ship');
      await sqlExec(em, `update fulfillment_order set status = ?, shipped_at = case when ? then now() else shipped_at end, updated_at = now() where id = ?`, [next, fullyShipped, order.id]);

      await this.inventory.consumeReservation(
        em,
        actor.merchantId,
        parcel.map((item) => ({ warehouseId: String(order.warehouse_id), skuId: String(byId.get(item.lineId)!.sku_id), quantity: item.quantity })),
        `shipment:${shipment.id}`,
      );
      const touched = await this.orders.applyShipment(
        em,
        parcel.map((item) => ({ channelOrderLineId: String(byId.get(item.lineId)!.channel_order_line_id), quantity: item.quantity })),
      );
      // Settlement accrues every hop of the parcel from its event alone (it reads none of these tables).
      const recorded = await shipmentRecordedEvent(em, this.catalog, this.orders, { shipment, order, lines: parcel.map((item) => ({ line: byId.get(item.lineId)!, quantity: item.quantity })) });
      await this.outbox.append(em, [
        ...touched.map((channelOrder) => ({
          type: 'channel_order.shipment_recorded' as const,
          merchantId: channelOrder.merchantId,
          aggregateId: channelOrder.channelOrderId,
          // The order's status right after this shipment: the shop is told "partially shipped" or
          // "shipped" as of this parcel, however late the notice leaves.
          payload: { channelOrderId: channelOrder.channelOrderId, shipmentId: String(shipment.id), orderStatus: channelOrder.status },
        })),
        recorded,
      ]);
      return { shipment: await this.presentShipment(em, shipment), created: true };
    });
  }

  /**
   * The carrier reports the parcel delivered: the no-reason return window of its lines starts then
   * (else at shipment). Reporting again keeps the first date.
   */
  async recordDelivery(actor: ActorContext, fulfillmentOrderId: string, shipmentId: string, deliveredAt: string | undefined): Promise<ShipmentResponseDto> {
    return this.em.transactional(async (em) => {
      const order = await this.findOwn(em, actor, fulfillmentOrderId);
      const shipment = isId(shipmentId) ? await sqlOne<ShipmentRow>(em, `select * from shipment where id = ? and fulfillment_order_id = ? for update`, [shipmentId, order.id]) : undefined;
      if (!shipment) throw new NotFoundError('shipment', shipmentId);
      const at = deliveredAt ? new Date(deliveredAt) : new Date();
      if (at.getTime() < new Date(shipment.created_at).getTime() - 60_000) throw ValidationFailedError.field('deliveredAt', 'is before the parcel was shipped');
      if (at.getTime() > Date.now() + 5 * 60_000) throw ValidationFailedError.field('deliveredAt', 'is in the future');
      const updated = (await sqlOne<ShipmentRow>(em, `update shipment set delivered_at = coalesce(delivered_at, ?) where id = ? returning *`, [at.toISOString(), shipment.id]))!;
      return this.presentShipment(em, updated);
    });
  }

  /** For the distributor's view of its order: the price it pays and carrier/tracking per line. */
  async trackingForChannelOrder(actor: ActorContext, channelOrderId: string): Promise<Map<string, LineTracking>> {
    const lines = await sqlRows<FulfillmentLineRow & { hop_price: string | null; hop_currency: string | null; seller_merchant_id: string | null }>(
      this.em,
      `select l.*, h.unit_price_amount as hop_price, h.currency as hop_currency, h.seller_merchant_id
         from fulfillment_order_line l
         left join fulfillment_line_hop h on h.fulfillment_order_line_id = l.id and h.hop_index = 0
        where l.channel_order_id = ? and l.distributor_merchant_id = ?`,
      [channelOrderId, actor.merchantId],
    );
    const shipments = await sqlRows<ShipmentRow & { fulfillment_order_line_id: string; quantity: number }>(
      this.em,
      `select s.*, sl.fulfillment_order_line_id, sl.quantity from shipment s join shipment_line sl on sl.shipment_id = s.id
        where sl.fulfillment_order_line_id = any(?::bigint[]) order by s.id`,
      [lines.map((line) => line.id)],
    );
    const result = new Map<string, LineTracking>();
    for (const line of lines) {
      const key = String(line.channel_order_line_id);
      const entry = result.get(key) ?? {
        supplyPrice: line.hop_price !== null ? money(line.hop_price, line.hop_currency!) : null,
        customization: {
          values: sortedValues(line.customization),
          label: line.customization_label,
          extra: line.hop_price !== null ? money(line.customization_extra_amount, line.hop_currency!) : null,
        },
        sellerMerchantId: line.seller_merchant_id === null ? null : String(line.seller_merchant_id),
        fulfillmentOrderId: String(line.fulfillment_order_id),
        shipments: [],
      };
      for (const shipment of shipments.filter((s) => String(s.fulfillment_order_line_id) === String(line.id))) {
        entry.shipments.push({
          shipmentId: String(shipment.id),
          carrierCode: shipment.carrier_code,
          trackingNumber: shipment.tracking_number,
          quantity: shipment.quantity,
          shippedAt: new Date(shipment.created_at).toISOString(),
        });
      }
      result.set(key, entry);
    }
    return result;
  }

  /** The supplier's view of fulfillment orders (for the inbox, the ERP webhook and exports). */
  async present(em: EntityManager, rows: FulfillmentOrderRow[], withShipments: boolean): Promise<Map<string, FulfillmentOrderResponseDto>> {
    const ids = rows.map((row) => String(row.id));
    const lines = ids.length ? await sqlRows<FulfillmentLineRow>(em, `select * from fulfillment_order_line where fulfillment_order_id = any(?::bigint[]) order by id`, [ids]) : [];
    const skus = await this.catalog.skusById(lines.map((line) => String(line.sku_id)));
    const shipments = withShipments ? await this.shipmentsOf(em, ids) : [];
    const result = new Map<string, FulfillmentOrderResponseDto>();
    for (const row of rows) {
      const id = String(row.id);
      const own = lines.filter((line) => String(line.fulfillment_order_id) === id);
      result.set(id, {
        id,
        warehouseId: String(row.warehouse_id),
        status: row.status,
        consignee: { name: openField(row.consignee_name), phone: openField(row.consignee_phone), province: row.province, city: row.city, district: row.district, address: openField(row.address) },
        remarks: row.remarks,
        createdAt: new Date(row.created_at).toISOString(),
        releasedAt: iso(row.released_at),
        acknowledgedAt: iso(row.acknowledged_at),
        shippedAt: iso(row.shipped_at),
        shipBy: iso(row.ship_by),
        overdue: isOverdue(row),
        ...madeToOrderOf(row),
        lines: own.map((line): FulfillmentLineResponseDto => ({
          id: String(line.id),
          skuId: String(line.sku_id),
          skuCode: skus.get(String(line.sku_id))?.code ?? '',
          skuName: skus.get(String(line.sku_id))?.name ?? '',
          quantity: line.quantity,
          shippedQuantity: line.shipped_quantity,
          cancelledQuantity: line.cancelled_quantity,
          returnedQuantity: line.returned_quantity,
          supplyPrice: line.supply_price_amount !== null ? money(line.supply_price_amount, line.currency) : null,
          ...customizationOf(line),
        })),
        ...(withShipments ? { shipments: shipments.filter((shipment) => shipment.fulfillmentOrderId === id) } : {}),
      });
    }
    return result;
  }

  /** A fulfillment order by id for system work (no actor): null when absent. */
  async findForSystem(em: EntityManager, fulfillmentOrderIds: string[], options: { lock?: boolean } = {}): Promise<FulfillmentOrderRow[]> {
    if (fulfillmentOrderIds.length === 0) return [];
    const rows = await sqlRows<FulfillmentOrderRow>(em, `select * from fulfillment_order where id = any(?::bigint[]) order by id${options.lock ? ' for update' : ''}`, [
      [...new Set(fulfillmentOrderIds)],
    ]);
    return rows.map((row) => ({ ...row, id: String(row.id) }));
  }

  private async shipmentsOf(em: EntityManager, fulfillmentOrderIds: string[]): Promise<ShipmentResponseDto[]> {
    if (fulfillmentOrderIds.length === 0) return [];
    const shipments = await sqlRows<ShipmentRow>(em, `select * from shipment where fulfillment_order_id = any(?::bigint[]) order by id`, [fulfillmentOrderIds]);
    return Promise.all(shipments.map((shipment) => this.presentShipment(em, shipment)));
  }

  private async presentShipment(em: EntityManager, shipment: ShipmentRow): Promise<ShipmentResponseDto> {
    const lines = await sqlRows<{ fulfillment_order_line_id: string; quantity: number }>(em, `select * from shipment_line where shipment_id = ? order by fulfillment_order_line_id`, [shipment.id]);
    return {
      id: String(shipment.id),
      fulfillmentOrderId: String(shipment.fulfillment_order_id),
      carrierCode: shipment.carrier_code,
      trackingNumber: shipment.tracking_number,
      lines: lines.map((line) => ({ lineId: String(line.fulfillment_order_line_id), quantity: line.quantity })),
      createdAt: new Date(shipment.created_at).toISOString(),
      deliveredAt: iso(shipment.delivered_at),
    };
  }

  private async findOwn(em: EntityManager, actor: ActorContext, fulfillmentOrderId: string, lock = false): Promise<FulfillmentOrderRow> {
    const row = isId(fulfillmentOrderId)
      ? await sqlOne<FulfillmentOrderRow>(em, `select * from fulfillment_order where id = ? and supplier_merchant_id = ?${lock ? ' for update' : ''}`, [fulfillmentOrderId, actor.merchantId])
      : undefined;
    if (!row) throw new NotFoundError('fulfillment order', fulfillmentOrderId);
    return { ...row, id: String(row.id) };
  }
}

/**
 * The parcel's lines and units (all that remains when none are given), checked against each line:
 * never a cancelled line ("cancelled: do not ship"), never more than remains to ship.
 */
function parcelToShip(fulfillmentOrderId: string, lines: FulfillmentLineRow[], input: RecordShipmentDto): { lineId: string; quantity: number }[] {
  const byId = new Map(lines.map((line) => [String(line.id), line]));
  const open = (line: FulfillmentLineRow) => line.quantity - line.shipped_quantity - line.cancelled_quantity;
  const parcel = input.lines ?? lines.filter((line) => open(line) > 0).map((line) => ({ lineId: String(line.id), quantity: open(line) }));
  const seen = new Set<string>();
  parcel.forEach((item, index) => {
    const line = byId.get(item.lineId);
    if (!line) throw ValidationFailedError.field(`lines[${index}].lineId`, `is not a line of fulfillment order ${fulfillmentOrderId}`);
    if (seen.has(item.lineId)) throw ValidationFailedError.field(`lines[${index}].lineId`, 'appears twice');
    seen.add(item.lineId);
    const remaining = open(line);
    if (remaining === 0 && line.cancelled_quantity > 0) {
      throw new ConflictError('fulfillment_line_cancelled', `cancelled: do not ship. Line ${item.lineId} was cancelled by the consumer.`, [{ field: `lines[${index}].lineId`, reason: 'cancelled' }]);
    }
    if (item.quantity > remaining) {
      throw new DomainError('invalid', 'shipment_exceeds_order', `Line ${item.lineId}: ${item.quantity} unit(s) shipped but only ${remaining} remain to ship (ordered ${line.quantity}).`, [
        { field: `lines[${index}].quantity`, reason: `at most ${remaining} remain to ship` },
      ]);
    }
  });
  if (parcel.length === 0) throw new ConflictError('fulfillment_order_already_shipped', 'Nothing remains to ship on this fulfillment order.');
  return parcel;
}
