import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { rejectedRowsWorkbook } from './rejected-rows';
import { looksLikeFormula, safeXlsxText, TEXT_COLUMN_STYLE, writeTextCell } from './xlsx-text';

const HOSTILE = ['=1+1', '=HYPERLINK("http://evil.example","click")', '+8613800000000', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1'];
/** As written and read back: unchanged, but for a CR, which XML keeps only as a line break (LF). */
const WRITTEN = HOSTILE.map((text) => text.replace('\r', '\n'));

async function readBack(file: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

describe('formula-looking text in the sheets we write', () => {
  it('knows what starts like a formula, and keeps the text unchanged', () => {
    expect(HOSTILE.every(looksLikeFormula)).toBe(true);
    expect(['张三', 'a=b', 'SF1', ''].some(looksLikeFormula)).toBe(false);
    expect(HOSTILE.map(safeXlsxText)).toEqual(WRITTEN);
    expect([safeXlsxText(null), safeXlsxText(undefined), safeXlsxText(12n)]).toEqual(['', '', '12']);
  });

  it('writeTextCell: "=1+1" reads back as the string "=1+1", not a formula, with the Text format', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    HOSTILE.forEach((text, index) => writeTextCell(sheet.getCell(index + 1, 1), text));
    const back = await readBack(Buffer.from(await workbook.xlsx.writeBuffer()));
    for (const [index, text] of WRITTEN.entries()) {
      const cell = back.getCell(index + 1, 1);
      expect([cell.value, cell.type, cell.numFmt]).toEqual([text, ExcelJS.ValueType.String, '@']);
    }
  });

  it('a streaming writer’s Text column (as the exports use) writes inline strings with the Text format', async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet('S');
    sheet.columns = [{ key: 'code', header: 'Code', style: TEXT_COLUMN_STYLE }];
    for (const text of HOSTILE) sheet.addRow({ code: safeXlsxText(text) }).commit();
    sheet.commit();
    await workbook.commit();
    const back = await readBack(Buffer.concat(chunks));
    const cells = HOSTILE.map((_, index) => back.getCell(index + 2, 1));
    expect(cells.map((cell) => [cell.value, cell.type, cell.numFmt])).toEqual(WRITTEN.map((text) => [text, ExcelJS.ValueType.String, '@']));
  });

  it('the rejected-rows workbook gives the user’s cells back unchanged, as Text cells', async () => {
    const file = await rejectedRowsWorkbook({
      sheetName: '退回',
      headers: ['快递单号', '备注'],
      reasonHeader: '原因',
      rowNumberHeader: '行号',
      rows: [{ rowNumber: 7, cells: ['=1+1', '@x'], reason: '-无此单' }],
    });
    const back = await readBack(file);
    const row = back.getRow(2);
    expect([1, 2, 3, 4].map((column) => row.getCell(column).value)).toEqual(['=1+1', '@x', '-无此单', 7]);
    expect([1, 2, 3].map((column) => [row.getCell(column).type, row.getCell(column).numFmt])).toEqual(Array(3).fill([ExcelJS.ValueType.String, '@']));
  });
});
