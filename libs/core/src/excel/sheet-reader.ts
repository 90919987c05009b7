import ExcelJS from 'exceljs';
import { ErrorDetail, UnprocessableError } from '../errors/domain-error';

/** One column an upload reads: the header texts it accepts, in any language, with the common synonyms. */
export interface SheetColumnSpec<K extends string = string> {
  key: K;
  /** Accepted header texts (compared after NFKC, trimming and case folding): the Chinese one first, then English and synonyms. */
  headers: string[];
  required: boolean;
}

/** What an upload expects of its sheet. */
export interface SheetSpec<K extends string = string> {
  columns: SheetColumnSpec<K>[];
  /** More data rows than this are refused, naming the limit (split the file). */
  maxRows: number;
}

/** One data row: its row number in the sheet (the header is row 1 unless preceded by empty rows) and each column's text, normalized. */
export interface SheetRow<K extends string = string> {
  rowNumber: number;
  values: Record<K, string>;
}

export interface ReadSheet<K extends string = string> {
  sheetName: string;
  rows: SheetRow<K>[];
  /** Other sheets of the workbook that were not read (named in the report, never silently merged). */
  ignoredSheets: string[];
}

/** Header text as compared: full-width folded, spaces dropped, case folded. */
export const headerKey = (text: string) =>
  text
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();

/** A cell's text as the user meant it: full-width digits and letters folded (NFKC), spaces trimmed at both ends. */
export function normalizeCellText(text: string): string {
  return text.normalize('NFKC').replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

/**
 * Reads the first sheet of an uploaded .xlsx into rows of text keyed by column. Refuses, with a
 * 422 naming the problem and changing nothing: a file that is not a workbook, a header row that
 * lacks a required column (naming the headers it accepts), too many rows. Empty rows are skipped.
 */
export async function readSheetRows<K extends string>(file: Buffer, spec: SheetSpec<K>): Promise<ReadSheet<K>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new UnprocessableError('sheet_unreadable', 'The file is not a readable .xlsx workbook. Save it from Excel as .xlsx and upload it again.');
  }
  const [sheet, ...others] = workbook.worksheets;
  if (!sheet) throw new UnprocessableError('sheet_empty', 'The workbook has no sheet.');
  const records: { rowNumber: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => (cells[column - 1] = normalizeCellText(sheetCellText(cell.value))));
    const filled = Array.from(cells, (value) => value ?? '');
    if (filled.some((value) => value !== '')) records.push({ rowNumber, cells: filled });
  });
  const [header, ...data] = records;
  if (!header) throw new UnprocessableError('sheet_empty', `The sheet "${sheet.name}" is empty: the first row must hold the column headers.`);
  const indexes = columnIndexes(header.cells, spec);
  if (data.length > spec.maxRows) throw new UnprocessableError('sheet_too_many_rows', `The sheet has ${data.length} rows; at most ${spec.maxRows} are read at once. Split it and upload each part.`);
  const rows = data.map((record) => ({
    rowNumber: record.rowNumber,
    values: Object.fromEntries(spec.columns.map((column) => [column.key, indexes[column.key] === undefined ? '' : (record.cells[indexes[column.key]!] ?? '')])) as Record<K, string>,
  }));
  return { sheetName: sheet.name, rows, ignoredSheets: others.map((other) => other.name) };
}

function columnIndexes<K extends string>(headers: string[], spec: SheetSpec<K>): Partial<Record<K, number>> {
  const keys = headers.map(headerKey);
  const indexes: Partial<Record<K, number>> = {};
  const missing: ErrorDetail[] = [];
  for (const column of spec.columns) {
    const index = keys.findIndex((key) => column.headers.some((accepted) => headerKey(accepted) === key));
    if (index >= 0) indexes[column.key] = index;
    else if (column.required) missing.push({ field: `column ${column.headers[0]}`, reason: `no column headed ${column.headers.map((text) => `"${text}"`).join(' or ')}` });
  }
  if (missing.length > 0) {
    const found = headers.filter((text) => text !== '').join('", "');
    throw new UnprocessableError('sheet_columns_missing', `The header row lacks required column(s); it has "${found}". Download the template again or rename the columns.`, missing);
  }
  return indexes;
}

/** A cell's value as the text a person sees in it. */
export function sheetCellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return sheetCellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}
