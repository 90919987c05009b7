import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  ActorContext,
  ConflictError,
  decodeIdCursor,
  DomainError,
  encryptField,
  isId,
  money,
  normalizeAddress,
  NotFoundError,
  outboxInsertSql,
  OutboxService,
  Page,
  sqlExec,
  sqlOne,
  sqlRows,
  toPage,
  ValidationFailedError,
} from '@gongxiao/core';
import { payloadHash, ReadReplica } from '@gongxiao/core';
import { CHANNEL_ORDER_LIFECYCLE, ChannelOrderStatus } from './channel-order.lifecycle';
import { addressWarningsOf, ChannelOrderLineRow, ChannelOrderRow, consigneeOf, lineRows } from './channel-order.rows';
import { ChannelOrderLineResponseDto, ChannelOrderResponseDto, ListChannelOrdersQueryDto, PushOrderDto, PushReceiptDto } from './orders.dto';
import { channelOrdersPageQuery } from './channel-orders-page.query';

/** How an order came in: a signed push, entered by hand, or a row group of an uploaded sheet. */
export type ChannelOrderSource = 'push' | 'manual' | 'sheet';

export interface IngestResult {
  receipt: PushReceiptDto;
  created: boolean;
}

function toReceipt(row: Pick<ChannelOrderRow, 'id' | 'external_order_id' | 'status' | 'received_at'>, duplicate: boolean): PushReceiptDto {
  return { id: String(row.id), externalOrderId: row.external_order_id, status: row.status, duplicate, receivedAt: new Date(row.received_at).toISOString() };
}

export function toChannelOrderResponse(row: ChannelOrderRow): ChannelOrderResponseDto {
  return {
    id: String(row.id),
    shopId: String(row.shop_id),
    externalOrderId: row.external_order_id,
    status: row.status,
    exceptionCode: row.exception_code,
    exceptionReason: row.exception_reason,
    consignee: consigneeOf(row),
    warnings: addressWarningsOf(row),
    total: money(row.total_amount, row.currency),
    remarks: row.remarks,
    receivedAt: new Date(row.received_at).toISOString(),
    routedAt: row.routed_at ? new Date(row.routed_at).toISOString() : null,
  };
}

/**
 * Orders as shops push them. Ingest is one idempotent statement (order, lines and outbox event
 * together); routing happens in the worker.
 */
/** A shipment moves an order to partially shipped or shipped: only from states that allow both. */
const SHIPPABLE_STATUSES = CHANNEL_ORDER_LIFECYCLE.sourcesOf('shipped').filter((status) => CHANNEL_ORDER_LIFECYCLE.can(status, 'partially_shipped'));

@Injectable()
export class OrdersService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly replica: ReadReplica,
  ) {}

  /**
   * Stores a shop order once. The same (shop, external id) with the same content returns the first
   * order unchanged; with other content it is a 409 naming the conflict.
   */
  async ingest(shop: { id: string; merchantId: string }, input: PushOrderDto, source: ChannelOrderSource, rawPayload: unknown): Promise<IngestResult> {
    const amounts = this.checkAmounts(input);
    // The hash is of what was sent: a re-push of the same body is the same order, however its address reads after normalizing.
    const hash = payloadHash(input);
    const region = normalizeAddress(input.consignee);
    const currency = input.currency ?? 'CNY';
    const lines = input.lines;
    const inserted = await sqlOne<ChannelOrderRow>(
      this.em,
      `with new_order as (
         insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload,
           consignee_name, consignee_phone, province, city, district, address_warnings, address, remarks, currency,
           goods_amount, shipping_amount, discount_amount, total_amount, placed_at)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (shop_id, external_order_id) do nothing
         returning id, external_order_id, status, received_at
       ), new_lines as (
         insert into channel_order_line (channel_order_id, line_no, shop_sku_code, title, quantity, unit_price_amount, external_line_id, customization)
         select new_order.id, l.line_no, l.code, l.title, l.quantity, l.price, l.external_line_id, l.customization::jsonb
           from new_order, unnest(?::int[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[]) as l(line_no, code, title, quantity, price, external_line_id, customization)
       ), event as (
         ${outboxInsertSql(`select 'channel_order.received', ?, new_order.id::text, jsonb_build_object('channelOrderId', new_order.id::text) from new_order`)}
       )
       select * from new_order`,
      [
        shop.merchantId,
        shop.id,
        input.externalOrderId,
        source,
        hash,
        // Encrypted at rest: the raw payload as one JSON string, name, phone and address (the region stays plain).
        JSON.stringify(encryptField(JSON.stringify(rawPayload ?? input))),
        encryptField(input.consignee.name),
        encryptField(input.consignee.phone),
        // The region as the national divisions name it (routing compares provinces); what could not be normalized is kept as given, with a warning.
        region.province,
        region.city,
        region.district,
        JSON.stringify(region.warnings),
        encryptField(input.consignee.address),
        input.remarks ?? null,
        currency,
        amounts.goods,
        amounts.shipping,
        amounts.discount,
        amounts.total,
        input.placedAt ?? null,
        lines.map((_, index) => index + 1),
        lines.map((line) => line.shopSkuCode),
        lines.map((line) => line.title ?? null),
        lines.map((line) => line.quantity),
        lines.map((line) => line.unitPrice),
        lines.map((line) => line.externalLineId ?? null),
        lines.map((line) => (line.customization ? JSON.stringify(line.customization) : null)),
        shop.merchantId,
      ],
    );
    if (inserted) return { receipt: toReceipt(inserted, false), created: true };

    const existing = await sqlOne<ChannelOrderRow>(this.em, `select id, external_order_id, status, received_at, payload_hash from channel_order where shop_id = ? and external_order_id = ?`, [
      shop.id,
      input.externalOrderId,
    ]);
    if (!existing) throw new Error(`Order ${input.externalOrderId} neither inserted nor found`);
    if (existing.payload_hash !== hash) {
      throw new ConflictError(
        'external_order_conflict',
        `Order ${input.externalOrderId} was already received from this shop with different content (Gongxiao order ${existing.id}). An order cannot be changed by pushing it again: cancel it and push a new external order id.`,
        [{ field: 'externalOrderId', reason: `already received as order ${existing.id} with other content` }],
      );
    }
    return { receipt: toReceipt(existing, true), created: false };
  }

  /** `onlyIds`: restrict the page to these orders (the overdue filter: fulfillment names them). */
  async list(actor: ActorContext, query: ListChannelOrdersQueryDto, onlyIds?: string[]): Promise<Page<ChannelOrderResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const { sql, params } = channelOrdersPageQuery(actor.merchantId, query, before, limit + 1, onlyIds);
    const rows = await sqlRows<ChannelOrderRow>(await this.replica.reader(this.em), sql, params);
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toChannelOrderResponse,
    );
  }

  /** The distributor's order with its lines (supply prices and shipments are added by fulfillment). */
  async get(actor: ActorContext, channelOrderId: string): Promise<ChannelOrderResponseDto & { lines: ChannelOrderLineResponseDto[] }> {
    const row = isId(channelOrderId) ? await sqlOne<ChannelOrderRow>(this.em, `select * from channel_order where id = ? and merchant_id = ?`, [channelOrderId, actor.merchantId]) : undefined;
    if (!row) throw new NotFoundError('channel order', channelOrderId);
    const lines = await sqlRows<ChannelOrderLineRow>(this.em, `select * from channel_order_line where channel_order_id = ? order by line_no`, [row.id]);
    return {
      ...toChannelOrderResponse(row),
      lines: lines.map((line) => ({
        id: String(line.id),
        lineNo: line.line_no,
        shopSkuCode: line.shop_sku_code,
        externalLineId: line.external_line_id ?? null,
        title: line.title,
        quantity: line.quantity,
        shippedQuantity: line.shipped_quantity,
        cancelledQuantity: line.cancelled_quantity,
        unitPrice: money(line.unit_price_amount, row.currency),
        supplyPrice: null,
        shipments: [],
        customization: (line.customization as Record<string, string> | null | undefined) ?? null,
      })),
    };
  }

  /** The Gongxiao order id of a shop's external order id (for signed cancellations); 404 when unknown. */
  async idOfExternal(shopId: string, externalOrderId: string): Promise<string> {
    const row = await sqlOne<{ id: string }>(this.em, `select id::text from channel_order where shop_id = ? and external_order_id = ?`, [shopId, externalOrderId]);
    if (!row) throw new NotFoundError('channel order', externalOrderId);
    return row.id;
  }

  /** An order held as an exception goes back to routing once its cause is fixed. */
  async retry(actor: ActorContext, channelOrderId: string): Promise<ChannelOrderResponseDto> {
    return this.em.transactional(async (em) => {
      const row = isId(channelOrderId) ? await sqlOne<ChannelOrderRow>(em, `select * from channel_order where id = ? and merchant_id = ? for update`, [channelOrderId, actor.merchantId]) : undefined;
      if (!row) throw new NotFoundError('channel order', channelOrderId);
      if (row.status === 'received') {
        // Still waiting: retrying helps only when its routing job gave up (e.g. the database was away).
        if (await this.outbox.hasPending(em, 'channel_order.received', String(row.id))) {
          throw new ConflictError('channel_order_routing_pending', 'This order is waiting to be routed; it will be routed shortly. Nothing to retry.');
        }
        await this.outbox.append(em, [{ type: 'channel_order.received', merchantId: actor.merchantId, aggregateId: String(row.id), payload: { channelOrderId: String(row.id) } }]);
        return toChannelOrderResponse(row);
      }
      CHANNEL_ORDER_LIFECYCLE.assert(row.status, 'received', 'retry');
      const updated = (await sqlOne<ChannelOrderRow>(
        em,
        `update channel_order set status = 'received', exception_code = null, exception_reason = null, exception_detail = null, updated_at = now() where id = ? returning *`,
        [row.id],
      ))!;
      await this.outbox.append(em, [{ type: 'channel_order.received', merchantId: actor.merchantId, aggregateId: String(row.id), payload: { channelOrderId: String(row.id) } }]);
      return toChannelOrderResponse(updated);
    });
  }

  /**
   * Claims the orders still waiting to be routed, locked in id order (a second routing of the same
   * order waits, then finds it routed), with their lines.
   */
  async claimForRouting(em: EntityManager, channelOrderIds: string[]): Promise<{ order: ChannelOrderRow; lines: ChannelOrderLineRow[] }[]> {
    if (channelOrderIds.length === 0) return [];
    const rows = await sqlRows<ChannelOrderRow & { lines: ChannelOrderLineRow[] }>(
      em,
      `with locked as (
         select id from channel_order where id = any(?::bigint[]) and status = 'received' order by id for update
       ), claimed as (
         update channel_order c set route_attempts = route_attempts + 1 from locked where c.id = locked.id returning c.*
       )
       select c.*, (select coalesce(json_agg(l order by l.line_no), '[]'::json) from channel_order_line l where l.channel_order_id = c.id) as lines
         from claimed c order by c.id`,
      [[...new Set(channelOrderIds)]],
    );
    return rows.map(({ lines, ...row }) => ({
      order: { ...row, id: String(row.id), merchant_id: String(row.merchant_id), shop_id: String(row.shop_id) },
      lines: lineRows(lines),
    }));
  }

  async markRouted(em: EntityManager, channelOrderIds: string[], listingByLine: Map<string, string>): Promise<void> {
    await sqlExec(
      em,
      `with routed as (
         update channel_order set status = 'routed', routed_at = clock_timestamp(), updated_at = now(), exception_code = null, exception_reason = null, exception_detail = null
          where id = any(?::bigint[]) and status = any(?::text[])
       )
       update channel_order_line l set listing_id = r.listing_id from unnest(?::bigint[], ?::bigint[]) as r(line_id, listing_id) where l.id = r.line_id`,
      [channelOrderIds, CHANNEL_ORDER_LIFECYCLE.sourcesOf('routed'), [...listingByLine.keys()], [...listingByLine.values()]],
    );
  }

  /** Holds an order as an exception; `detail` says what it is about, for the machines that clear it. */
  async markException(em: EntityManager, channelOrderId: string, code: string, reason: string, detail?: Record<string, unknown>): Promise<void> {
    await sqlExec(
      em,
      `update channel_order set status = 'exception', exception_code = ?, exception_reason = ?, exception_detail = ?::jsonb, updated_at = now() where id = ? and status = any(?::text[])`,
      [code, reason.slice(0, 2000), detail ? JSON.stringify(detail) : null, channelOrderId, CHANNEL_ORDER_LIFECYCLE.sourcesOf('exception')],
    );
  }

  /**
   * Adds shipped quantities to order lines (in the shipment's transaction) and moves each order to
   * partially shipped or shipped. Returns the orders touched with their new status.
   */
  async applyShipment(
    em: EntityManager,
    lines: { channelOrderLineId: string; quantity: number }[],
  ): Promise<{ channelOrderId: string; merchantId: string; shopId: string; status: ChannelOrderStatus }[]> {
    if (lines.length === 0) return [];
    // Lines in id order first: two shipments sharing split lines cannot deadlock.
    await sqlExec(em, `select 1 from channel_order_line where id = any(?::bigint[]) order by id for update`, [lines.map((line) => line.channelOrderLineId)]);
    const updated = await sqlRows<{ channel_order_id: string }>(
      em,
      `update channel_order_line l set shipped_quantity = l.shipped_quantity + r.quantity
         from unnest(?::bigint[], ?::int[]) as r(line_id, quantity) where l.id = r.line_id
       returning l.channel_order_id`,
      [lines.map((line) => line.channelOrderLineId), lines.map((line) => line.quantity)],
    );
    const orderIds = [...new Set(updated.map((row) => String(row.channel_order_id)))];
    // The orders are locked in id order first: two shipments of merged parcels, each carrying lines
    // of the same shop orders, take them in the same order (no deadlock). In a statement of its own:
    // the status below is then worked out from a snapshot taken after the lock, so it sees the lines
    // another shipment of the same order committed while this one waited (one statement would read
    // them as they were before the wait, and both would leave the order partially shipped).
    await sqlExec(em, `select 1 from channel_order where id = any(?::bigint[]) order by id for update`, [orderIds]);
    const rows = await sqlRows<{ id: string; merchant_id: string; shop_id: string; status: ChannelOrderStatus }>(
      em,
      `update channel_order o set status = case when t.remaining = 0 then 'shipped' else 'partially_shipped' end, updated_at = now()
         from (select channel_order_id, sum(quantity - shipped_quantity - cancelled_quantity) as remaining from channel_order_line
                where channel_order_id = any(?::bigint[]) group by channel_order_id) t
        where o.id = t.channel_order_id and o.status = any(?::text[])
        returning o.id, o.merchant_id, o.shop_id, o.status`,
      [orderIds, SHIPPABLE_STATUSES],
    );
    return rows.map((row) => ({ channelOrderId: String(row.id), merchantId: String(row.merchant_id), shopId: String(row.shop_id), status: row.status }));
  }

  /**
   * Locks a shop order row (for update) and returns it. Paths that change a routed order's units
   * take it after its fulfillment orders: see `OrderLocks` in fulfillment, the one lock order.
   */
  async lockOrder(em: EntityManager, channelOrderId: string): Promise<ChannelOrderRow | undefined> {
    return sqlOne<ChannelOrderRow>(em, `select * from channel_order where id = ? for update`, [channelOrderId]);
  }

  /** Facts about orders for the supplier's and the shop's views (no prices). */
  async ordersById(em: EntityManager, ids: string[]): Promise<Map<string, ChannelOrderRow>> {
    if (ids.length === 0) return new Map();
    const rows = await sqlRows<ChannelOrderRow>(em, `select * from channel_order where id = any(?::bigint[])`, [ids]);
    return new Map(rows.map((row) => [String(row.id), row]));
  }

  async linesById(em: EntityManager, ids: string[]): Promise<Map<string, ChannelOrderLineRow>> {
    if (ids.length === 0) return new Map();
    const rows = await sqlRows<ChannelOrderLineRow>(em, `select * from channel_order_line where id = any(?::bigint[])`, [ids]);
    return new Map(rows.map((row) => [String(row.id), row]));
  }

  /**
   * Orders with their lines (in line number order), for other contexts' views of them: one
   * statement for any number of orders.
   */
  async ordersWithLinesById(em: EntityManager, ids: string[]): Promise<Map<string, { order: ChannelOrderRow; lines: ChannelOrderLineRow[] }>> {
    if (ids.length === 0) return new Map();
    const rows = await sqlRows<ChannelOrderRow & { lines: ChannelOrderLineRow[] }>(
      em,
      `select c.*, (select coalesce(json_agg(l order by l.line_no), '[]'::json) from channel_order_line l where l.channel_order_id = c.id) as lines
         from channel_order c where c.id = any(?::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map(({ lines, ...row }) => [String(row.id), { order: row, lines: lineRows(lines) }]));
  }

  private checkAmounts(input: PushOrderDto): { goods: number; shipping: number; discount: number; total: number } {
    const goods = input.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
    const shipping = input.amounts?.shipping ?? 0;
    const discount = input.amounts?.discount ?? 0;
    const expected = goods + shipping - discount;
    if (!Number.isSafeInteger(goods) || goods > 10_000_000_000_000) throw ValidationFailedError.field('lines', 'the order total is too large');
    if (expected < 0) throw ValidationFailedError.field('amounts.discount', `is larger than goods + shipping (${goods + shipping})`);
    if (input.amounts?.total !== undefined && input.amounts.total !== expected) {
      throw new DomainError('invalid', 'amounts_mismatch', `amounts.total is ${input.amounts.total} but goods ${goods} + shipping ${shipping} − discount ${discount} = ${expected}.`, [
        { field: 'amounts.total', reason: `must equal ${expected}` },
      ]);
    }
    return { goods, shipping, discount, total: expected };
  }
}
