import { SheetLanguageCode, SheetSpec } from '@gongxiao/core';

/**
 * The products sheet (商品资料), the same both ways: the export writes exactly these columns and the
 * import reads them (one row per SKU; rows naming the same 商品名称 are SKUs of one product).
 */
export type CatalogSheetKey = 'productName' | 'skuCode' | 'skuName' | 'spec' | 'barcode' | 'weightGrams';

interface CatalogSheetColumn {
  key: CatalogSheetKey;
  header: Record<SheetLanguageCode, string>;
  synonyms: string[];
  required: boolean;
  width: number;
}

export const CATALOG_SHEET_COLUMNS: CatalogSheetColumn[] = [
  { key: 'productName', header: { 'zh-CN': '商品名称', en: 'Product name' }, synonyms: ['产品名称', '商品名', 'product'], required: true, width: 28 },
  { key: 'skuCode', header: { 'zh-CN': '商品编码', en: 'SKU code' }, synonyms: ['SKU编码', '货号', 'SKU', 'SKU编号'], required: true, width: 20 },
  { key: 'skuName', header: { 'zh-CN': 'SKU名称', en: 'SKU name' }, synonyms: ['SKU名'], required: false, width: 28 },
  { key: 'spec', header: { 'zh-CN': '规格', en: 'Spec' }, synonyms: ['规格型号', 'specification'], required: false, width: 20 },
  { key: 'barcode', header: { 'zh-CN': '条码', en: 'Barcode' }, synonyms: ['条形码', '商品条码'], required: false, width: 18 },
  { key: 'weightGrams', header: { 'zh-CN': '重量(克)', en: 'Weight (g)' }, synonyms: ['重量', '重量(g)', 'weight', 'weight (grams)'], required: false, width: 10 },
];

/** At most this many rows in one upload (the products are written in a handful of set-based statements). */
export const CATALOG_SHEET_MAX_ROWS = 5000;

export const CATALOG_SHEET_SPEC: SheetSpec<CatalogSheetKey> = {
  columns: CATALOG_SHEET_COLUMNS.map((column) => ({ key: column.key, headers: [column.header['zh-CN'], column.header.en, ...column.synonyms], required: column.required })),
  maxRows: CATALOG_SHEET_MAX_ROWS,
};

export const CATALOG_SHEET_HEADERS: Record<SheetLanguageCode, string[]> = {
  'zh-CN': CATALOG_SHEET_COLUMNS.map((column) => column.header['zh-CN']),
  en: CATALOG_SHEET_COLUMNS.map((column) => column.header.en),
};

export const catalogSheetName = (language: SheetLanguageCode) => (language === 'en' ? 'Products' : '商品资料');

type Reason = (params: Record<string, string | number>) => string;

/** Why a row of the products sheet was refused, in both languages. */
export const CATALOG_SHEET_REASONS = {
  productNameRequired: { 'zh-CN': () => '商品名称必填', en: () => 'Product name is required' },
  productNameInvalid: { 'zh-CN': () => '商品名称最长 200 个字符', en: () => 'Product name must be at most 200 characters' },
  skuCodeRequired: { 'zh-CN': () => '商品编码必填', en: () => 'SKU code is required' },
  skuCodeInvalid: {
    'zh-CN': () => '商品编码须为 1–64 位字母、数字或 . _ - /，并以字母或数字开头',
    en: () => 'SKU code must be 1-64 letters, digits or . _ - / and start with a letter or digit',
  },
  skuNameInvalid: { 'zh-CN': () => 'SKU名称最长 200 个字符', en: () => 'SKU name must be at most 200 characters' },
  specInvalid: { 'zh-CN': () => '规格最长 200 个字符', en: () => 'Spec must be at most 200 characters' },
  barcodeInvalid: { 'zh-CN': () => '条码须为 4–32 位字母、数字或 -', en: () => 'Barcode must be 4-32 letters, digits or -' },
  weightInvalid: { 'zh-CN': () => '重量(克)须为 0 到 1000000 之间的整数', en: () => 'Weight (g) must be a whole number from 0 to 1000000' },
  duplicateCode: {
    'zh-CN': (p) => `商品编码 ${p.code} 在本表第 ${p.rows} 行重复出现，请只保留一行`,
    en: (p) => `SKU code ${p.code} appears more than once in this sheet (rows ${p.rows}); keep one row`,
  },
  productNamesDiffer: {
    'zh-CN': (p) => `这些 SKU 同属商品「${p.current}」，但本表第 ${p.rows} 行写的商品名称不一致；改名时请把它们改成同一个名称`,
    en: (p) => `These SKUs belong to one product ("${p.current}") but rows ${p.rows} give it different names; give them all the same name to rename it`,
  },
  productAmbiguous: {
    'zh-CN': (p) => `有 ${p.count} 个商品都叫「${p.name}」，无法确定新 SKU 属于哪一个；请先把其中一个改名`,
    en: (p) => `${p.count} of your products are named "${p.name}", so the new SKU cannot be placed; rename one of them first`,
  },
} satisfies Record<string, Record<SheetLanguageCode, Reason>>;

export type CatalogSheetReason = keyof typeof CATALOG_SHEET_REASONS;

/** Row numbers and other lists are joined as the language writes them. */
export type ReasonParams = Record<string, string | number | number[]>;

export function catalogReason(language: SheetLanguageCode, reason: CatalogSheetReason, params: ReasonParams = {}): string {
  const joined = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value.join(language === 'en' ? ', ' : '、') : value]));
  return (CATALOG_SHEET_REASONS[reason][language] as Reason)(joined);
}
