import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { ActorContext, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { ExportFulfillmentOrdersQueryDto } from './fulfillment.dto';
import { SheetLine, sheetColumns, sheetName, SheetParcel, sheetRows } from './fulfillment-sheet';

const BATCH = 2000;

/** Where the supplier's warehouses are, until a supplier can choose its own time zone. */
const SUPPLIER_TIME_ZONE = 'Asia/Shanghai';

/**
 * The supplier's order sheet (发货单) as an .xlsx: one row per line until it ships, then one row
 * per parcel of that line. Written with exceljs' streaming writer in keyset batches of lines, with
 * each batch's parcels, warehouse codes and SKU labels read set-based (memory stays flat however
 * many rows). Chinese headers unless `language=en`; times on the supplier's wall clock; text cells
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

    let after = '0';
    let count = 0;
    for (;;) {
      const lines = await this.page(actor, query, after);
      const lineIds = lines.map((line) => line.line_id);
      const [parcels, warehouses, skus] = await Promise.all([
        this.parcelsByLine(lineIds),
        this.catalog.warehousesById(lines.map((line) => line.warehouse_id)),
        this.catalog.skuLabelsById(lines.map((line) => line.sku_id)),
      ]);
      for (const line of lines) {
        const context = { language, timeZone: SUPPLIER_TIME_ZONE, warehouse: warehouses.get(line.warehouse_id), sku: skus.get(line.sku_id) };
        for (const row of sheetRows(line, parcels.get(line.line_id) ?? [], context)) {
          sheet.addRow(row).commit();
          count++;
        }
      }
      if (lines.length < BATCH) break;
      after = lineIds[lineIds.length - 1];
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

  /** Each line's share of each parcel, in the order the parcels were recorded: one query per batch. */
  private async parcelsByLine(lineIds: string[]): Promise<Map<string, SheetParcel[]>> {
    const byLine = new Map<string, SheetParcel[]>();
    if (lineIds.length === 0) return byLine;
    const rows = await sqlRows<SheetParcel>(
      this.em,
      `select sl.fulfillment_order_line_id::text as line_id, sl.quantity, sh.carrier_code, sh.tracking_number, sh.created_at
         from shipment_line sl join shipment sh on sh.id = sl.shipment_id
        where sl.fulfillment_order_line_id = any(?::bigint[])
        order by sh.id`,
      [lineIds],
    );
    for (const row of rows) byLine.set(row.line_id, [...(byLine.get(row.line_id) ?? []), row]);
    return byLine;
  }
}
