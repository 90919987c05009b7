import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, decodeIdCursor, isId, NotFoundError, outboxInsertSql, Page, sqlExec, sqlOne, sqlRows, toPage } from '@gongxiao/core';
import { ShipmentCall, StockCall } from './platform-adapter';
import { ListPlatformCallsQueryDto, PlatformCallKind, PlatformCallResponseDto } from './platform-calls.dto';

export interface NewPlatformCall {
  merchantId: string;
  shopId: string;
  kind: PlatformCallKind;
  /** The same key never makes a second call (a shipment is told once per shop order: "shipment:<id>:<channelOrderId>"). */
  dedupKey: string;
  subjectId: string | null;
  payload: ShipmentCall | StockCall;
}

export interface PlatformCallRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  kind: PlatformCallKind;
  subject_id: string | null;
  payload: ShipmentCall | StockCall;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  outcome_note: string | null;
  last_attempt_at: Date | string | null;
  done_at: Date | string | null;
  created_at: Date | string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function toResponse(row: PlatformCallRow): PlatformCallResponseDto {
  return {
    id: String(row.id),
    shopId: String(row.shop_id),
    kind: row.kind,
    subjectId: row.subject_id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    note: row.outcome_note,
    lastAttemptAt: iso(row.last_attempt_at),
    doneAt: iso(row.done_at),
    createdAt: iso(row.created_at)!,
  };
}

/** The calls Gongxiao makes to shops' platforms: scheduled with their outbox events, listed for the shop's owner. */
@Injectable()
export class PlatformCallsService {
  constructor(private readonly em: EntityManager) {}

  /** Records calls and their outbox events with one statement, in the caller's transaction; a dedup key already used is skipped. */
  async scheduleAll(em: EntityManager, calls: NewPlatformCall[]): Promise<void> {
    if (calls.length === 0) return;
    await sqlExec(
      em,
      `with call as (
         insert into platform_call (merchant_id, shop_id, kind, dedup_key, subject_id, payload)
         select * from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::jsonb[])
         on conflict (dedup_key) do nothing returning id, merchant_id
       )
       ${outboxInsertSql(`select 'platform_call.created', merchant_id, id::text, jsonb_build_object('platformCallId', id::text) from call order by id`)}`,
      [
        calls.map((call) => call.merchantId),
        calls.map((call) => call.shopId),
        calls.map((call) => call.kind),
        calls.map((call) => call.dedupKey),
        calls.map((call) => call.subjectId),
        calls.map((call) => JSON.stringify(call.payload)),
      ],
    );
  }

  /** Listings with the platform ids that name them on their shop's platform (for stock calls), by id. */
  async listingsForPlatform(
    em: EntityManager,
    listingIds: string[],
  ): Promise<Map<string, { shopSkuCode: string; platformProductId: string | null; platformVariantId: string | null; platformInventoryItemId: string | null }>> {
    const rows = await sqlRows<{ id: string; shop_sku_code: string; platform_product_id: string | null; platform_variant_id: string | null; platform_inventory_item_id: string | null }>(
      em,
      `select id::text, shop_sku_code, platform_product_id, platform_variant_id, platform_inventory_item_id from listing where id = any(?::bigint[])`,
      [listingIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { shopSkuCode: row.shop_sku_code, platformProductId: row.platform_product_id, platformVariantId: row.platform_variant_id, platformInventoryItemId: row.platform_inventory_item_id },
      ]),
    );
  }

  /** The shop's platform calls, newest first; another merchant's shop is not found. */
  async list(actor: ActorContext, shopId: string, query: ListPlatformCallsQueryDto): Promise<Page<PlatformCallResponseDto>> {
    const shop = isId(shopId) ? await sqlOne(this.em, `select id from shop where id = ? and merchant_id = ?`, [shopId, actor.merchantId]) : null;
    if (!shop) throw new NotFoundError('shop', shopId);
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<PlatformCallRow>(
      this.em,
      `select c.* from platform_call c where c.shop_id = ? and c.merchant_id = ?
          and (?::text is null or c.status = ?::text) and (?::text is null or c.kind = ?::text) and (?::bigint is null or c.id < ?::bigint)
        order by c.id desc limit ?`,
      [shopId, actor.merchantId, query.status ?? null, query.status ?? null, query.kind ?? null, query.kind ?? null, before, before, limit + 1],
    );
    return toPage(
      rows.map((row) => ({ ...row, id: String(row.id) })),
      limit,
      toResponse,
    );
  }
}
