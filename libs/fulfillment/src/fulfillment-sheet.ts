import ExcelJS from 'exceljs';
import { openField, resolveCarrier, safeXlsxText, TEXT_FORMAT } from '@gongxiao/core';
import { SkuLabel, WarehouseFacts } from '@gongxiao/catalog';
import { FulfillmentStatus } from './fulfillment.dto';

export const SHEET_LANGUAGES = ['zh-CN', 'en'] as const;
export type SheetLanguage = (typeof SHEET_LANGUAGES)[number];

/** The time zone of the supplier's sheets until it chose one (settlement settings). */
export const DEFAULT_SHEET_TIME_ZONE = 'Asia/Shanghai';

/** One fulfillment order line, as the export reads it from this context's own tables. */
export interface SheetLine {
  line_id: string;
  fulfillment_order_id: string;
  channel_order_id: string;
  status: FulfillmentStatus;
  warehouse_id: string;
  sku_id: string;
  consignee_name: string;
  consignee_phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  remarks: string | null;
  quantity: number;
  cancelled_quantity: number;
  supply_price_amount: string | null;
  currency: string;
  /** Light customization as people read it, frozen at routing ('' for none). */
  customization_label: string;
  created_at: Date;
  shipped_at: Date | null;
}

/** One line's share of one parcel. */
export interface SheetParcel {
  line_id: string;
  quantity: number;
  carrier_code: string;
  tracking_number: string;
  created_at: Date;
}

export interface SheetColumn {
  key: string;
  header: Record<SheetLanguage, string>;
  width: number;
  /** Codes, phone numbers, tracking numbers: a text cell, so leading zeros stay. */
  text?: boolean;
  numFmt?: string;
}

/** The sheet's columns, in the order a warehouse reads them. */
const COLUMNS: SheetColumn[] = [
  { key: 'order', header: { 'zh-CN': '发货单号', en: 'Fulfillment order' }, width: 12, text: true },
  { key: 'channelOrder', header: { 'zh-CN': '订单号', en: 'Order' }, width: 12, text: true },
  { key: 'shopOrder', header: { 'zh-CN': '店铺订单号', en: 'Shop order no.' }, width: 22, text: true },
  { key: 'name', header: { 'zh-CN': '收件人', en: 'Consignee' }, width: 12, text: true },
  { key: 'phone', header: { 'zh-CN': '手机', en: 'Phone' }, width: 16, text: true },
  { key: 'province', header: { 'zh-CN': '省', en: 'Province' }, width: 10, text: true },
  { key: 'city', header: { 'zh-CN': '市', en: 'City' }, width: 10, text: true },
  { key: 'district', header: { 'zh-CN': '区', en: 'District' }, width: 10, text: true },
  { key: 'address', header: { 'zh-CN': '详细地址', en: 'Address' }, width: 36, text: true },
  { key: 'skuCode', header: { 'zh-CN': '商品编码', en: 'SKU code' }, width: 18, text: true },
  { key: 'skuName', header: { 'zh-CN': '商品名称', en: 'SKU name' }, width: 28, text: true },
  { key: 'spec', header: { 'zh-CN': '规格', en: 'Spec' }, width: 16, text: true },
  { key: 'customization', header: { 'zh-CN': '定制', en: 'Customization' }, width: 30, text: true },
  { key: 'quantity', header: { 'zh-CN': '数量', en: 'Quantity' }, width: 8 },
  { key: 'remarks', header: { 'zh-CN': '买家留言', en: 'Remarks' }, width: 24, text: true },
  { key: 'carrier', header: { 'zh-CN': '快递公司', en: 'Carrier' }, width: 14, text: true },
  { key: 'tracking', header: { 'zh-CN': '快递单号', en: 'Tracking number' }, width: 22, text: true },
  { key: 'status', header: { 'zh-CN': '状态', en: 'Status' }, width: 12, text: true },
  { key: 'createdAt', header: { 'zh-CN': '下单时间', en: 'Created at' }, width: 17, text: true },
  { key: 'shippedAt', header: { 'zh-CN': '发货时间', en: 'Shipped at' }, width: 17, text: true },
  { key: 'warehouse', header: { 'zh-CN': '仓库', en: 'Warehouse' }, width: 12, text: true },
  { key: 'price', header: { 'zh-CN': '供货价(元)', en: 'Supply price (yuan)' }, width: 12, numFmt: '0.00' },
  { key: 'priceFen', header: { 'zh-CN': '供货价(分)', en: 'Supply price (fen)' }, width: 12 },
  { key: 'currency', header: { 'zh-CN': '币种', en: 'Currency' }, width: 8, text: true },
];

/** A column's header in each language (the tracking backfill accepts the sheet's own headers, so they never drift). */
export function sheetHeader(key: 'order' | 'skuCode' | 'quantity' | 'carrier' | 'tracking'): Record<SheetLanguage, string> {
  return COLUMNS.find((column) => column.key === key)!.header;
}

const STATUS_NAMES: Record<FulfillmentStatus, Record<SheetLanguage, string>> = {
  pending_merge: { 'zh-CN': '待合单', en: 'Pending merge' },
  awaiting_production: { 'zh-CN': '生产中', en: 'Awaiting production' },
  new: { 'zh-CN': '待发货', en: 'New' },
  acknowledged: { 'zh-CN': '已接单', en: 'Acknowledged' },
  partially_shipped: { 'zh-CN': '部分发货', en: 'Partially shipped' },
  shipped: { 'zh-CN': '已发货', en: 'Shipped' },
  cancelled: { 'zh-CN': '已取消', en: 'Cancelled' },
};

export function sheetName(language: SheetLanguage): string {
  return language === 'en' ? 'Fulfillment orders' : '发货单';
}

export function sheetColumns(language: SheetLanguage, columns: SheetColumn[] = COLUMNS): Partial<ExcelJS.Column>[] {
  return columns.map((column) => ({ key: column.key, header: column.header[language], width: column.width, style: { numFmt: column.text ? TEXT_FORMAT : column.numFmt } }));
}

const clocks = new Map<string, { format: Intl.DateTimeFormat; minutes: Map<number, string> }>();

/**
 * "YYYY-MM-DD HH:mm" on the wall clock of `timeZone` (the supplier's, by default Shanghai). A sheet
 * shows thousands of rows from the same minutes (an order's lines, a batch's parcels): each minute is
 * formatted once per time zone (Intl's formatToParts is the costly part).
 */
export function localTime(at: Date | string | null, timeZone = DEFAULT_SHEET_TIME_ZONE): string {
  if (at === null) return '';
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = {
      format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      minutes: new Map(),
    };
    clocks.set(timeZone, clock);
  }
  const instant = new Date(at);
  const minute = Math.floor(instant.getTime() / 60_000);
  let text = clock.minutes.get(minute);
  if (text === undefined) {
    const parts = Object.fromEntries(clock.format.formatToParts(instant).map((part) => [part.type, part.value]));
    text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
    if (clock.minutes.size >= 100_000) clock.minutes.clear();
    clock.minutes.set(minute, text);
  }
  return text;
}

function carrierName(code: string, language: SheetLanguage): string {
  return resolveCarrier(code)?.name[language] ?? code;
}

export interface SheetContext {
  language: SheetLanguage;
  timeZone: string;
  warehouse: WarehouseFacts | undefined;
  sku: SkuLabel | undefined;
  /** The shop's own order number of the line's channel order (店铺订单号). */
  externalOrderId: string | undefined;
  /** The consignee's name, phone and address already decrypted (an order's lines share them); else each line opens its own. */
  contact?: SheetContact;
}

/** The consignee's contact data, decrypted. */
export interface SheetContact {
  name: string;
  phone: string;
  address: string;
}

/** The line's consignee contact, decrypted (the supplier ships the parcel: its sheets have them in full). */
export function openContact(line: Pick<SheetLine, 'consignee_name' | 'consignee_phone' | 'address'>): SheetContact {
  return { name: safeXlsxText(openField(line.consignee_name)), phone: safeXlsxText(openField(line.consignee_phone)), address: safeXlsxText(openField(line.address)) };
}

/**
 * A line's rows: one per parcel (its quantity, carrier and tracking number side by side) and one
 * for what is still to ship; a line cancelled before anything shipped is one row marked cancelled.
 * Every text that someone typed goes through `safeXlsxText` into a Text-format column (formula-looking text stays text, unchanged).
 */
export function sheetRows(line: SheetLine, parcels: SheetParcel[], context: SheetContext): Record<string, unknown>[] {
  const fen = line.supply_price_amount === null ? null : Number(line.supply_price_amount);
  const contact = context.contact ?? openContact(line);
  const base = {
    order: String(line.fulfillment_order_id),
    channelOrder: String(line.channel_order_id),
    shopOrder: safeXlsxText(context.externalOrderId),
    name: contact.name,
    phone: contact.phone,
    province: safeXlsxText(line.province),
    city: safeXlsxText(line.city),
    district: safeXlsxText(line.district),
    address: contact.address,
    skuCode: safeXlsxText(context.sku?.code),
    skuName: safeXlsxText(context.sku?.name),
    spec: safeXlsxText(context.sku?.spec),
    customization: safeXlsxText(line.customization_label ?? ''),
    remarks: safeXlsxText(line.remarks),
    status: STATUS_NAMES[line.status]?.[context.language] ?? line.status,
    createdAt: localTime(line.created_at, context.timeZone),
    warehouse: safeXlsxText(context.warehouse?.code),
    price: fen === null ? null : fen / 100,
    priceFen: fen,
    currency: line.currency,
  };
  const rows: Record<string, unknown>[] = parcels.map((parcel) => ({
    ...base,
    quantity: parcel.quantity,
    carrier: safeXlsxText(carrierName(parcel.carrier_code, context.language)),
    tracking: safeXlsxText(parcel.tracking_number),
    shippedAt: localTime(parcel.created_at, context.timeZone),
  }));
  // What is still to ship (never the units the consumer cancelled): its own row, with no carrier yet.
  const cancelled = Number(line.cancelled_quantity ?? 0);
  const left = line.quantity - cancelled - parcels.reduce((sum, parcel) => sum + parcel.quantity, 0);
  if (left > 0) rows.push({ ...base, quantity: left, carrier: '', tracking: '', shippedAt: parcels.length === 0 ? localTime(line.shipped_at, context.timeZone) : '' });
  // A line cancelled before any of it shipped still shows, as cancelled: a warehouse must not ship it.
  if (rows.length === 0) rows.push({ ...base, quantity: cancelled, status: STATUS_NAMES.cancelled[context.language], carrier: '', tracking: '', shippedAt: '' });
  return rows;
}
