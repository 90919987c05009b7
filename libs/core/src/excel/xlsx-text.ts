import type ExcelJS from 'exceljs';

/** Excel's Text number format: what is typed into such a cell stays text (an edit never turns "=1+1" into a formula). */
export const TEXT_FORMAT = '@';

/** Starts like a formula (or a DDE payload) once someone edits the cell: = + - @, tab, CR or LF. */
export const looksLikeFormula = (text: string) => /^[=+\-@\t\r\n]/.test(text);

/**
 * Text for an .xlsx cell, unchanged (no apostrophe: the user reads it and may upload it again).
 * exceljs writes a string as a shared or inline string, which Excel shows as text and never
 * evaluates on open; the cell (or its column) must have `TEXT_FORMAT` so an edit keeps it text.
 * exceljs 4.4 cannot write the xf's quotePrefix="1" (its style xforms do not know it), so the
 * Text format is the guard. Line breaks become LF (an XML reader turns a bare CR into LF anyway:
 * this way what we write is what is read back). For CSV, where every field is evaluated, use `safeCellText`.
 */
export function safeXlsxText(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\r\n?/g, '\n');
}

/** Writes `value` into `cell` as text with the Text format (see `safeXlsxText`). */
export function writeTextCell(cell: ExcelJS.Cell, value: string | number | bigint | null | undefined): void {
  cell.value = safeXlsxText(value);
  cell.numFmt = TEXT_FORMAT;
}

/** Column style for text columns of a sheet written with exceljs (every cell added below inherits it). */
export const TEXT_COLUMN_STYLE: Partial<ExcelJS.Style> = { numFmt: TEXT_FORMAT };
