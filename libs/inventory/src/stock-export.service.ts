import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { CatalogService, skuPage, stockSheetWarehouses } from '@gongxiao/catalog';
import { ActorContext, rememberNumberFormatStyles, safeXlsxText, sheetDrained, SheetLanguageCode, sqlRows } from '@gongxiao/core';
import { STOCK_EXPORT_COLUMNS, StockExportKey, stockSheetName } from './stock-sheet';

const BATCH = 2000;

interface LevelRow {
  sku_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

type ExportRow = Record<StockExportKey, string | number>;

/**
 * The merchant's stock as an .xlsx, and the template to fill: one row for every SKU in every active
 * warehouse (0 on hand where no level is kept yet), plus the levels an inactive warehouse still
 * holds. Columns: warehouse code and name, SKU code and name, on hand, reserved, available; the
 * first ones re-import as they are (the upload reads the leftmost warehouse, SKU code and on-hand
 * columns), so a filled-in zero row creates its level. Streamed warehouse by warehouse in keyset
 * pages of SKUs (catalog's), each page's levels read in one statement.
 */
@Injectable()
export class StockExportService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  /** Checks the filter (another merchant's warehouse is a 404) before anything is written. */
  async assertCanExport(actor: ActorContext, warehouseId: string | undefined): Promise<void> {
    if (warehouseId) await this.catalog.findWarehouse(actor, warehouseId);
  }

  async writeXlsx(actor: ActorContext, options: { language: SheetLanguageCode; warehouseId?: string }, output: Writable): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    rememberNumberFormatStyles(workbook);
    const sheet = workbook.addWorksheet(stockSheetName(options.language), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = STOCK_EXPORT_COLUMNS.map((column) => ({ header: column.header[options.language], key: column.key, width: column.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let count = 0;
    for (const warehouse of await stockSheetWarehouses(this.em, actor.merchantId, options.warehouseId ?? null)) {
      for (let after = '0'; ;) {
        const skus = await skuPage(this.em, actor.merchantId, after, BATCH);
        const levels = await this.levels(
          warehouse.id,
          skus.map((sku) => sku.id),
        );
        for (const sku of skus) {
          const level = levels.get(sku.id);
          if (!level && !warehouse.active) continue;
          addRow(sheet, {
            warehouseCode: safeXlsxText(warehouse.code),
            warehouseName: safeXlsxText(warehouse.name),
            skuCode: safeXlsxText(sku.code),
            skuName: safeXlsxText(sku.name),
            onHand: level?.on_hand ?? 0,
            reserved: level?.reserved ?? 0,
            available: level ? Math.max(0, level.on_hand - level.reserved - level.safety_stock) : 0,
          });
          count += 1;
        }
        // The next page waits for the zip to take this one: a slow reader never piles the XML up in memory.
        await sheetDrained(sheet);
        if (skus.length < BATCH) break;
        after = skus[skus.length - 1].id;
      }
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  /** The levels one warehouse keeps for these SKUs: one statement. */
  private async levels(warehouseId: string, skuIds: string[]): Promise<Map<string, LevelRow>> {
    if (skuIds.length === 0) return new Map();
    const rows = await sqlRows<LevelRow>(this.em, `select sku_id::text, on_hand, reserved, safety_stock from stock_level where warehouse_id = ? and sku_id = any(?::bigint[])`, [warehouseId, skuIds]);
    return new Map(rows.map((row) => [row.sku_id, row]));
  }
}

function addRow(sheet: ExcelJS.Worksheet, values: ExportRow): void {
  const added = sheet.addRow(STOCK_EXPORT_COLUMNS.map((column) => values[column.key]));
  STOCK_EXPORT_COLUMNS.forEach((column, index) => {
    if (column.text) added.getCell(index + 1).numFmt = '@';
  });
  added.commit();
}
