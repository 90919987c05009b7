import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { ActorContext, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { timeZonesOf } from '@gongxiao/settlement';
import { ExportFulfillmentOrdersQueryDto } from './fulfillment.dto';
import { SheetLine, sheetColumns, sheetName } from './fulfillment-sheet';
import { sheetRowsOf } from './sheet-facts';

const BATCH = 2000;

/**
 * The supplier's order sheet (发货单) as an .xlsx: one row per line until it ships, then one row
 * per parcel of that line. Written with exceljs' streaming writer in keyset batches of lines, with
 * each batch's parcels, warehouse codes, SKU labels and shop order numbers read set-based (memory
 * stays flat however many rows). Chinese headers unless `language=en`; times on the supplier's wall
 * clock (its merchant time zone); text cells
 * safe against formula injection; money in yuan with the exact fen beside it.
 */
@Injectable()
export class FulfillmentExportService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async writeXlsx(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto, output: Writable): Promise<number> {
    const language = query.language ?? 'zh-CN';
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(sheetName(language), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = sheetColumns(language);
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();

    const timeZone = (await timeZonesOf(this.em, [actor.merchantId])).get(actor.merchantId)!;
    let after = '0';
    let count = 0;
    for (;;) {
      const lines = await this.page(actor, query, after);
      for (const row of await sheetRowsOf(this.em, this.catalog, lines, { language, timeZone })) {
        sheet.addRow(row).commit();
        count++;
      }
      if (lines.length < BATCH) break;
      after = lines[lines.length - 1].line_id;
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  /** The next BATCH lines after line id `after`, of this context's own tables only. */
  private async page(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto, after: string): Promise<SheetLine[]> {
    return sqlRows<SheetLine>(
      this.em,
      `select l.id::text as line_id, o.id::text as fulfillment_order_id, l.channel_order_id::text, o.status, o.warehouse_id::text,
              o.consignee_name, o.consignee_phone, o.province, o.city, o.district, o.address, o.remarks, l.sku_id::text, l.quantity, l.cancelled_quantity,
              l.supply_price_amount, l.currency, o.created_at, o.shipped_at
         from fulfillment_order_line l
         join fulfillment_order o on o.id = l.fulfillment_order_id
        where o.supplier_merchant_id = ? and o.status = ? and l.id > ?
          and (?::bigint is null or o.warehouse_id = ?::bigint)
          and (?::timestamptz is null or o.created_at >= ?::timestamptz) and (?::timestamptz is null or o.created_at < ?::timestamptz)
        order by l.id limit ?`,
      [
        actor.merchantId,
        query.status ?? 'shipped',
        after,
        query.warehouseId ?? null,
        query.warehouseId ?? null,
        query.createdFrom ?? null,
        query.createdFrom ?? null,
        query.createdTo ?? null,
        query.createdTo ?? null,
        BATCH,
      ],
    );
  }
}
