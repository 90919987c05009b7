import { ownWarehouseAndSkuRefs } from '@gongxiao/catalog';
import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, DomainError, ErrorDetail, OutboxService, payloadHash, sqlExec, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { StockUpdateItemDto, StockUpdateReason, StockUpdateResultDto, StockUpdatesDto, StockUpdatesResponseDto } from './stock-updates.dto';

interface ResolvedItem {
  index: number;
  item: StockUpdateItemDto;
  warehouseId: string;
  skuId: string;
  hash: string;
  /** The same key and content as an earlier update of this request: reported, applied once. */
  repeat: boolean;
}

interface LevelRow {
  warehouse_id: string;
  sku_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

/**
 * What an idempotency key stands for: the update's content, with the ids its codes name (a code and
 * the id it names are the same update). Fields are listed by name, not copied with a rest and a
 * spread, which cost more than the hash itself at 5,000 rows; the hash is the one stored before.
 */
export function stockUpdateHash(item: StockUpdateItemDto, warehouseId: string | undefined, skuId: string | undefined): string {
  return payloadHash({ delta: item.delta, note: item.note, onHand: item.onHand, reason: item.reason, safetyStock: item.safetyStock, skuId, warehouseId });
}

const levelKey = (warehouseId: string, skuId: string) => `${warehouseId}:${skuId}`;

/**
 * Stock updates from a supplier's people and ERP: absolute quantities or deltas, one or thousands
 * in a request, each with an idempotency key. A request applies all or nothing, in order; a key seen
 * before with the same body changes nothing again, with another body refuses the request (409).
 * Reserved units are never touched, so an absolute set racing a reservation keeps the reservation.
 */
interface Movement {
  warehouseId: string;
  skuId: string;
  delta: number;
  reason: StockUpdateReason;
  reference: string;
}

@Injectable()
export class StockUpdatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async apply(actor: ActorContext, input: StockUpdatesDto): Promise<StockUpdatesResponseDto> {
    const resolved = await this.resolve(actor, input.updates);
    const distinct = resolved.filter((item) => !item.repeat);
    return this.em.transactional(async (em) => {
      const claimed = await this.claimKeys(em, actor.merchantId, distinct);
      const toApply = distinct.filter((item) => claimed.has(item.item.key));
      const levels = await this.lockLevels(em, actor.merchantId, resolved);
      const movements = this.applyInOrder(toApply, levels);
      if (toApply.length > 0) await this.write(em, actor.merchantId, toApply, levels, movements);
      const results: StockUpdateResultDto[] = resolved.map((item) => {
        const level = levels.get(levelKey(item.warehouseId, item.skuId))!;
        return {
          key: item.item.key,
          status: !item.repeat && claimed.has(item.item.key) ? 'applied' : 'duplicate',
          warehouseId: item.warehouseId,
          skuId: item.skuId,
          onHand: level.on_hand,
          reserved: level.reserved,
          safetyStock: level.safety_stock,
          available: Math.max(0, level.on_hand - level.reserved - level.safety_stock),
        };
      });
      return { applied: toApply.length, duplicates: resolved.length - toApply.length, results };
    });
  }

  /**
   * Claims the keys of this request's updates; the keys applied before must carry the same body
   * (else the whole request is refused). Returns the keys claimed now: the updates to apply.
   */
  private async claimKeys(em: EntityManager, merchantId: string, distinct: ResolvedItem[]): Promise<Set<string>> {
    const claimed = await this.insertClaims(em, merchantId, distinct);
    const seen = distinct.filter((item) => !claimed.has(item.item.key));
    if (seen.length > 0) {
      const stored = await sqlRows<{ idempotency_key: string; request_hash: string }>(
        em,
        `select idempotency_key, request_hash from stock_update_request where merchant_id = ? and idempotency_key = any(?::text[])`,
        [merchantId, seen.map((item) => item.item.key)],
      );
      const hashOf = new Map(stored.map((row) => [row.idempotency_key, row.request_hash]));
      const conflicts = seen.filter((item) => hashOf.get(item.item.key) !== item.hash);
      if (conflicts.length > 0) {
        throw new ConflictError(
          'idempotency_key_reused',
          `${conflicts.length} update(s) reuse a key that was applied before with other content; nothing was changed. Use a new key for a new update.`,
          conflicts.map((item) => ({ field: `updates[${item.index}].key`, reason: `key ${item.item.key} was used before with other content` })),
        );
      }
    }
    return claimed;
  }

  /**
   * Inserts the claims in one fixed order (requests sharing keys cannot deadlock). New keys, the
   * usual case, take a plain insert, a third cheaper than one that checks each row for a conflict;
   * when a key exists it fails, and the insert that skips existing keys runs instead.
   */
  private async insertClaims(em: EntityManager, merchantId: string, distinct: ResolvedItem[]): Promise<Set<string>> {
    const params = [merchantId, distinct.map((item) => item.item.key), distinct.map((item) => item.hash)];
    const claims = `insert into stock_update_request (merchant_id, idempotency_key, request_hash) select ?, k, h from unnest(?::text[], ?::text[]) as r(k, h) order by k`;
    await sqlExec(em, 'savepoint stock_update_claims');
    try {
      await sqlExec(em, claims, params);
      await sqlExec(em, 'release savepoint stock_update_claims');
      return new Set(distinct.map((item) => item.item.key));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      await sqlExec(em, 'rollback to savepoint stock_update_claims');
    }
    const rows = await sqlRows<{ idempotency_key: string }>(em, `${claims} on conflict do nothing returning idempotency_key`, params);
    return new Set(rows.map((row) => row.idempotency_key));
  }

  /** Writes the new levels, their movements and the availability event: one statement per concern. */
  private async write(em: EntityManager, merchantId: string, toApply: ResolvedItem[], levels: Map<string, LevelRow>, movements: Movement[]): Promise<void> {
    const changed = [...levels.values()];
    await sqlExec(
      em,
      `update stock_level s set on_hand = r.on_hand, safety_stock = r.safety_stock, updated_at = now()
         from unnest(?::bigint[], ?::bigint[], ?::int[], ?::int[]) as r(warehouse_id, sku_id, on_hand, safety_stock)
        where s.warehouse_id = r.warehouse_id and s.sku_id = r.sku_id and (s.on_hand <> r.on_hand or s.safety_stock <> r.safety_stock)`,
      [changed.map((l) => l.warehouse_id), changed.map((l) => l.sku_id), changed.map((l) => l.on_hand), changed.map((l) => l.safety_stock)],
    );
    if (movements.length > 0) {
      await sqlExec(
        em,
        `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select ?, r.warehouse_id, r.sku_id, r.delta, 0, r.reason, r.reference
           from unnest(?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[]) as r(warehouse_id, sku_id, delta, reason, reference)`,
        [merchantId, movements.map((m) => m.warehouseId), movements.map((m) => m.skuId), movements.map((m) => m.delta), movements.map((m) => m.reason), movements.map((m) => m.reference)],
      );
    }
    await this.outbox.append(em, [{ type: 'availability.stale', merchantId: merchantId, aggregateId: `stock:${merchantId}`, payload: { skuIds: [...new Set(toApply.map((item) => item.skuId))] } }]);
  }

  /** Every row checked before anything is written: all bad rows are reported together. */
  private async resolve(actor: ActorContext, items: StockUpdateItemDto[]): Promise<ResolvedItem[]> {
    const details: ErrorDetail[] = [];
    const warehouseCodes = [...new Set(items.map((item) => item.warehouseCode).filter((code): code is string => Boolean(code)))];
    const skuCodes = [...new Set(items.map((item) => item.skuCode).filter((code): code is string => Boolean(code)))];
    const warehouseIds = [...new Set(items.map((item) => item.warehouseId).filter((id): id is string => Boolean(id)))];
    const skuIds = [...new Set(items.map((item) => item.skuId).filter((id): id is string => Boolean(id)))];
    const { warehouses, skus } = await ownWarehouseAndSkuRefs(this.em, actor.merchantId, { warehouseCodes, warehouseIds, skuCodes, skuIds });
    // Looked up by id and by code in maps: thousands of rows against thousands of SKUs stay linear.
    const warehouseBy = new Map(warehouses.flatMap((warehouse) => [[`id:${warehouse.id}`, warehouse] as const, [`code:${warehouse.code}`, warehouse] as const]));
    const skuBy = new Map(skus.flatMap((sku) => [[`id:${sku.id}`, sku] as const, [`code:${sku.code}`, sku] as const]));
    const bodyByKey = new Map<string, { hash: string; index: number }>();
    const resolved: ResolvedItem[] = [];
    items.forEach((item, index) => {
      const at = (field: string) => `updates[${index}].${field}`;
      if (Boolean(item.warehouseId) === Boolean(item.warehouseCode)) details.push({ field: at('warehouseId'), reason: 'give exactly one of warehouseId and warehouseCode' });
      if (Boolean(item.skuId) === Boolean(item.skuCode)) details.push({ field: at('skuId'), reason: 'give exactly one of skuId and skuCode' });
      if (item.onHand !== undefined && item.delta !== undefined) details.push({ field: at('delta'), reason: 'give onHand or delta, not both' });
      if (item.onHand === undefined && item.delta === undefined && item.safetyStock === undefined) {
        details.push({ field: at('onHand'), reason: 'give onHand, delta or safetyStock' });
      }
      const warehouse = warehouseBy.get(item.warehouseId ? `id:${item.warehouseId}` : `code:${item.warehouseCode}`);
      const sku = skuBy.get(item.skuId ? `id:${item.skuId}` : `code:${item.skuCode}`);
      if ((item.warehouseId || item.warehouseCode) && !warehouse) details.push({ field: at(item.warehouseId ? 'warehouseId' : 'warehouseCode'), reason: 'not one of your warehouses' });
      if ((item.skuId || item.skuCode) && !sku) details.push({ field: at(item.skuId ? 'skuId' : 'skuCode'), reason: 'not one of your SKUs' });
      const key = item.key;
      const hash = stockUpdateHash(item, warehouse?.id, sku?.id);
      const earlier = bodyByKey.get(key);
      if (earlier && earlier.hash !== hash) details.push({ field: at('key'), reason: `repeats the key of updates[${earlier.index}] with other content` });
      if (!earlier) bodyByKey.set(key, { hash, index });
      if (warehouse && sku) resolved.push({ index, item, warehouseId: warehouse.id, skuId: sku.id, hash, repeat: Boolean(earlier) });
    });
    if (details.length > 0) {
      throw new ValidationFailedError(
        `${details.length} problem(s) in the stock updates; nothing was changed: ${details
          .slice(0, 3)
          .map((d) => `${d.field} ${d.reason}`)
          .join('; ')}`,
        details,
      );
    }
    return resolved;
  }

  /**
   * Locks the levels these updates touch, in one fixed order (no deadlock between requests). The
   * levels that exist are locked in one statement; only the missing ones are created, then locked.
   */
  private async lockLevels(em: EntityManager, merchantId: string, items: ResolvedItem[]): Promise<Map<string, LevelRow>> {
    const pairs = [...new Map(items.map((item) => [levelKey(item.warehouseId, item.skuId), item])).values()];
    const levels = await this.lockExisting(em, pairs);
    const missing = pairs.filter((pair) => !levels.has(levelKey(pair.warehouseId, pair.skuId)));
    if (missing.length === 0) return levels;
    await sqlExec(em, `insert into stock_level (warehouse_id, sku_id, merchant_id) select w, s, ? from unnest(?::bigint[], ?::bigint[]) as r(w, s) order by w, s on conflict do nothing`, [
      merchantId,
      missing.map((p) => p.warehouseId),
      missing.map((p) => p.skuId),
    ]);
    for (const [key, level] of await this.lockExisting(em, missing)) levels.set(key, level);
    return levels;
  }

  private async lockExisting(em: EntityManager, pairs: ResolvedItem[]): Promise<Map<string, LevelRow>> {
    const rows = await sqlRows<LevelRow>(
      em,
      `select s.warehouse_id::text, s.sku_id::text, s.on_hand, s.reserved, s.safety_stock
         from stock_level s join unnest(?::bigint[], ?::bigint[]) as r(w, k) on s.warehouse_id = r.w and s.sku_id = r.k
        order by s.warehouse_id, s.sku_id for update of s`,
      [pairs.map((p) => p.warehouseId), pairs.map((p) => p.skuId)],
    );
    return new Map(rows.map((row) => [levelKey(row.warehouse_id, row.sku_id), row]));
  }

  /** Applies the updates one after the other, exactly as if they had come one by one. */
  private applyInOrder(items: ResolvedItem[], levels: Map<string, LevelRow>): Movement[] {
    const movements: { warehouseId: string; skuId: string; delta: number; reason: StockUpdateReason; reference: string }[] = [];
    const negative: ErrorDetail[] = [];
    for (const { item, index, warehouseId, skuId } of items) {
      const level = levels.get(levelKey(warehouseId, skuId))!;
      const before = level.on_hand;
      const after = item.onHand !== undefined ? item.onHand : item.delta !== undefined ? before + item.delta : before;
      if (after < 0) {
        negative.push({ field: `updates[${index}].delta`, reason: `would leave ${after} on hand (${before} before it)` });
        continue;
      }
      level.on_hand = after;
      if (item.safetyStock !== undefined) level.safety_stock = item.safetyStock;
      if (after !== before) movements.push({ warehouseId, skuId, delta: after - before, reason: item.reason ?? 'erp_sync', reference: item.key });
    }
    if (negative.length > 0) {
      throw new DomainError('conflict', 'stock_would_go_negative', `${negative.length} update(s) would leave less than 0 on hand; nothing was changed.`, negative);
    }
    return movements;
  }
}
