import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { rememberNumberFormatStyles, sheetDrained } from './streaming-writer';

/** A sheet of text, price and plain columns under a bold header, written with exceljs' streaming writer into `output`. */
async function writeSheet(output: Writable, options: { remember: boolean; rows: number; drain?: number; afterBatch?: (waiting: number) => void }): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  if (options.remember) rememberNumberFormatStyles(workbook);
  const sheet = workbook.addWorksheet('发货单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '手机', key: 'phone', style: { numFmt: '@' } },
    { header: '供货价(元)', key: 'price', style: { numFmt: '0.00' } },
    { header: '数量', key: 'quantity' },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (let row = 0; row < options.rows; row++) {
    sheet.addRow([`0571${String(row).padStart(8, '0')}`, row / 100, row]).commit();
    if (row % 1000 !== 999) continue;
    if (options.drain !== undefined) await sheetDrained(sheet, options.drain);
    options.afterBatch?.(waitingBytes(sheet));
  }
  sheet.commit();
  await workbook.commit();
}

/** The sheet's XML that waits for the zip (exceljs 4.4 internals: its stream's one pipe). */
function waitingBytes(sheet: ExcelJS.Worksheet): number {
  const pipes = (sheet as unknown as { stream: { pipes: { _writableState: { length: number } }[] } }).stream.pipes;
  return pipes.reduce((sum, pipe) => sum + pipe._writableState.length, 0);
}

async function workbookBytes(options: { remember: boolean; rows: number }): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeSheet(output, options);
  return Buffer.concat(chunks);
}

async function cellsOf(file: Buffer): Promise<{ values: unknown[][]; formats: (string | undefined)[]; bold: boolean | undefined }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  return {
    values: sheet.getSheetValues().slice(1) as unknown[][],
    formats: [1, 2, 3].map((column) => sheet.getRow(2).getCell(column).numFmt),
    bold: sheet.getRow(1).getCell(1).font?.bold,
  };
}

describe('rememberNumberFormatStyles', () => {
  it('writes the same cells, number formats and header style as exceljs alone', async () => {
    const [plain, remembered] = await Promise.all([workbookBytes({ remember: false, rows: 50 }), workbookBytes({ remember: true, rows: 50 })]);
    const [expected, actual] = await Promise.all([cellsOf(plain), cellsOf(remembered)]);
    expect(actual).toEqual(expected);
    expect(actual.formats).toEqual(['@', '0.00', undefined]);
    expect(actual.bold).toBe(true);
    expect(actual.values[1]).toEqual([undefined, '057100000000', 0, 0]);
  });
});

describe('sheetDrained', () => {
  it('keeps what waits for the zip under the limit for a slow reader (without it, the sheet piles up), and the file is whole', async () => {
    const slowReader = () => {
      const chunks: Buffer[] = [];
      const output = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          setTimeout(done, 2);
        },
      });
      return { output, bytes: () => Buffer.concat(chunks) };
    };
    const limit = 256 * 1024;
    const drained = slowReader();
    const waited: number[] = [];
    await writeSheet(drained.output, { remember: true, rows: 20_000, drain: limit, afterBatch: (waiting) => waited.push(waiting) });
    expect(Math.max(...waited)).toBeLessThanOrEqual(limit);
    expect((await cellsOf(drained.bytes())).values).toHaveLength(20_001);

    const undrained = slowReader();
    const piled: number[] = [];
    await writeSheet(undrained.output, { remember: true, rows: 20_000, afterBatch: (waiting) => piled.push(waiting) });
    expect(Math.max(...piled)).toBeGreaterThan(limit);
  });

  it('returns at once for a sheet whose zip keeps up', async () => {
    const output = new PassThrough();
    output.resume();
    await expect(writeSheet(output, { remember: true, rows: 3000, drain: 4 * 1_048_576 })).resolves.toBeUndefined();
  });
});
