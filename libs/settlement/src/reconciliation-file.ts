import ExcelJS from 'exceljs';
import { ErrorDetail, inspectWorkbook, UnprocessableError } from '@gongxiao/core';
import { parseCsv } from './csv';
import { TheirLine } from './reconciliation-match';
import { parseYuan } from './yuan';

/** Which column of the counterparty's file holds what (by header text), and on which sheet. */
export interface ReconciliationMapping {
  orderNumber: string;
  skuCode?: string;
  amount: string;
  quantity?: string;
  sheet?: string;
}

export type UploadKind = 'xlsx' | 'csv';

/** A file's rows as text, with their row numbers (the header is the first). */
interface SheetRecord {
  rowNumber: number;
  cells: string[];
}

/** More rows than this are refused (split the file): a report stays readable and the request short. */
export const MAX_UPLOAD_ROWS = 200_000;

const FIELDS = ['orderNumber', 'skuCode', 'amount', 'quantity'] as const;

/**
 * Reads the counterparty's statement and checks all of it before anything is used: every mapped
 * column must be there, and every bad row is reported with its row number and reason (an amount
 * that is not yuan or has more than 2 decimals, an empty order number, a quantity that is not a
 * whole number, the same order number and SKU twice). Throws one 422 naming them all.
 */
export async function readCounterpartyLines(file: Buffer, kind: UploadKind, mapping: ReconciliationMapping): Promise<TheirLine[]> {
  const records = kind === 'csv' ? csvRecords(file) : await xlsxRecords(file, mapping.sheet);
  const [header, ...rows] = records;
  const columns = columnIndexes(header?.cells ?? [], mapping);
  if (rows.length > MAX_UPLOAD_ROWS)
    throw new UnprocessableError('reconciliation_file_too_long', `The file has ${rows.length} rows; at most ${MAX_UPLOAD_ROWS} are read at once. Split it and upload each part.`);
  const problems: ErrorDetail[] = [];
  const lines: TheirLine[] = [];
  const firstRowOf = new Map<string, number>();
  for (const row of rows) {
    const cell = (field: (typeof FIELDS)[number]) => (columns[field] === undefined ? '' : (row.cells[columns[field]!] ?? '').trim());
    if (FIELDS.every((field) => cell(field) === '')) continue;
    const line = readLine(row.rowNumber, cell, columns.skuCode !== undefined, columns.quantity !== undefined, problems);
    if (!line) continue;
    const key = `${line.orderNumber}\u0000${line.skuCode ?? ''}`;
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      problems.push({ field: `row ${row.rowNumber}`, reason: `duplicates row ${first}: the same order number${line.skuCode === null ? '' : ' and SKU code'} appears twice` });
      continue;
    }
    firstRowOf.set(key, row.rowNumber);
    lines.push(line);
  }
  if (problems.length > 0)
    throw new UnprocessableError('reconciliation_file_invalid', `${problems.length} row(s) of the file cannot be read; fix them and upload it again. Nothing was stored.`, problems);
  return lines;
}

function readLine(rowNumber: number, cell: (field: (typeof FIELDS)[number]) => string, hasSku: boolean, hasQuantity: boolean, problems: ErrorDetail[]): TheirLine | null {
  const field = `row ${rowNumber}`;
  const before = problems.length;
  const orderNumber = cell('orderNumber');
  if (orderNumber === '') problems.push({ field, reason: 'the order number is empty' });
  const amount = parseYuan(cell('amount'));
  if (!amount.ok) problems.push({ field, reason: `amount: ${amount.reason}` });
  let quantity: number | null = null;
  if (hasQuantity && cell('quantity') !== '') {
    quantity = Number(cell('quantity'));
    if (!/^-?\d+$/.test(cell('quantity')) || !Number.isSafeInteger(quantity)) problems.push({ field, reason: `quantity: "${cell('quantity')}" is not a whole number` });
  }
  if (problems.length > before || !amount.ok) return null;
  return { orderNumber, skuCode: hasSku ? cell('skuCode') : null, amount: amount.fen, quantity, rowNumber };
}

/** Where each mapped column is; a 422 naming every mapped header the file lacks. */
function columnIndexes(headers: string[], mapping: ReconciliationMapping): Partial<Record<(typeof FIELDS)[number], number>> {
  const normalized = headers.map((header) => header.trim());
  const indexes: Partial<Record<(typeof FIELDS)[number], number>> = {};
  const missing: ErrorDetail[] = [];
  for (const field of FIELDS) {
    const wanted = mapping[field];
    if (wanted === undefined) continue;
    const index = normalized.indexOf(wanted.trim());
    if (index < 0) missing.push({ field: `mapping.${field}`, reason: `column "${wanted}" is not in the file's header row` });
    else indexes[field] = index;
  }
  if (missing.length > 0) {
    const found = normalized.filter((header) => header !== '').join('", "');
    throw new UnprocessableError('reconciliation_columns_missing', `The file lacks mapped column(s); its header row has "${found}". Fix the mapping or the file.`, missing);
  }
  return indexes;
}

function csvRecords(file: Buffer): SheetRecord[] {
  return parseCsv(file.toString('utf8')).map((record) => ({ rowNumber: record.line, cells: record.fields }));
}

/** Inspected first (zip bombs, .xls, passwords, not a workbook: a 422 before exceljs inflates anything), then loaded. */
async function xlsxRecords(file: Buffer, sheetName: string | undefined): Promise<SheetRecord[]> {
  await inspectWorkbook(file);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new UnprocessableError('reconciliation_file_unreadable', 'The file is not a readable .xlsx workbook. Save it from Excel as .xlsx (or send CSV) and upload it again.');
  }
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) {
    const names = workbook.worksheets.map((item) => item.name).join('", "');
    throw new UnprocessableError('reconciliation_sheet_missing', `The workbook has no sheet "${sheetName ?? ''}"; its sheets are "${names}".`, [
      { field: 'mapping.sheet', reason: `no sheet named "${sheetName ?? ''}"` },
    ]);
  }
  const records: SheetRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = cellText(cell.value)));
    records.push({ rowNumber, cells: Array.from(cells, (value) => value ?? '') });
  });
  return records;
}

/** A cell's value as the text a person sees in it. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}
