import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { ActorContext, rememberNumberFormatStyles, safeXlsxText, sheetDrained, SheetLanguageCode, sqlRows } from '@gongxiao/core';
import { CATALOG_SHEET_COLUMNS, CatalogSheetKey, catalogSheetName } from './catalog-sheet';

const BATCH = 2000;

interface ExportRow {
  product_id: string;
  sku_id: string;
  product_name: string;
  code: string;
  name: string;
  spec: string | null;
  barcode: string | null;
  weight_grams: number | null;
}

/** Text columns (codes and barcodes above all) are written as text cells, so leading zeros and long digit strings stay. */
const NUMBER_COLUMNS = new Set<CatalogSheetKey>(['weightGrams']);

/** One row of the sheet, in the import's column order. */
export function catalogSheetRow(row: ExportRow): (string | number | null)[] {
  const values: Record<CatalogSheetKey, string | number | null> = {
    productName: safeXlsxText(row.product_name),
    skuCode: safeXlsxText(row.code),
    skuName: safeXlsxText(row.name),
    spec: safeXlsxText(row.spec),
    barcode: safeXlsxText(row.barcode),
    weightGrams: row.weight_grams,
  };
  return CATALOG_SHEET_COLUMNS.map((column) => values[column.key]);
}

/**
 * The merchant's products and SKUs as the products sheet (商品资料), in exactly the columns its
 * upload reads, so a sheet exported, edited and uploaded again changes what was edited and nothing
 * else. Streamed in keyset batches (memory stays flat); Chinese headers unless language=en.
 */
@Injectable()
export class CatalogExportService {
  constructor(private readonly em: EntityManager) {}

  async writeXlsx(actor: ActorContext, language: SheetLanguageCode, output: Writable): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    rememberNumberFormatStyles(workbook);
    const sheet = workbook.addWorksheet(catalogSheetName(language), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = CATALOG_SHEET_COLUMNS.map((column) => ({ header: column.header[language], key: column.key, width: column.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let after: [string, string] = ['0', '0'];
    let count = 0;
    for (;;) {
      const rows = await this.page(actor.merchantId, after);
      for (const row of rows) {
        const added = sheet.addRow(catalogSheetRow(row));
        CATALOG_SHEET_COLUMNS.forEach((column, index) => {
          if (!NUMBER_COLUMNS.has(column.key)) added.getCell(index + 1).numFmt = '@';
        });
        added.commit();
      }
      count += rows.length;
      // The next page waits for the zip to take this one: a slow reader never piles the XML up in memory.
      await sheetDrained(sheet);
      if (rows.length < BATCH) break;
      const last = rows[rows.length - 1];
      after = [last.product_id, last.sku_id];
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  /** The next BATCH SKUs after (product, SKU) `after`, by product then SKU. */
  private async page(merchantId: string, after: [string, string]): Promise<ExportRow[]> {
    return sqlRows<ExportRow>(
      this.em,
      `select p.id::text as product_id, s.id::text as sku_id, p.name as product_name, s.code, s.name, s.spec, s.barcode, s.weight_grams
         from sku s join product p on p.id = s.product_id
        where s.merchant_id = ? and (s.product_id, s.id) > (?::bigint, ?::bigint)
        order by s.product_id, s.id limit ?`,
      [merchantId, after[0], after[1], BATCH],
    );
  }
}
