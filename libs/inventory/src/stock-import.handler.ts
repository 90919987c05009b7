import { createHash } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ownStockSheetRefs, unescapeSheetText, WarehouseLabel } from '@gongxiao/catalog';
import { RejectedRow, SheetImportContext, SheetImportHandler, SheetImportOutcome, SheetLanguageCode, SheetRow, sqlRows } from '@gongxiao/core';
import { STOCK_SHEET_COLUMNS, STOCK_SHEET_HEADERS, STOCK_SHEET_MAX_ON_HAND, STOCK_SHEET_SPEC, StockSheetKey, parseOnHand, stockReason } from './stock-sheet';
import { StockUpdatesService } from './stock-updates.service';

/** A row that named one of the merchant's warehouses and SKUs and a valid quantity. */
export interface StockSheetUpdate {
  rowNumber: number;
  warehouseId: string;
  skuId: string;
  onHand: number;
}

interface SheetText {
  rowNumber: number;
  warehouse: string;
  skuCode: string;
  onHand: string;
}

/**
 * The idempotency key of a row: the file (its digest), the row, and what the row resolved to. The
 * same file uploaded again repeats every key, so it changes nothing twice; a corrected file has
 * another digest, so its rows apply. What a row resolved to is part of the key, so a re-upload after
 * a warehouse was renamed is a new update rather than a key reused with other content.
 */
export function stockRowKey(fileDigest: string, update: StockSheetUpdate): string {
  const resolved = createHash('sha256').update(`${update.warehouseId}:${update.skuId}:${update.onHand}`).digest('hex').slice(0, 16);
  return `sheet:${fileDigest.slice(0, 40)}:${update.rowNumber}:${resolved}`;
}

/** The warehouse a cell names: its code first, else its name (which must be unique). */
function findWarehouse(warehouses: WarehouseLabel[], text: string): WarehouseLabel | 'unknown' | 'ambiguous' {
  const byCode = warehouses.find((warehouse) => warehouse.code === text);
  if (byCode) return byCode;
  const byName = warehouses.filter((warehouse) => warehouse.name === text);
  return byName.length === 1 ? byName[0] : byName.length === 0 ? 'unknown' : 'ambiguous';
}

/**
 * Stock levels by Excel (kind "stock_levels"): 仓库 (code or name), 商品编码, 库存 (absolute units on
 * hand). Every row is checked first (unknown or another merchant's warehouse or SKU, a negative or
 * decimal quantity, the same warehouse × SKU twice); the valid rows then go through the bulk stock
 * updates, each with its own idempotency key (`stockRowKey`), as a stock count.
 */
@Injectable()
export class StockImportHandler implements SheetImportHandler<StockSheetKey> {
  readonly kind = 'stock_levels';
  readonly permission = 'stock:write' as const;
  readonly spec = STOCK_SHEET_SPEC;
  readonly templateHeaders = STOCK_SHEET_HEADERS;

  constructor(
    private readonly em: EntityManager,
    private readonly stockUpdates: StockUpdatesService,
  ) {}

  async apply(context: SheetImportContext, rows: SheetRow<StockSheetKey>[]): Promise<SheetImportOutcome> {
    const { updates, reasons } = await this.check(context, rows);
    const rejected = rejectedRows(rows, reasons, context.language);
    await context.progress(Math.floor(rows.length / 2), rows.length);
    // All or nothing: one refused row and no row applies.
    if ((rejected.length > 0 && context.mode === 'all_or_nothing') || updates.length === 0) {
      await context.progress(rows.length, rows.length);
      return { applied: 0, unchanged: 0, rejected };
    }
    const before = await this.onHandNow(updates);
    const result = await this.stockUpdates.apply(context.actor, {
      updates: updates.map((update) => ({ key: stockRowKey(context.fileDigest, update), warehouseId: update.warehouseId, skuId: update.skuId, onHand: update.onHand, reason: 'stock_count' })),
    });
    // Applied: the row set a new value now. Unchanged: an earlier upload of this file applied it, or the level already said so.
    const applied = result.results.filter((item, index) => item.status === 'applied' && (before.get(`${item.warehouseId}:${item.skuId}`) ?? 0) !== updates[index].onHand).length;
    await context.progress(rows.length, rows.length);
    return { applied, unchanged: updates.length - applied, rejected };
  }

  /** Every row checked against the merchant's own warehouses and SKUs (one statement), nothing written. */
  private async check(context: SheetImportContext, rows: SheetRow<StockSheetKey>[]): Promise<{ updates: StockSheetUpdate[]; reasons: Map<number, string[]> }> {
    const language = context.language;
    const texts: SheetText[] = rows.map((row) => ({
      rowNumber: row.rowNumber,
      warehouse: unescapeSheetText(row.values.warehouse ?? ''),
      skuCode: unescapeSheetText(row.values.skuCode ?? ''),
      onHand: row.values.onHand ?? '',
    }));
    const refs = await ownStockSheetRefs(this.em, context.actor.merchantId, {
      warehouseTexts: [...new Set(texts.map((text) => text.warehouse).filter(Boolean))],
      skuCodes: [...new Set(texts.map((text) => text.skuCode).filter(Boolean))],
    });
    const skuByCode = new Map(refs.skus.map((sku) => [sku.code, sku]));
    const reasons = new Map<number, string[]>();
    const reject = (rowNumber: number, reason: string) => reasons.set(rowNumber, [...(reasons.get(rowNumber) ?? []), reason]);
    const updates: (StockSheetUpdate & { warehouseCode: string; skuCode: string })[] = [];
    for (const text of texts) {
      const warehouse = text.warehouse === '' ? 'required' : findWarehouse(refs.warehouses, text.warehouse);
      const sku = text.skuCode === '' ? 'required' : (skuByCode.get(text.skuCode) ?? 'unknown');
      const quantity = parseOnHand(text.onHand);
      if (warehouse === 'required') reject(text.rowNumber, stockReason(language, 'warehouseRequired'));
      if (warehouse === 'unknown') reject(text.rowNumber, stockReason(language, 'warehouseUnknown', { warehouse: text.warehouse }));
      if (warehouse === 'ambiguous') reject(text.rowNumber, stockReason(language, 'warehouseAmbiguous', { warehouse: text.warehouse }));
      if (sku === 'required') reject(text.rowNumber, stockReason(language, 'skuRequired'));
      if (sku === 'unknown') reject(text.rowNumber, stockReason(language, 'skuUnknown', { code: text.skuCode }));
      if ('reason' in quantity) reject(text.rowNumber, stockReason(language, quantity.reason, { max: String(STOCK_SHEET_MAX_ON_HAND) }));
      if (typeof warehouse === 'object' && typeof sku === 'object' && 'onHand' in quantity) {
        updates.push({ rowNumber: text.rowNumber, warehouseId: warehouse.id, skuId: sku.id, onHand: quantity.onHand, warehouseCode: warehouse.code, skuCode: sku.code });
      }
    }
    const rowsByLevel = new Map<string, typeof updates>();
    for (const update of updates) rowsByLevel.set(`${update.warehouseId}:${update.skuId}`, [...(rowsByLevel.get(`${update.warehouseId}:${update.skuId}`) ?? []), update]);
    for (const same of rowsByLevel.values()) {
      if (same.length < 2) continue;
      const reason = stockReason(language, 'duplicate', { warehouse: same[0].warehouseCode, code: same[0].skuCode, rows: same.map((update) => update.rowNumber) });
      for (const update of same) reject(update.rowNumber, reason);
    }
    return { updates: updates.filter((update) => !reasons.has(update.rowNumber)).map(({ rowNumber, warehouseId, skuId, onHand }) => ({ rowNumber, warehouseId, skuId, onHand })), reasons };
  }

  /** Units on hand now of the levels the rows name (a level not yet kept holds 0). */
  private async onHandNow(updates: StockSheetUpdate[]): Promise<Map<string, number>> {
    const rows = await sqlRows<{ warehouse_id: string; sku_id: string; on_hand: number }>(
      this.em,
      `select s.warehouse_id::text, s.sku_id::text, s.on_hand from stock_level s join unnest(?::bigint[], ?::bigint[]) as r(w, k) on s.warehouse_id = r.w and s.sku_id = r.k`,
      [updates.map((update) => update.warehouseId), updates.map((update) => update.skuId)],
    );
    return new Map(rows.map((row) => [`${row.warehouse_id}:${row.sku_id}`, row.on_hand]));
  }
}

function rejectedRows(rows: SheetRow<StockSheetKey>[], reasons: Map<number, string[]>, language: SheetLanguageCode): RejectedRow[] {
  return rows
    .filter((row) => reasons.has(row.rowNumber))
    .map((row) => ({ rowNumber: row.rowNumber, cells: STOCK_SHEET_COLUMNS.map((column) => row.values[column.key] ?? ''), reason: reasons.get(row.rowNumber)!.join(language === 'en' ? '; ' : '；') }));
}
