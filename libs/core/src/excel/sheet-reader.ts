import { ErrorDetail, UnprocessableError } from '../errors/domain-error';
import { dateStyles, partNamed, sharedStrings } from './xlsx-parts';
import { scanWorksheetRows, XlsxCellContext, xlsxCellText, XlsxRow, XlsxRowFilter } from './xlsx-rows';
import { detached } from './xml-text';
import { inspectWorkbook, refuseMergedCells, WorkbookInspection, WorkbookSheet } from './workbook-inspection';

export { sheetCellText } from './sheet-cell-text';

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
    .replace(/[\s\u3000\u200b-\u200d\ufeff]+/g, '')
    .toLowerCase();

/** A cell's text as the user meant it: full-width digits, letters and spaces folded (NFKC), spaces (and zero-width ones) trimmed at both ends. */
export function normalizeCellText(text: string): string {
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(text)) return text;
  return text.normalize('NFKC').replace(/^[\s\u3000\u200b-\u200d\ufeff]+|[\s\u3000\u200b-\u200d\ufeff]+$/g, '');
}

/** A sheet as read: its header row (column → text), and, if the header fits the spec, its data rows. */
interface SheetRead<K extends string> {
  name: string;
  order: number;
  hidden: boolean;
  header: Map<number, string> | undefined;
  columns: ColumnMatch<K> | undefined;
  rows: SheetRow<K>[];
  tooManyRows: boolean;
  rounded: ErrorDetail[];
}

interface ColumnMatch<K extends string> {
  indexes: Partial<Record<K, number>>;
  missing: ErrorDetail[];
  duplicated: ErrorDetail[];
}

/**
 * Reads an uploaded .xlsx into rows of text keyed by column, after `inspectWorkbook` has refused
 * what is not a safe workbook. Streamed (the sheet's XML is never whole in memory), keeping only the
 * spec's columns of each row; it stops past `maxRows`. Reads the first sheet (tab order, visible first) whose header
 * row — its first non-empty row — has every required column; the other sheets are named in
 * `ignoredSheets`. Refuses with a 422 naming the problem and changing nothing: missing columns
 * (naming the headers accepted), a column given twice, merged cells, too many rows, and numbers
 * Excel has rounded (16 digits or more typed as a number: the last digits are lost), and a header row
 * with no data row under it (`sheet_empty`, in `options.language`). Empty rows are skipped; row
 * numbers stay the sheet's.
 */
export async function readSheetRows<K extends string>(file: Buffer, spec: SheetSpec<K>, options: SheetReadOptions = {}): Promise<ReadSheet<K>> {
  const inspection = await inspectWorkbook(file);
  const reads = await readSheets(file, inspection, spec, fits);
  const chosen = reads.find(fits) ?? reads[0];
  if (!chosen) throw new UnprocessableError('sheet_empty', 'The workbook has no sheet.');
  const sheet = inspection.sheets[chosen.order];
  refuseSheet(chosen, spec, sheet);
  if (chosen.rows.length === 0) throw emptySheetError(chosen.name, options.language);
  return {
    sheetName: chosen.name,
    rows: chosen.rows,
    ignoredSheets: inTabOrder(inspection.sheets)
      .filter((other) => other !== sheet)
      .map((other) => other.name),
  };
}

export interface SheetReadOptions {
  /** The language of the messages that a person fixes the file by (zh-CN by default). */
  language?: 'zh-CN' | 'en';
}

/**
 * While the uploader waits: refuses (`sheet_empty`, 422) a workbook whose sheets with the spec's
 * header row have no data row under it. Only a workbook whose every sheet has at most one row of
 * values (`inspectWorkbook` counts them while it inflates the parts) is read, so a sheet with data
 * costs nothing more; a header row over rows of blanks, or headers on the wrong sheet, are read to
 * be sure. What this lets through (a title row over the headers and nothing else, say) still fails
 * in the worker, where `readSheetRows` reads the whole sheet, with the same error.
 */
export async function refuseEmptySheet<K extends string>(file: Buffer, spec: SheetSpec<K>, options: SheetReadOptions = {}): Promise<void> {
  const inspection = await inspectWorkbook(file);
  // A sheet with two rows of values may have data: the worker reads it (the common case costs nothing more here).
  if (inspection.sheets.some((sheet) => sheet.rowsWithValues >= 2)) return;
  const headedWell = (read: SheetRead<K>) => fits(read) && read.columns!.duplicated.length === 0;
  // With maxRows 0 a sheet's first data row ends its read, flagged tooManyRows: "it has rows".
  const reads = await readSheets(file, inspection, { ...spec, maxRows: 0 }, (read) => headedWell(read) && read.tooManyRows);
  const headed = reads.filter(headedWell);
  if (headed.length > 0 && headed.every((read) => !read.tooManyRows)) throw emptySheetError(headed[0].name, options.language);
}

/** A sheet whose header row has every required column (a column given twice is refused once it is chosen). */
const fits = <K extends string>(read: SheetRead<K>) => read.columns !== undefined && read.columns.missing.length === 0;

/** The sheets in the order one is chosen: visible ones first, each group in tab order. */
const inTabOrder = (sheets: WorkbookSheet[]) => [...sheets].sort((left, right) => Number(left.hidden) - Number(right.hidden) || sheets.indexOf(left) - sheets.indexOf(right));

function emptySheetError(sheetName: string, language: SheetReadOptions['language']): UnprocessableError {
  const message =
    language === 'en'
      ? `The sheet "${sheetName}" has its header row but no data rows, so there is nothing to import. Fill in at least one row under the headers (or pick the file that has them) and upload it again.`
      : `工作表「${sheetName}」只有表头，没有数据行，没有可导入的内容。请在表头下方至少填写一行（或选择填好数据的文件）后重新上传。`;
  return new UnprocessableError('sheet_empty', message, [{ field: 'file', reason: language === 'en' ? 'no data rows under the header row' : '表头下方没有数据行' }]);
}

function refuseSheet<K extends string>(read: SheetRead<K>, spec: SheetSpec<K>, sheet: WorkbookSheet | undefined): void {
  if (!read.header || !read.columns) throw new UnprocessableError('sheet_empty', `The sheet "${read.name}" is empty: its first row must hold the column headers.`);
  if (read.columns.missing.length > 0) {
    const found = [...read.header.values()].filter((text) => text !== '').join('", "');
    throw new UnprocessableError(
      'sheet_columns_missing',
      `The header row of "${read.name}" lacks required column(s); it has "${found}". Download the template again or rename the columns.`,
      read.columns.missing,
    );
  }
  if (read.columns.duplicated.length > 0)
    throw new UnprocessableError('sheet_columns_duplicated', `The header row of "${read.name}" has a column more than once. Keep one of each and upload it again.`, read.columns.duplicated);
  refuseMergedCells(sheet);
  if (read.tooManyRows)
    throw new UnprocessableError('sheet_too_many_rows', `The sheet "${read.name}" has more than ${spec.maxRows} rows; at most ${spec.maxRows} are read at once. Split it and upload each part.`, [
      { field: 'file', reason: `more than ${spec.maxRows} rows` },
    ]);
  if (read.rounded.length > 0)
    throw new UnprocessableError(
      'sheet_number_rounded',
      `${read.rounded.length} cell(s) hold a number of 16 digits or more that Excel has already rounded (it keeps 15 digits), so the real value is lost. Format those columns as Text, type or paste the numbers again, and upload the file again.`,
      read.rounded.slice(0, 100),
    );
}

/**
 * The sheets in the order one is chosen (visible first, tab order), each until its header row
 * tells whether it fits, the one that does to its end; `enough` stops at the sheet that answers the
 * caller's question (the rest unread). With the workbook's own scanner (xlsx-rows.ts), not exceljs:
 * a spreadsheet upload needs the text of a few columns, not an object per cell.
 */
async function readSheets<K extends string>(file: Buffer, inspection: WorkbookInspection, spec: SheetSpec<K>, enough: (read: SheetRead<K>) => boolean): Promise<SheetRead<K>[]> {
  const reads: SheetRead<K>[] = [];
  try {
    const context: XlsxCellContext = { strings: await sharedStrings(file, inspection), dateStyles: await dateStyles(file, inspection), date1904: inspection.date1904 };
    for (const sheet of inTabOrder(inspection.sheets)) {
      const part = partNamed(inspection, sheet.path);
      if (!part) continue;
      const read: SheetRead<K> = { name: sheet.name, order: inspection.sheets.indexOf(sheet), hidden: sheet.hidden, header: undefined, columns: undefined, rows: [], tooManyRows: false, rounded: [] };
      const filter: XlsxRowFilter = { columns: undefined };
      await scanWorksheetRows(file, part, (row) => takeRow(read, row, spec, context, filter), filter);
      reads.push(read);
      if (enough(read)) break;
    }
  } catch (error) {
    if (error instanceof UnprocessableError) throw error;
    throw new UnprocessableError('sheet_unreadable', 'The workbook cannot be read (its XML is damaged). Open it in Excel, save it again as .xlsx and upload that file.', [
      { field: 'file', reason: String((error as Error).message) },
    ]);
  }
  return reads;
}

/** One row into the read: the header row first (its first row with a value), then data rows; false ends the sheet's read. */
function takeRow<K extends string>(read: SheetRead<K>, row: XlsxRow, spec: SheetSpec<K>, context: XlsxCellContext, filter: XlsxRowFilter): boolean {
  if (!read.header) {
    const cells = new Map(row.cells.map((cell) => [cell.column, normalizeCellText(xlsxCellText(cell, context).text)] as const));
    if ([...cells.values()].every((text) => text === '')) return true;
    read.header = cells;
    read.columns = matchColumns(cells, spec);
    // The data rows need only the spec's columns: the others are skipped as they are scanned.
    filter.columns = new Set(Object.values<number | undefined>(read.columns.indexes).filter((index): index is number => index !== undefined));
    return read.columns.missing.length === 0 && read.columns.duplicated.length === 0;
  }
  const values = dataValues(row, read.columns!.indexes, spec, read, context);
  if (!values) return true;
  if (read.rows.length >= spec.maxRows) {
    read.tooManyRows = true;
    return false;
  }
  read.rows.push({ rowNumber: row.number, values });
  return true;
}

/** A data row's values of the spec's columns, or undefined when all of them are empty (an empty row). */
function dataValues<K extends string>(row: XlsxRow, indexes: Partial<Record<K, number>>, spec: SheetSpec<K>, read: SheetRead<K>, context: XlsxCellContext): Record<K, string> | undefined {
  const values = {} as Record<K, string>;
  let filled = false;
  for (const column of spec.columns) {
    const index = indexes[column.key];
    const cell = index === undefined ? undefined : row.cells.find((candidate) => candidate.column === index);
    const { text: shown, rounded } = cell ? xlsxCellText(cell, context) : { text: '', rounded: false };
    const text = normalizeCellText(shown);
    if (rounded) read.rounded.push({ field: `row ${row.number} column ${read.header?.get(index!) ?? column.headers[0]}`, reason: `${text} was typed as a number and rounded by Excel` });
    values[column.key] = detached(text);
    filled ||= text !== '';
  }
  return filled ? values : undefined;
}

function matchColumns<K extends string>(header: Map<number, string>, spec: SheetSpec<K>): ColumnMatch<K> {
  const keys = [...header.entries()].map(([column, text]) => ({ column, text, key: headerKey(text) })).filter((cell) => cell.key !== '');
  const match: ColumnMatch<K> = { indexes: {}, missing: [], duplicated: [] };
  for (const column of spec.columns) {
    const accepted = new Set(column.headers.map(headerKey));
    const found = keys.filter((cell) => accepted.has(cell.key));
    if (found.length > 0) match.indexes[column.key] = found[0].column;
    if (found.length > 1)
      match.duplicated.push({ field: `column ${column.headers[0]}`, reason: `headed ${found.map((cell) => `"${cell.text}" (column ${columnLetter(cell.column)})`).join(' and ')}: keep one` });
    if (found.length === 0 && column.required) match.missing.push({ field: `column ${column.headers[0]}`, reason: `no column headed ${column.headers.map((text) => `"${text}"`).join(' or ')}` });
  }
  return match;
}

function columnLetter(column: number): string {
  let letters = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
