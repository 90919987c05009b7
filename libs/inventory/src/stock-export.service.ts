import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { CatalogService, warehouseLabelsById } from '@gongxiao/catalog';
import { ActorContext, safeXlsxText, SheetLanguageCode, sqlRows } from '@gongxiao/core';
import { STOCK_EXPORT_COLUMNS, StockExportKey, stockSheetName } from './stock-sheet';

const BATCH = 2000;

interface LevelRow {
  warehouse_id: string;
  sku_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

/**
 * The merchant's stock levels as an .xlsx: warehouse code and name, SKU code and name, on hand,
 * reserved, available. Its first columns re-import as they are (the upload reads the leftmost
 * warehouse, SKU code and on-hand columns). Streamed in keyset batches of levels, with each batch's
 * warehouse and SKU labels read from the catalog set-based.
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
    const sheet = workbook.addWorksheet(stockSheetName(options.language), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = STOCK_EXPORT_COLUMNS.map((column) => ({ header: column.header[options.language], key: column.key, width: column.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let after: [string, string] = ['0', '0'];
    let count = 0;
    for (;;) {
      const levels = await this.page(actor.merchantId, options.warehouseId ?? null, after);
      const [warehouses, skus] = await Promise.all([
        warehouseLabelsById(
          this.em,
          levels.map((level) => level.warehouse_id),
        ),
        this.catalog.skuLabelsById(levels.map((level) => level.sku_id)),
      ]);
      for (const level of levels) {
        const warehouse = warehouses.get(level.warehouse_id);
        const sku = skus.get(level.sku_id);
        const values: Record<StockExportKey, string | number> = {
          warehouseCode: safeXlsxText(warehouse?.code),
          warehouseName: safeXlsxText(warehouse?.name),
          skuCode: safeXlsxText(sku?.code),
          skuName: safeXlsxText(sku?.name),
          onHand: level.on_hand,
          reserved: level.reserved,
          available: Math.max(0, level.on_hand - level.reserved - level.safety_stock),
        };
        const added = sheet.addRow(STOCK_EXPORT_COLUMNS.map((column) => values[column.key]));
        STOCK_EXPORT_COLUMNS.forEach((column, index) => {
          if (column.text) added.getCell(index + 1).numFmt = '@';
        });
        added.commit();
      }
      count += levels.length;
      if (levels.length < BATCH) break;
      const last = levels[levels.length - 1];
      after = [last.warehouse_id, last.sku_id];
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  private async page(merchantId: string, warehouseId: string | null, after: [string, string]): Promise<LevelRow[]> {
    return sqlRows<LevelRow>(
      this.em,
      `select warehouse_id::text, sku_id::text, on_hand, reserved, safety_stock from stock_level
        where merchant_id = ? and (?::bigint is null or warehouse_id = ?::bigint) and (warehouse_id, sku_id) > (?::bigint, ?::bigint)
        order by warehouse_id, sku_id limit ?`,
      [merchantId, warehouseId, warehouseId, after[0], after[1], BATCH],
    );
  }
}
