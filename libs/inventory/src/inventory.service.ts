import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, decodeKeyCursor, encodeKeyCursor, OutboxService, Page, sqlExec, sqlOne, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { AdjustStockDto, ListStockLevelsQueryDto, SetStockLevelDto, StockLevelResponseDto } from './inventory.dto';

export type StockMovementReason = 'manual_set' | 'manual_adjustment' | 'order_reserved' | 'order_shipped' | 'reservation_released' | 'return_restocked' | 'produced_to_order';

export interface StockItem {
  warehouseId: string;
  skuId: string;
  quantity: number;
}

export interface AvailabilityRow {
  warehouseId: string;
  skuId: string;
  available: number;
}

interface StockLevelRow {
  warehouse_id: string;
  sku_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  updated_at: Date;
}

function toResponse(row: StockLevelRow): StockLevelResponseDto {
  return {
    warehouseId: String(row.warehouse_id),
    skuId: String(row.sku_id),
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
    available: Math.max(0, row.on_hand - row.reserved - row.safety_stock),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Sums quantities per (warehouse, SKU) and sorts them, so rows are always locked in one order. */
function aggregate(items: StockItem[]): StockItem[] {
  const byKey = new Map<string, StockItem>();
  for (const item of items) {
    const key = `${item.warehouseId}:${item.skuId}`;
    const existing = byKey.get(key);
    if (existing) existing.quantity += item.quantity;
    else byKey.set(key, { ...item });
  }
  return [...byKey.values()].sort((a, b) => Number(BigInt(a.warehouseId) - BigInt(b.warehouseId)) || Number(BigInt(a.skuId) - BigInt(b.skuId)));
}

const unnestParams = (items: StockItem[]) => [items.map((i) => i.warehouseId), items.map((i) => i.skuId), items.map((i) => i.quantity)];

/**
 * Stock per warehouse × SKU. Every change writes a stock movement; reservations are atomic
 * conditional updates, safe whoever calls them and however many at once.
 */
@Injectable()
export class InventoryService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
    private readonly outbox: OutboxService,
  ) {}

  /** Listings selling these SKUs must show the new availability (in the caller's transaction). */
  private async availabilityChanged(em: EntityManager, merchantId: string, skuIds: string[]): Promise<void> {
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId, aggregateId: `stock:${merchantId}`, payload: { skuIds: [...new Set(skuIds)] } }]);
  }

  /** Sets on-hand (and optionally safety stock) to absolute values; reserved units are kept. */
  async setLevel(actor: ActorContext, input: SetStockLevelDto): Promise<StockLevelResponseDto> {
    await this.catalog.findWarehouse(actor, input.warehouseId);
    await this.catalog.findSku(actor, input.skuId);
    return this.em.transactional(async (em) => {
      await sqlExec(em, `insert into stock_level (warehouse_id, sku_id, merchant_id) values (?, ?, ?) on conflict do nothing`, [input.warehouseId, input.skuId, actor.merchantId]);
      const before = (await sqlOne<StockLevelRow>(em, `select * from stock_level where warehouse_id = ? and sku_id = ? for update`, [input.warehouseId, input.skuId]))!;
      const row = (await sqlOne<StockLevelRow>(
        em,
        `update stock_level set on_hand = ?, safety_stock = coalesce(?, safety_stock), updated_at = now()
          where warehouse_id = ? and sku_id = ? returning *`,
        [input.onHand, input.safetyStock ?? null, input.warehouseId, input.skuId],
      ))!;
      await this.recordMovements(em, actor.merchantId, [{ warehouseId: input.warehouseId, skuId: input.skuId, quantity: input.onHand - before.on_hand }], 'manual_set', null, 'on_hand');
      await this.availabilityChanged(em, actor.merchantId, [input.skuId]);
      return toResponse(row);
    });
  }

  async adjust(actor: ActorContext, input: AdjustStockDto): Promise<StockLevelResponseDto> {
    await this.catalog.findWarehouse(actor, input.warehouseId);
    await this.catalog.findSku(actor, input.skuId);
    return this.em.transactional(async (em) => {
      await sqlExec(em, `insert into stock_level (warehouse_id, sku_id, merchant_id) values (?, ?, ?) on conflict do nothing`, [input.warehouseId, input.skuId, actor.merchantId]);
      const row = await sqlOne<StockLevelRow>(
        em,
        `update stock_level set on_hand = on_hand + ?, updated_at = now()
          where warehouse_id = ? and sku_id = ? and on_hand + ? >= 0 returning *`,
        [input.delta, input.warehouseId, input.skuId, input.delta],
      );
      if (!row) {
        throw new ConflictError('stock_would_go_negative', `Removing ${-input.delta} units would leave less than 0 on hand.`, [{ field: 'delta', reason: 'more than is on hand' }]);
      }
      await this.recordMovements(em, actor.merchantId, [{ warehouseId: input.warehouseId, skuId: input.skuId, quantity: input.delta }], 'manual_adjustment', input.note ?? null, 'on_hand');
      await this.availabilityChanged(em, actor.merchantId, [input.skuId]);
      return toResponse(row);
    });
  }

  /** By warehouse, then SKU; the cursor is the last (warehouse, SKU) of the page. */
  async list(actor: ActorContext, query: ListStockLevelsQueryDto): Promise<Page<StockLevelResponseDto>> {
    const limit = query.limit ?? 50;
    const after = decodeKeyCursor(query.cursor, 2);
    // Filtering by another merchant's (or no) warehouse or SKU is a 404, as for every id.
    if (query.warehouseId) await this.catalog.findWarehouse(actor, query.warehouseId);
    if (query.skuId) await this.catalog.findSku(actor, query.skuId);
    const rows = await sqlRows<StockLevelRow>(
      this.em,
      `select * from stock_level where merchant_id = ?
          and (?::bigint is null or warehouse_id = ?::bigint) and (?::bigint is null or sku_id = ?::bigint)
          and (?::bigint is null or (warehouse_id, sku_id) > (?::bigint, ?::bigint))
        order by warehouse_id, sku_id limit ?`,
      [actor.merchantId, query.warehouseId ?? null, query.warehouseId ?? null, query.skuId ?? null, query.skuId ?? null, after?.[0] ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return { data: pageRows.map(toResponse), nextCursor: hasMore ? encodeKeyCursor([String(last.warehouse_id), String(last.sku_id)]) : null };
  }

  /** SKUs a merchant holds stock rows for (what a warehouse change can affect). */
  async skusInStock(em: EntityManager, merchantId: string): Promise<string[]> {
    const rows = await sqlRows<{ sku_id: string }>(em, `select distinct sku_id::text from stock_level where merchant_id = ?`, [merchantId]);
    return rows.map((row) => row.sku_id);
  }

  /** Available units per warehouse of the given SKUs, in the caller's transaction. */
  async availability(em: EntityManager, skuIds: string[]): Promise<AvailabilityRow[]> {
    if (skuIds.length === 0) return [];
    const rows = await sqlRows<{ warehouse_id: string; sku_id: string; available: number }>(
      em,
      `select warehouse_id, sku_id, greatest(on_hand - reserved - safety_stock, 0) as available
         from stock_level where sku_id = any(?::bigint[])`,
      [skuIds],
    );
    return rows.map((row) => ({ warehouseId: String(row.warehouse_id), skuId: String(row.sku_id), available: Number(row.available) }));
  }

  /**
   * Reserves every item or none: locks the rows in a fixed order, then reserves only where
   * enough is available. Returns the items that could not be reserved (empty = all reserved).
   * The caller must roll back its transaction when something is returned.
   */
  async reserve(em: EntityManager, items: StockItem[], reference: string): Promise<StockItem[]> {
    return this.reserveAll(em, [{ reference, items }]);
  }

  /**
   * Several reservations (one per reference, e.g. per shop order) in one statement, all or none:
   * each stock row is locked once for their sum, and each reference gets its own movements.
   */
  async reserveAll(em: EntityManager, reservations: { reference: string; items: StockItem[] }[]): Promise<StockItem[]> {
    const wanted = aggregate(reservations.flatMap((reservation) => reservation.items));
    if (wanted.length === 0) return [];
    const movements = reservations.flatMap((reservation) => aggregate(reservation.items).map((item) => ({ ...item, reference: reservation.reference })));
    // One statement: lock the rows in a fixed order (the one-time filter runs the locking CTE before
    // any row is updated, so concurrent orders cannot deadlock), reserve where enough is available,
    // and record the movements. Partial results are rolled back by the caller.
    const reserved = await sqlRows<{ merchant_id: string; warehouse_id: string; sku_id: string }>(
      em,
      `with wanted as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity)
       ), locked as (
         select s.warehouse_id from stock_level s join wanted w on s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id
          order by s.warehouse_id, s.sku_id for update of s
       ), reserved as (
         update stock_level s set reserved = s.reserved + w.quantity, updated_at = now()
           from wanted w
          where (select count(*) from locked) >= 0
            and s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id
            and s.on_hand - s.reserved - s.safety_stock >= w.quantity
          returning s.merchant_id, s.warehouse_id, s.sku_id
       ), moved as (
         insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select r.merchant_id, m.warehouse_id, m.sku_id, 0, m.quantity, 'order_reserved', m.reference
           from unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[]) as m(warehouse_id, sku_id, quantity, reference)
           join reserved r on r.warehouse_id = m.warehouse_id and r.sku_id = m.sku_id
       )
       select merchant_id, warehouse_id, sku_id from reserved`,
      [...unnestParams(wanted), movements.map((item) => item.warehouseId), movements.map((item) => item.skuId), movements.map((item) => item.quantity), movements.map((item) => item.reference)],
    );
    const done = new Set(reserved.map((row) => `${row.warehouse_id}:${row.sku_id}`));
    const missing = wanted.filter((item) => !done.has(`${item.warehouseId}:${item.skuId}`));
    if (missing.length === 0) {
      for (const merchantId of new Set(reserved.map((row) => String(row.merchant_id)))) {
        await this.availabilityChanged(
          em,
          merchantId,
          reserved.filter((row) => String(row.merchant_id) === merchantId).map((row) => String(row.sku_id)),
        );
      }
    }
    return missing;
  }

  /**
   * Shipped units leave the warehouse: reserved and on hand both go down. When a recount set on hand
   * below what was reserved, on hand stops at 0 (the parcel left all the same); movements record
   * the actual change, so they still sum to the level. One shipment of `consumeReservations`.
   */
  async consumeReservation(em: EntityManager, merchantId: string, items: StockItem[], reference: string): Promise<void> {
    await this.consumeReservations(em, merchantId, [{ reference, items }]);
  }

  /**
   * Several shipments' units leave the warehouse in one statement (bulk shipments): each stock row
   * is locked once, in the fixed order, for their sum, and each shipment (reference) gets its own
   * movement, so a batch never takes stock locks out of order. On hand stops at 0 (a recount below
   * what was reserved), the clamp falling on the last references of a row.
   */
  async consumeReservations(em: EntityManager, merchantId: string, consumptions: { reference: string; items: StockItem[] }[]): Promise<void> {
    const wanted = aggregate(consumptions.flatMap((consumption) => consumption.items));
    if (wanted.length === 0) return;
    const parts = consumptions.flatMap((consumption) => aggregate(consumption.items).map((item) => ({ ...item, reference: consumption.reference })));
    const updated = await sqlRows(
      em,
      `with wanted as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity)
       ), before as (
         select s.warehouse_id, s.sku_id, s.on_hand from stock_level s join wanted w on s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id
          order by s.warehouse_id, s.sku_id for update of s
       ), shipped as (
         update stock_level s set reserved = s.reserved - w.quantity, on_hand = greatest(s.on_hand - w.quantity, 0), updated_at = now()
           from wanted w
          where (select count(*) from before) >= 0 and s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id and s.reserved >= w.quantity
          returning s.warehouse_id, s.sku_id, s.on_hand
       ), parts as (
         select m.*, coalesce(sum(m.quantity) over (partition by m.warehouse_id, m.sku_id order by m.ordinal rows between unbounded preceding and 1 preceding), 0) as earlier
           from unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[]) with ordinality as m(warehouse_id, sku_id, quantity, reference, ordinal)
       ), moved as (
         insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select ?, p.warehouse_id, p.sku_id, -greatest(0, least(p.quantity, (b.on_hand - sh.on_hand) - p.earlier)), -p.quantity, 'order_shipped', p.reference
           from parts p join shipped sh on sh.warehouse_id = p.warehouse_id and sh.sku_id = p.sku_id join before b on b.warehouse_id = p.warehouse_id and b.sku_id = p.sku_id
       )
       select warehouse_id from shipped`,
      [...unnestParams(wanted), parts.map((item) => item.warehouseId), parts.map((item) => item.skuId), parts.map((item) => item.quantity), parts.map((item) => item.reference), merchantId],
    );
    if (updated.length !== wanted.length) throw new Error(`Stock reservation missing for shipments ${consumptions.map((consumption) => consumption.reference).join(', ')}`);
  }

  /** Reserved units go back to available (cancellation), with a movement each, in the caller's transaction. */
  async releaseReservation(em: EntityManager, items: StockItem[], reference: string): Promise<void> {
    const wanted = aggregate(items);
    if (wanted.length === 0) return;
    const released = await sqlRows<{ merchant_id: string; sku_id: string }>(
      em,
      `with wanted as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity)
       ), locked as (
         select s.warehouse_id from stock_level s join wanted w on s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id
          order by s.warehouse_id, s.sku_id for update of s
       ), released as (
         update stock_level s set reserved = s.reserved - w.quantity, updated_at = now()
           from wanted w
          where (select count(*) from locked) >= 0 and s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id and s.reserved >= w.quantity
          returning s.merchant_id, s.warehouse_id, s.sku_id, w.quantity
       ), moved as (
         insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select merchant_id, warehouse_id, sku_id, 0, -quantity, 'reservation_released', ? from released
       )
       select merchant_id::text, sku_id::text from released`,
      [...unnestParams(wanted), reference],
    );
    if (released.length !== wanted.length) throw new Error(`Reservation missing for ${reference}`);
    for (const merchantId of new Set(released.map((row) => row.merchant_id))) {
      await this.availabilityChanged(
        em,
        merchantId,
        released.filter((row) => row.merchant_id === merchantId).map((row) => row.sku_id),
      );
    }
  }

  /**
   * Made-to-order units a confirmed production run makes for its orders: on hand and reserved rise
   * together (the stock row is created when the SKU had none there), so that shipping and cancelling
   * them work as for goods from stock, and nothing becomes available to other orders.
   */
  async receiveProduced(em: EntityManager, merchantId: string, items: StockItem[], reference: string): Promise<void> {
    const wanted = aggregate(items);
    if (wanted.length === 0) return;
    await sqlExec(
      em,
      `with wanted as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity) order by warehouse_id, sku_id
       ), produced as (
         insert into stock_level as s (warehouse_id, sku_id, merchant_id, on_hand, reserved) select warehouse_id, sku_id, ?, quantity, quantity from wanted
         on conflict (warehouse_id, sku_id) do update set on_hand = s.on_hand + excluded.on_hand, reserved = s.reserved + excluded.reserved, updated_at = now()
         returning s.warehouse_id, s.sku_id
       )
       insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
       select ?, w.warehouse_id, w.sku_id, w.quantity, w.quantity, 'produced_to_order', ? from wanted w join produced p on p.warehouse_id = w.warehouse_id and p.sku_id = w.sku_id`,
      [...unnestParams(wanted), merchantId, merchantId, reference],
    );
  }

  /** Returned goods go back on the shelf: on hand rises, with a movement each, in the caller's transaction. */
  async restockReturned(em: EntityManager, merchantId: string, items: StockItem[], reference: string): Promise<void> {
    const wanted = aggregate(items);
    if (wanted.length === 0) return;
    const restocked = await sqlRows<{ sku_id: string }>(
      em,
      `with wanted as (
         select * from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity)
       ), locked as (
         select s.warehouse_id from stock_level s join wanted w on s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id
          where s.merchant_id = ? order by s.warehouse_id, s.sku_id for update of s
       ), restocked as (
         update stock_level s set on_hand = s.on_hand + w.quantity, updated_at = now()
           from wanted w
          where (select count(*) from locked) >= 0 and s.warehouse_id = w.warehouse_id and s.sku_id = w.sku_id and s.merchant_id = ?
          returning s.warehouse_id, s.sku_id, w.quantity
       ), moved as (
         insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select ?, warehouse_id, sku_id, quantity, 0, 'return_restocked', ? from restocked
       )
       select sku_id::text from restocked`,
      [...unnestParams(wanted), merchantId, merchantId, merchantId, reference],
    );
    if (restocked.length !== wanted.length) throw new Error(`Stock level missing for ${reference}`);
    await this.availabilityChanged(
      em,
      merchantId,
      restocked.map((row) => row.sku_id),
    );
  }

  private async recordMovements(em: EntityManager, merchantId: string, items: StockItem[], reason: StockMovementReason, reference: string | null, column: 'on_hand' | 'reserved'): Promise<void> {
    const changed = items.filter((item) => item.quantity !== 0);
    if (changed.length === 0) return;
    await sqlExec(
      em,
      `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
       select ?, r.warehouse_id, r.sku_id, ?::int * r.quantity, ?::int * r.quantity, ?, ?
         from unnest(?::bigint[], ?::bigint[], ?::int[]) as r(warehouse_id, sku_id, quantity)`,
      [merchantId, column === 'on_hand' ? 1 : 0, column === 'reserved' ? 1 : 0, reason, reference, ...unnestParams(changed)],
    );
  }
}
