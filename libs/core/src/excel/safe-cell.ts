/**
 * A CSV field that a spreadsheet program will never run as a formula (CSV/formula injection): text
 * starting with = + - @ or a control character is prefixed with '. For CSV only: an .xlsx cell
 * keeps its text unchanged (`safeXlsxText` / `writeTextCell` with the Text format).
 */
export function safeCellText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}
