import { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { openField, rememberNumberFormatStyles, safeXlsxText, sheetDrained, sqlRows } from '@gongxiao/core';
import { CatalogService } from '@gongxiao/catalog';
import { externalOrderIdsById } from '@gongxiao/orders';
import { localTime, SheetColumn, sheetColumns, SheetLanguage, SheetLine, sheetName } from '../fulfillment-sheet';
import { sheetRowsOf } from '../sheet-facts';

const PAGE = 2000;

/**
 * Sheet 2: what was cancelled of orders in earlier batches since, which the warehouse must not ship —
 * one row per line: its quantity, the units cancelled since the last batch, and what is still to ship
 * of it now (0: ship none of it; a whole cancellation is 0 on every line).
 */
const CANCELLED_COLUMNS: SheetColumn[] = [
  { key: 'order', header: { 'zh-CN': '发货单号', en: 'Fulfillment order' }, width: 12, text: true },
  { key: 'channelOrder', header: { 'zh-CN': '订单号', en: 'Order' }, width: 12, text: true },
  { key: 'shopOrder', header: { 'zh-CN': '店铺订单号', en: 'Shop order no.' }, width: 22, text: true },
  { key: 'name', header: { 'zh-CN': '收件人', en: 'Consignee' }, width: 12, text: true },
  { key: 'skuCode', header: { 'zh-CN': '商品编码', en: 'SKU code' }, width: 18, text: true },
  { key: 'skuName', header: { 'zh-CN': '商品名称', en: 'SKU name' }, width: 28, text: true },
  { key: 'quantity', header: { 'zh-CN': '数量', en: 'Quantity' }, width: 8 },
  { key: 'cancelled', header: { 'zh-CN': '取消数量', en: 'Cancelled' }, width: 10 },
  { key: 'remaining', header: { 'zh-CN': '仍需发货', en: 'Still to ship' }, width: 10 },
  { key: 'cancelledAt', header: { 'zh-CN': '取消时间', en: 'Cancelled at' }, width: 17, text: true },
];

export function cancelledSheetName(language: SheetLanguage): string {
  return language === 'en' ? 'Cancelled - do not ship' : '已取消 请勿发货';
}

interface CancelledLine {
  line_id: string;
  fulfillment_order_id: string;
  channel_order_id: string;
  consignee_name: string;
  sku_id: string;
  quantity: number;
  /** Units of this line cancelled by the cancellations the batch lists. */
  cancelled: number;
  /** quantity − shipped − cancelled, now. */
  remaining: number;
  cancelled_at: Date;
}

/** The batch's order lines after line id `after`, from this context's own tables. */
function orderLinesOf(em: EntityManager, batchId: string, after: string): Promise<SheetLine[]> {
  return sqlRows<SheetLine>(
    em,
    `select l.id::text as line_id, o.id::text as fulfillment_order_id, l.channel_order_id::text, o.status, o.warehouse_id::text,
            o.consignee_name, o.consignee_phone, o.province, o.city, o.district, o.address, o.remarks, l.sku_id::text, l.quantity, l.cancelled_quantity,
            l.supply_price_amount, l.currency, l.customization_label, o.created_at, o.shipped_at
       from order_sheet_batch_order m
       join fulfillment_order o on o.id = m.fulfillment_order_id
       join fulfillment_order_line l on l.fulfillment_order_id = o.id
      where m.batch_id = ? and m.kind = 'order' and l.id > ?
      order by l.id limit ?`,
    [batchId, after, PAGE],
  );
}

/** The lines with cancellations the batch lists, after line id `after`: their sum per line and the latest one's time (取消时间). */
function cancelledLinesOf(em: EntityManager, batchId: string, after: string): Promise<CancelledLine[]> {
  return sqlRows<CancelledLine>(
    em,
    `select l.id::text as line_id, o.id::text as fulfillment_order_id, l.channel_order_id::text, o.consignee_name, l.sku_id::text, l.quantity,
            c.cancelled, l.quantity - l.shipped_quantity - l.cancelled_quantity as remaining, c.cancelled_at
       from (select fulfillment_order_line_id, sum(quantity)::int as cancelled, max(created_at) as cancelled_at from fulfillment_line_cancellation
              where batch_id = ? and listed and fulfillment_order_line_id > ? group by fulfillment_order_line_id order by fulfillment_order_line_id limit ?) c
       join fulfillment_order_line l on l.id = c.fulfillment_order_line_id
       join fulfillment_order o on o.id = l.fulfillment_order_id
      order by l.id`,
    [batchId, after, PAGE],
  );
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Partial<ExcelJS.Column>[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return sheet;
}

/**
 * A batch's workbook, streamed: sheet 1 "发货单" is its orders in the order-sheet format as they are
 * now (shipped parcels are rows), sheet 2 "已取消 请勿发货" what was cancelled since of orders in
 * earlier batches, one row per line with the units cancelled and what is still to ship. Headers in
 * English with language=en.
 */
export async function writeBatchWorkbook(em: EntityManager, catalog: CatalogService, source: { batchId: string; language: SheetLanguage; timeZone: string }, output: Writable): Promise<void> {
  const { batchId, language, timeZone } = source;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  rememberNumberFormatStyles(workbook);
  const orders = addSheet(workbook, sheetName(language), sheetColumns(language));
  for (let after = '0'; ;) {
    const lines = await orderLinesOf(em, batchId, after);
    for (const row of await sheetRowsOf(em, catalog, lines, { language, timeZone })) orders.addRow(row).commit();
    // Each page waits for the zip to take the one before: a slow reader never piles the XML up in memory.
    await sheetDrained(orders);
    if (lines.length < PAGE) break;
    after = lines[lines.length - 1].line_id;
  }
  orders.commit();
  const cancelled = addSheet(workbook, cancelledSheetName(language), sheetColumns(language, CANCELLED_COLUMNS));
  for (let after = '0'; ;) {
    const lines = await cancelledLinesOf(em, batchId, after);
    const [skus, externalIds] = await Promise.all([
      catalog.skuLabelsById(lines.map((line) => line.sku_id)),
      externalOrderIdsById(
        em,
        lines.map((line) => line.channel_order_id),
      ),
    ]);
    for (const line of lines) {
      cancelled
        .addRow({
          order: String(line.fulfillment_order_id),
          channelOrder: String(line.channel_order_id),
          shopOrder: safeXlsxText(externalIds.get(String(line.channel_order_id))),
          name: safeXlsxText(openField(line.consignee_name)),
          skuCode: safeXlsxText(skus.get(String(line.sku_id))?.code),
          skuName: safeXlsxText(skus.get(String(line.sku_id))?.name),
          quantity: line.quantity,
          cancelled: line.cancelled,
          remaining: Math.max(0, line.remaining),
          cancelledAt: localTime(line.cancelled_at, timeZone),
        })
        .commit();
    }
    await sheetDrained(cancelled);
    if (lines.length < PAGE) break;
    after = lines[lines.length - 1].line_id;
  }
  cancelled.commit();
  await workbook.commit();
}
