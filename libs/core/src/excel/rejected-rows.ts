import ExcelJS from 'exceljs';
import { writeTextCell } from './xlsx-text';

/** A row the upload refused: the cells as the user sent them (in the columns of `headers`) and why, in the user's language. */
export interface RejectedRow {
  rowNumber: number;
  cells: string[];
  reason: string;
}

/**
 * The rejected rows as an .xlsx the user can fix and upload again: the same headers as the upload
 * (so it is accepted as it is), a reason column last, and the original row number. The user's cells
 * come back exactly as sent, as text cells with the Text format (formula-looking text stays text).
 */
export async function rejectedRowsWorkbook(input: { sheetName: string; headers: string[]; reasonHeader: string; rowNumberHeader: string; rows: RejectedRow[] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(input.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [...input.headers.map((header) => ({ header, width: 16 })), { header: input.reasonHeader, width: 40 }, { header: input.rowNumberHeader, width: 10 }];
  sheet.getRow(1).font = { bold: true };
  for (const row of input.rows) {
    const added = sheet.addRow([]);
    [...input.headers.map((_, index) => row.cells[index] ?? ''), row.reason].forEach((text, index) => writeTextCell(added.getCell(index + 1), text));
    added.getCell(input.headers.length + 2).value = row.rowNumber;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
