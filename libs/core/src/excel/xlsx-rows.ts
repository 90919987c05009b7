import { sheetDateText, sheetNumberText } from './sheet-cell-text';
import { partPieces } from './xlsx-parts';
import { WorkbookPart } from './workbook-inspection';
import { closingTag, DamagedXmlError, decodeXmlText, firstElementContent, runsText } from './xml-text';

/** A cell as written: its column (1 = A), its tag's attributes and its content, read when its text is asked for. */
export interface XlsxCell {
  column: number;
  attributes: string;
  /** What is between `<c …>` and `</c>`; undefined for `<c …/>`. */
  content: string | undefined;
}

/** A row of a worksheet: its number (1-based, as the sheet numbers it) and its cells in column order. */
export interface XlsxRow {
  number: number;
  cells: XlsxCell[];
}

/** What a cell's text depends on beyond the cell: the shared strings, which styles show dates, the workbook's date system. */
export interface XlsxCellContext {
  strings: string[];
  dateStyles: boolean[];
  date1904: boolean;
}

/**
 * One worksheet's rows and cells: a regular expression finds the tags that matter (a row opening or
 * closing, a cell, the end of sheetData) in each piece of its XML, and a cell's end is found by a
 * forward search. A spreadsheet upload needs the text of a few columns, so nothing is built per node (as
 * an XML parser does for exceljs): a cell is two slices until its text is asked for. Names may carry a
 * namespace prefix (`<x:row>`); a DOCTYPE is never read. Nothing backtracks over more than one tag, so a
 * hostile sheet costs time in proportion to its size.
 */
const SHEET_TAG = /<(\/)?(?:\w+:)?(row|sheetData|c)(?=[\s>/])([^<>]*?)(\/?)>/g;
const ROW_NUMBER = /(?:^|\s)r\s*=\s*["'](\d+)/;
const CELL_COLUMN = /(?:^|\s)r\s*=\s*["']([A-Za-z]+)/;
const CELL_TYPE = /(?:^|\s)t\s*=\s*["'](\w+)/;
const CELL_STYLE = /(?:^|\s)s\s*=\s*["'](\d+)/;

/** Which columns' cells the rows keep; `columns` may be set (and changed) between rows: once a header row says which columns matter, the rest are skipped. */
export interface XlsxRowFilter {
  columns: Set<number> | undefined;
}

/**
 * Every row of one worksheet part in order, to `onRow` (which returns false to stop: the rest is
 * never inflated). Rows and cells without an `r` attribute follow the previous one, as Excel reads them.
 */
export async function scanWorksheetRows(file: Buffer, part: WorkbookPart, onRow: (row: XlsxRow) => boolean | void, filter: XlsxRowFilter = { columns: undefined }): Promise<void> {
  let row: XlsxRow | undefined;
  let lastRow = 0;
  let lastColumn = 0;
  for await (const piece of partPieces(file, part, 'row')) {
    SHEET_TAG.lastIndex = 0;
    for (let match = SHEET_TAG.exec(piece); match; match = SHEET_TAG.exec(piece)) {
      const [, closing, name, attributes, selfClosing] = match;
      if (name === 'sheetData') {
        if (closing) return;
      } else if (name === 'row') {
        if (closing) {
          if (row && onRow(row) === false) return;
          row = undefined;
          continue;
        }
        const number = ROW_NUMBER.exec(attributes)?.[1];
        lastRow = number === undefined ? lastRow + 1 : parseInt(number, 10);
        lastColumn = 0;
        row = { number: lastRow, cells: [] };
        if (selfClosing && onRow(row) === false) return;
        if (selfClosing) row = undefined;
      } else if (!closing) {
        let content: string | undefined;
        if (!selfClosing) {
          const close = closingTag(piece, SHEET_TAG.lastIndex, 'c');
          if (!close) throw new DamagedXmlError(`a cell of row ${lastRow} is never closed`);
          content = piece.slice(SHEET_TAG.lastIndex, close.start);
          SHEET_TAG.lastIndex = close.end;
        }
        if (!row) continue;
        const letters = CELL_COLUMN.exec(attributes)?.[1];
        lastColumn = letters === undefined ? lastColumn + 1 : columnNumber(letters);
        if (!filter.columns || filter.columns.has(lastColumn)) row.cells.push({ column: lastColumn, attributes, content });
      }
    }
  }
}

/** "AB" (or "AB12") → 28. */
export function columnNumber(reference: string): number {
  let column = 0;
  for (let at = 0; at < reference.length; at++) {
    const code = reference.charCodeAt(at) | 0x20;
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column;
}

/**
 * A cell's value as the text a person sees in it (before folding), like `sheetCellText` of what
 * exceljs reads, and whether it is a number Excel has rounded (16 digits or more). Numbers in a date
 * style are dates on the wall clock; booleans TRUE/FALSE; errors their code; formulas their cached
 * result; a cell without a value ''.
 */
export function xlsxCellText(cell: XlsxCell, context: XlsxCellContext): { text: string; rounded: boolean } {
  const none = { text: '', rounded: false };
  if (cell.content === undefined) return none;
  const type = CELL_TYPE.exec(cell.attributes)?.[1] ?? 'n';
  if (type === 'inlineStr') {
    const inline = firstElementContent(cell.content, 'is');
    return inline === undefined ? none : { text: runsText(inline), rounded: false };
  }
  const value = firstElementContent(cell.content, 'v');
  if (value === undefined) return none;
  const raw = decodeXmlText(value);
  switch (type) {
    case 's':
      return { text: context.strings[parseInt(raw, 10)] ?? '', rounded: false };
    case 'str':
    case 'e':
      return { text: raw, rounded: false };
    case 'b':
      return { text: raw.trim() === '' ? '' : /^(?:true|-?[1-9]\d*)$/i.test(raw.trim()) ? 'TRUE' : 'FALSE', rounded: false };
    case 'd':
      return { text: isoDateText(raw), rounded: false };
    default:
      return numberText(raw, Number(CELL_STYLE.exec(cell.attributes)?.[1] ?? 0), context);
  }
}

function numberText(raw: string, style: number, context: XlsxCellContext): { text: string; rounded: boolean } {
  const trimmed = raw.trim();
  const number = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(number)) return { text: raw, rounded: false };
  if (context.dateStyles[style]) return { text: sheetDateText(new Date(Math.round((number - 25569 + (context.date1904 ? 1462 : 0)) * 86_400_000))), rounded: false };
  return { text: sheetNumberText(number), rounded: Math.abs(number) >= 1e15 };
}

/** A `t="d"` cell holds an ISO 8601 date; without a zone it is the wall clock. */
function isoDateText(raw: string): string {
  const text = raw.trim();
  const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(text);
  const date = new Date(zoned || !/T|\d:\d/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? text : sheetDateText(date);
}
