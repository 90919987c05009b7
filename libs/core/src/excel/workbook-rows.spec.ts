import ExcelJS from 'exceljs';
import { inspectWorkbook } from './workbook-inspection';
import { refuseEmptySheet, SheetSpec } from './sheet-reader';

const SPEC: SheetSpec<'order' | 'tracking'> = {
  maxRows: 100,
  columns: [
    { key: 'order', headers: ['发货单号', 'Fulfillment order'], required: true },
    { key: 'tracking', headers: ['快递单号', 'Tracking number'], required: true },
  ],
};

async function workbook(sheets: { name: string; rows: (string | number | null)[][] }[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const sheet of sheets) book.addWorksheet(sheet.name).addRows(sheet.rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The upload's quick look at a workbook: how many rows hold values (0, 1, 2 = two or more), and the empty-sheet refusal built on it. */
describe('rows with values (inspectWorkbook) and refuseEmptySheet', () => {
  it('counts rows holding values, up to two, per sheet', async () => {
    const inspection = await inspectWorkbook(
      await workbook([
        { name: 'none', rows: [] },
        { name: 'header', rows: [['发货单号', '快递单号']] },
        {
          name: 'data',
          rows: [
            ['发货单号', '快递单号'],
            ['1', 'SF1'],
            ['2', 'SF2'],
          ],
        },
        { name: 'numbers', rows: [[1], [2]] },
      ]),
    );
    expect(inspection.sheets.map((sheet) => [sheet.name, sheet.rowsWithValues])).toEqual([
      ['none', 0],
      ['header', 1],
      ['data', 2],
      ['numbers', 2],
    ]);
  });

  it('counts rows whose values come after the first inflated pieces (the sheet streams past in 256 KB pieces)', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('padded');
    // 6,000 rows of formatted but empty cells (no values): ~600 KB of XML before the first value.
    for (let row = 1; row <= 6_000; row += 1) for (const column of [1, 2, 3]) sheet.getCell(row, column).numFmt = '@';
    sheet.getCell(6_001, 1).value = '发货单号';
    sheet.getCell(6_002, 1).value = '1';
    const file = Buffer.from(await book.xlsx.writeBuffer());
    expect((await inspectWorkbook(file)).sheets.map((entry) => entry.rowsWithValues)).toEqual([2]);
  });

  it('refuses a header row with nothing under it, in the language asked for, and lets a sheet with rows through', async () => {
    await expect(refuseEmptySheet(await workbook([{ name: '发货单', rows: [['发货单号', '快递单号']] }]), SPEC)).rejects.toMatchObject({
      code: 'sheet_empty',
      message: expect.stringContaining('工作表「发货单」只有表头'),
    });
    await expect(refuseEmptySheet(await workbook([{ name: 'S', rows: [['Fulfillment order', 'Tracking number']] }]), SPEC, { language: 'en' })).rejects.toMatchObject({
      code: 'sheet_empty',
      message: expect.stringContaining('The sheet "S" has its header row but no data rows'),
    });
    await expect(
      refuseEmptySheet(
        await workbook([
          {
            name: 'S',
            rows: [
              ['发货单号', '快递单号'],
              ['1', 'SF1'],
            ],
          },
        ]),
        SPEC,
      ),
    ).resolves.toBeUndefined();
  });

  it('leaves what it cannot tell at a glance to the worker: missing columns, an empty workbook sheet beside a filled one', async () => {
    // Missing columns are the worker's to report (by name), not an empty sheet.
    await expect(refuseEmptySheet(await workbook([{ name: 'S', rows: [['订单号']] }]), SPEC)).resolves.toBeUndefined();
    // The headers on one sheet, the rows on another that has them too: not empty.
    const split = await workbook([
      { name: 'notes', rows: [['发货单号', '快递单号']] },
      {
        name: 'rows',
        rows: [
          ['发货单号', '快递单号'],
          ['1', 'SF1'],
        ],
      },
    ]);
    await expect(refuseEmptySheet(split, SPEC)).resolves.toBeUndefined();
  });
});
