import { SheetLanguageCode, SheetSpec } from '@gongxiao/core';

/**
 * The stock sheet (库存) an upload reads: one row per warehouse × SKU with the units on hand. The
 * 仓库 column takes a warehouse's code or name; 仓库名称 is not one of its headers, so the export's
 * 仓库编码 and 仓库名称 columns are not the same column twice (the code is read).
 */
export type StockSheetKey = 'warehouse' | 'skuCode' | 'onHand';

interface StockSheetColumn<K extends string> {
  key: K;
  header: Record<SheetLanguageCode, string>;
  synonyms: string[];
  width: number;
}

export const STOCK_SHEET_COLUMNS: StockSheetColumn<StockSheetKey>[] = [
  { key: 'warehouse', header: { 'zh-CN': '仓库', en: 'Warehouse' }, synonyms: ['仓库编码', '仓库代码', 'warehouse code'], width: 16 },
  { key: 'skuCode', header: { 'zh-CN': '商品编码', en: 'SKU code' }, synonyms: ['SKU编码', '货号', 'SKU', 'SKU编号'], width: 20 },
  { key: 'onHand', header: { 'zh-CN': '库存', en: 'On hand' }, synonyms: ['库存数量', '数量', '现有库存', '在库数量', 'quantity', 'stock'], width: 10 },
];

/** The same limit as one bulk stock update through the API. */
export const STOCK_SHEET_MAX_ROWS = 20_000;

/** Units on hand a row may set (the bulk stock update's bound). */
export const STOCK_SHEET_MAX_ON_HAND = 100_000_000;

export const STOCK_SHEET_SPEC: SheetSpec<StockSheetKey> = {
  columns: STOCK_SHEET_COLUMNS.map((column) => ({ key: column.key, headers: [column.header['zh-CN'], column.header.en, ...column.synonyms], required: true })),
  maxRows: STOCK_SHEET_MAX_ROWS,
};

export const STOCK_SHEET_HEADERS: Record<SheetLanguageCode, string[]> = {
  'zh-CN': STOCK_SHEET_COLUMNS.map((column) => column.header['zh-CN']),
  en: STOCK_SHEET_COLUMNS.map((column) => column.header.en),
};

/**
 * The stock export: its first columns (warehouse code, SKU code, on hand are what the upload reads,
 * leftmost match first) re-import as they are; reserved and available are for reading only.
 */
export type StockExportKey = 'warehouseCode' | 'warehouseName' | 'skuCode' | 'skuName' | 'onHand' | 'reserved' | 'available';

export const STOCK_EXPORT_COLUMNS: (StockSheetColumn<StockExportKey> & { text: boolean })[] = [
  { key: 'warehouseCode', header: { 'zh-CN': '仓库编码', en: 'Warehouse code' }, synonyms: [], width: 16, text: true },
  { key: 'warehouseName', header: { 'zh-CN': '仓库名称', en: 'Warehouse name' }, synonyms: [], width: 20, text: true },
  { key: 'skuCode', header: { 'zh-CN': '商品编码', en: 'SKU code' }, synonyms: [], width: 20, text: true },
  { key: 'skuName', header: { 'zh-CN': 'SKU名称', en: 'SKU name' }, synonyms: [], width: 28, text: true },
  { key: 'onHand', header: { 'zh-CN': '现有库存', en: 'On hand' }, synonyms: [], width: 10, text: false },
  { key: 'reserved', header: { 'zh-CN': '已预留', en: 'Reserved' }, synonyms: [], width: 10, text: false },
  { key: 'available', header: { 'zh-CN': '可售', en: 'Available' }, synonyms: [], width: 10, text: false },
];

export const stockSheetName = (language: SheetLanguageCode) => (language === 'en' ? 'Stock levels' : '库存');

type Reason = (params: Record<string, string>) => string;

/** Why a row of the stock sheet was refused, in both languages. */
export const STOCK_SHEET_REASONS = {
  warehouseRequired: { 'zh-CN': () => '仓库必填（仓库编码或名称）', en: () => 'Warehouse is required (its code or name)' },
  warehouseUnknown: { 'zh-CN': (p) => `没有编码或名称为「${p.warehouse}」的仓库`, en: (p) => `You have no warehouse with code or name "${p.warehouse}"` },
  warehouseAmbiguous: { 'zh-CN': (p) => `有多个仓库名为「${p.warehouse}」，请填写仓库编码`, en: (p) => `Several of your warehouses are named "${p.warehouse}"; give its code` },
  skuRequired: { 'zh-CN': () => '商品编码必填', en: () => 'SKU code is required' },
  skuUnknown: { 'zh-CN': (p) => `没有商品编码为 ${p.code} 的 SKU`, en: (p) => `You have no SKU with code ${p.code}` },
  onHandRequired: { 'zh-CN': () => '库存必填', en: () => 'On hand is required' },
  onHandNegative: { 'zh-CN': () => '库存不能为负数', en: () => 'On hand cannot be negative' },
  onHandDecimal: { 'zh-CN': () => '库存须为整数', en: () => 'On hand must be a whole number' },
  onHandInvalid: { 'zh-CN': (p) => `库存须为 0 到 ${p.max} 之间的整数`, en: (p) => `On hand must be a whole number from 0 to ${p.max}` },
  duplicate: {
    'zh-CN': (p) => `仓库 ${p.warehouse} 的商品编码 ${p.code} 在本表第 ${p.rows} 行重复出现，请只保留一行`,
    en: (p) => `Warehouse ${p.warehouse} and SKU code ${p.code} appear more than once in this sheet (rows ${p.rows}); keep one row`,
  },
} satisfies Record<string, Record<SheetLanguageCode, Reason>>;

export type StockSheetReason = keyof typeof STOCK_SHEET_REASONS;

export function stockReason(language: SheetLanguageCode, reason: StockSheetReason, params: Record<string, string | number[]> = {}): string {
  const joined = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.join(language === 'en' ? ', ' : '、') : value]));
  return (STOCK_SHEET_REASONS[reason][language] as Reason)(joined);
}

/** Units on hand as a cell says them: a whole number (1,200 and 12.0 are read as such), or why not. */
export function parseOnHand(text: string): { onHand: number } | { reason: StockSheetReason } {
  if (text === '') return { reason: 'onHandRequired' };
  const plain = text.replace(/^(\d{1,3}(?:,\d{3})+)(\.0+)?$/, (_, digits: string) => digits.replace(/,/g, '')).replace(/^(\d+)\.0+$/, '$1');
  if (/^\d+$/.test(plain)) return Number(plain) <= STOCK_SHEET_MAX_ON_HAND ? { onHand: Number(plain) } : { reason: 'onHandInvalid' };
  if (/^-\s*\d+(\.\d+)?$/.test(text)) return { reason: 'onHandNegative' };
  if (/^\d*\.\d+$/.test(plain)) return { reason: 'onHandDecimal' };
  return { reason: 'onHandInvalid' };
}
