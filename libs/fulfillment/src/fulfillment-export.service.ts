import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { ActorContext, openField, safeCellText, sqlRows } from '@gongxiao/core';
import { CatalogService, SkuLabel, WarehouseFacts } from '@gongxiao/catalog';
import { ExportFulfillmentOrdersQueryDto } from './fulfillment.dto';

const BATCH = 2000;

interface ExportRow {
  line_id: string;
  fulfillment_order_id: string;
  status: string;
  warehouse_id: string;
  sku_id: string;
  consignee_name: string;
  consignee_phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  quantity: number;
  shipped_quantity: number;
  supply_price_amount: string | null;
  currency: string;
  carriers: string | null;
  tracking_numbers: string | null;
  created_at: Date;
  shipped_at: Date | null;
}

/** The sheet's columns, in order. */
const COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: 'Fulfillment order', key: 'order', width: 16 },
  { header: 'Status', key: 'status', width: 16 },
  { header: 'Warehouse', key: 'warehouse', width: 14 },
  { header: 'Consignee', key: 'name', width: 14 },
  { header: 'Phone', key: 'phone', width: 16 },
  { header: 'Province', key: 'province', width: 10 },
  { header: 'City', key: 'city', width: 10 },
  { header: 'District', key: 'district', width: 10 },
  { header: 'Address', key: 'address', width: 36 },
  { header: 'SKU code', key: 'skuCode', width: 18 },
  { header: 'SKU name', key: 'skuName', width: 28 },
  { header: 'Quantity', key: 'quantity', width: 9 },
  { header: 'Shipped', key: 'shipped', width: 9 },
  { header: 'Supply price (yuan)', key: 'price', width: 12, style: { numFmt: '0.00' } },
  { header: 'Supply price (fen)', key: 'priceFen', width: 12 },
  { header: 'Currency', key: 'currency', width: 8 },
  { header: 'Carrier', key: 'carrier', width: 10 },
  { header: 'Tracking number', key: 'tracking', width: 22 },
  { header: 'Created at', key: 'createdAt', width: 22 },
  { header: 'Shipped at', key: 'shippedAt', width: 22 },
];

/** One line as a sheet row: every text that someone typed goes through `safeCellText`. */
function toSheetRow(row: ExportRow, warehouse: WarehouseFacts | undefined, sku: SkuLabel | undefined): Record<string, unknown> {
  const fen = row.supply_price_amount === null ? null : Number(row.supply_price_amount);
  return {
    order: String(row.fulfillment_order_id),
    status: row.status,
    warehouse: safeCellText(warehouse?.code),
    // The supplier ships the parcel: its export has the decrypted contact data.
    name: safeCellText(openField(row.consignee_name)),
    phone: safeCellText(openField(row.consignee_phone)),
    province: safeCellText(row.province),
    city: safeCellText(row.city),
    district: safeCellText(row.district),
    address: safeCellText(openField(row.address)),
    skuCode: safeCellText(sku?.code),
    skuName: safeCellText(sku?.name),
    quantity: row.quantity,
    shipped: row.shipped_quantity,
    price: fen === null ? null : fen / 100,
    priceFen: fen,
    currency: row.currency,
    carrier: safeCellText(row.carriers),
    tracking: safeCellText(row.tracking_numbers),
    createdAt: new Date(row.created_at).toISOString(),
    shippedAt: row.shipped_at ? new Date(row.shipped_at).toISOString() : '',
  };
}

/**
 * The supplier's fulfillment orders as an .xlsx, one row per line, written with exceljs' streaming
 * writer in batches (memory stays flat however many rows). Text cells are safe against formula
 * injection; money is shown in yuan with the exact fen beside it. Warehouse codes and SKU names
 * come from the catalog, asked once per page of rows.
 */
@Injectable()
export class FulfillmentExportService {
  constructor(
    private readonly em: EntityManager,
    private readonly catalog: CatalogService,
  ) {}

  async writeXlsx(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto, output: Writable): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('Fulfillment orders', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = COLUMNS;
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();

    let after = '0';
    let count = 0;
    for (;;) {
      const rows = await this.page(actor, query, after);
      const [warehouses, skus] = await Promise.all([this.catalog.warehousesById(rows.map((row) => row.warehouse_id)), this.catalog.skuLabelsById(rows.map((row) => row.sku_id))]);
      for (const row of rows) sheet.addRow(toSheetRow(row, warehouses.get(row.warehouse_id), skus.get(row.sku_id))).commit();
      count += rows.length;
      if (rows.length < BATCH) break;
      after = String(rows[rows.length - 1].line_id);
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  /** The next BATCH lines after line id `after`, of this context's own tables only. */
  private async page(actor: ActorContext, query: ExportFulfillmentOrdersQueryDto, after: string): Promise<ExportRow[]> {
    return sqlRows<ExportRow>(
      this.em,
      `select l.id as line_id, o.id as fulfillment_order_id, o.status, o.warehouse_id::text, o.consignee_name, o.consignee_phone,
              o.province, o.city, o.district, o.address, l.sku_id::text, l.quantity, l.shipped_quantity,
              l.supply_price_amount, l.currency, o.created_at, o.shipped_at,
              (select string_agg(distinct sh.carrier_code, ', ') from shipment_line sl join shipment sh on sh.id = sl.shipment_id where sl.fulfillment_order_line_id = l.id) as carriers,
              (select string_agg(sh.tracking_number, ', ' order by sh.id) from shipment_line sl join shipment sh on sh.id = sl.shipment_id where sl.fulfillment_order_line_id = l.id) as tracking_numbers
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
