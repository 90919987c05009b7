import { validateSync, ValidationError } from 'class-validator';
import { SheetLanguageCode, SheetRow } from '@gongxiao/core';
import { CreateProductDto, CreateSkuDto } from './catalog.dto';
import { CATALOG_SHEET_COLUMNS, CatalogSheetKey, CatalogSheetReason, catalogReason } from './catalog-sheet';

/** One valid row of the products sheet: what it says, with an empty optional cell as null ("keep what is stored"). */
export interface CatalogSheetInput {
  rowNumber: number;
  productName: string;
  skuCode: string;
  skuName: string | null;
  /** 规格: the SKU's spec text (sku.spec). */
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
}

export interface ParsedCatalogRows {
  inputs: CatalogSheetInput[];
  /** Row number → every reason the row was refused for, in the upload's language. */
  rejected: Map<number, string[]>;
}

/**
 * Undoes the apostrophe our own sheets put before text that starts like a formula (= + - @), so
 * an exported or rejected-rows sheet uploaded again says what was stored.
 */
export function unescapeSheetText(text: string): string {
  return /^'[=+\-@\t\r\n]/.test(text) ? text.slice(1) : text;
}

const SKU_FIELD_REASONS: Partial<Record<string, CatalogSheetReason>> = { code: 'skuCodeInvalid', name: 'skuNameInvalid', spec: 'specInvalid', barcode: 'barcodeInvalid', weightGrams: 'weightInvalid' };
/** The sheet column of a CreateSkuDto property (others are named as they are). */
const SKU_FIELD_COLUMNS: Partial<Record<string, CatalogSheetKey>> = { code: 'skuCode', name: 'skuName', spec: 'spec', barcode: 'barcode', weightGrams: 'weightGrams' };

/** Reasons are listed in the sheet's column order. */
const columnIndex = (column: string) => {
  const index = CATALOG_SHEET_COLUMNS.findIndex((item) => item.key === column);
  return index < 0 ? CATALOG_SHEET_COLUMNS.length : index;
};

/** Messages of the constraints a value broke, for properties the sheet has no reason of its own for. */
const constraintText = (error: ValidationError) => Object.values(error.constraints ?? {}).join('; ');

function headerOf(key: string, language: SheetLanguageCode): string {
  return CATALOG_SHEET_COLUMNS.find((column) => column.key === key)?.header[language] ?? key;
}

/** A product name checked as the product API checks it, once per distinct name of a sheet (many rows share one). */
function productNameValid(name: string, checked: Map<string, boolean>): boolean {
  if (!checked.has(name)) checked.set(name, validateSync(Object.assign(new CreateProductDto(), { name })).length === 0);
  return checked.get(name)!;
}

/**
 * Checks one row with the same DTOs (and so the same lengths and code charset) as the product API.
 * Returns the input, or the reasons it is refused for.
 */
export function parseCatalogRow(row: SheetRow<CatalogSheetKey>, language: SheetLanguageCode, productNameChecks = new Map<string, boolean>()): CatalogSheetInput | string[] {
  const text = (key: CatalogSheetKey) => unescapeSheetText(row.values[key] ?? '');
  const reasons: { column: string; text: string }[] = [];
  const refuse = (column: string, reason: CatalogSheetReason) => reasons.push({ column, text: catalogReason(language, reason) });
  const productName = text('productName');
  const skuCode = text('skuCode');
  const optional = (key: CatalogSheetKey) => (text(key) === '' ? null : text(key));
  const skuName = optional('skuName');
  const spec = optional('spec');
  const barcode = optional('barcode');
  const weightText = optional('weightGrams');
  const weightGrams = weightText !== null && /^\d{1,9}$/.test(weightText) ? Number(weightText) : null;

  if (productName === '') refuse('productName', 'productNameRequired');
  else if (!productNameValid(productName, productNameChecks)) refuse('productName', 'productNameInvalid');
  if (skuCode === '') refuse('skuCode', 'skuCodeRequired');
  if (weightText !== null && weightGrams === null) refuse('weightGrams', 'weightInvalid');

  // The DTO's own class, filled directly (no conversions needed): the checks are the API's.
  const sku = Object.assign(new CreateSkuDto(), {
    code: skuCode,
    name: skuName ?? (productName || 'x'),
    ...(spec !== null ? { spec } : {}),
    ...(barcode !== null ? { barcode } : {}),
    ...(weightGrams !== null ? { weightGrams } : {}),
  });
  for (const error of validateSync(sku)) {
    if (error.property === 'code' && skuCode === '') continue;
    // A SKU name taken from the product name was already checked as the product name.
    if (error.property === 'name' && skuName === null) continue;
    const column = SKU_FIELD_COLUMNS[error.property] ?? error.property;
    const reason = SKU_FIELD_REASONS[error.property];
    reasons.push({ column, text: reason ? catalogReason(language, reason) : `${headerOf(column, language)}: ${constraintText(error)}` });
  }
  if (reasons.length > 0) return reasons.sort((a, b) => columnIndex(a.column) - columnIndex(b.column)).map((reason) => reason.text);
  return { rowNumber: row.rowNumber, productName, skuCode, skuName, spec, barcode, weightGrams };
}

/** Every row checked (nothing read from the database yet); a SKU code twice in the sheet refuses each of its rows. */
export function parseCatalogRows(rows: SheetRow<CatalogSheetKey>[], language: SheetLanguageCode): ParsedCatalogRows {
  const rejected = new Map<number, string[]>();
  const inputs: CatalogSheetInput[] = [];
  const rowsByCode = new Map<string, number[]>();
  const productNameChecks = new Map<string, boolean>();
  for (const row of rows) {
    const code = unescapeSheetText(row.values.skuCode ?? '');
    if (code !== '') rowsByCode.set(code, [...(rowsByCode.get(code) ?? []), row.rowNumber]);
    const parsed = parseCatalogRow(row, language, productNameChecks);
    if (Array.isArray(parsed)) rejected.set(row.rowNumber, parsed);
    else inputs.push(parsed);
  }
  for (const [code, rowNumbers] of rowsByCode) {
    if (rowNumbers.length < 2) continue;
    const reason = catalogReason(language, 'duplicateCode', { code, rows: rowNumbers });
    for (const rowNumber of rowNumbers) rejected.set(rowNumber, [...(rejected.get(rowNumber) ?? []), reason]);
  }
  return { inputs: inputs.filter((input) => !rejected.has(input.rowNumber)), rejected };
}
