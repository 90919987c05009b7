import { DomainError, inspectWorkbook, readSheetRows, SheetSpec, WORKBOOK_LIMITS } from '@gongxiao/core';
import { bigWorkbook, notWorkbooks, passwordProtectedFile, workbookOf, workbookParts, xlsFile, zipBomb, zipFile, zipWithEncryptedEntry, zipWithEntries } from '../support/hostile-sheets';

/**
 * Issue 15: hostile or broken uploads get a 422 with a stable code and a message saying what to do,
 * before any parser sees them; the ordinary traps of real sheets (numbers as text, dates, full-width
 * digits, spaces, empty rows, extra sheets) are read as the user sees them.
 */
const TRACKING: SheetSpec<'order' | 'carrier' | 'tracking' | 'quantity' | 'shippedAt'> = {
  columns: [
    { key: 'order', headers: ['发货单号', 'Fulfillment order', '单号'], required: true },
    { key: 'carrier', headers: ['快递公司', 'Carrier', '物流公司'], required: true },
    { key: 'tracking', headers: ['快递单号', 'Tracking number', '运单号'], required: true },
    { key: 'quantity', headers: ['数量', 'Quantity'], required: false },
    { key: 'shippedAt', headers: ['发货时间', 'Shipped at'], required: false },
  ],
  maxRows: 1000,
};

async function refusal(work: () => unknown): Promise<DomainError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('hostile sheets (issue 15)', () => {
  describe('inspection refuses what is not a safe workbook', () => {
    it.each([
      ['an empty file', notWorkbooks.empty, 'the file is empty'],
      ['random bytes', notWorkbooks.randomBytes, 'not a zip-based Office file'],
      ['a PNG', notWorkbooks.png, 'not a zip-based Office file'],
      ['a CSV', notWorkbooks.csv, 'text file (CSV?)'],
      ['a zip without a workbook', notWorkbooks.plainZip, 'xl/workbook.xml is missing'],
    ])('%s → sheet_not_xlsx', async (_, file, fragment) => {
      const error = await refusal(() => readSheetRows(file, TRACKING));
      expect([error.kind, error.code]).toEqual(['unprocessable', 'sheet_not_xlsx']);
      expect(error.message).toContain(fragment);
      expect(error.message).toContain('save it as "Excel Workbook (*.xlsx)"');
    });

    it('an old .xls → sheet_is_xls, a password-protected workbook → sheet_password_protected', async () => {
      const xls = await refusal(() => readSheetRows(xlsFile(), TRACKING));
      expect(xls.code).toBe('sheet_is_xls');
      expect(xls.message).toContain('Excel 97–2003 workbook (.xls)');
      const locked = await refusal(() => readSheetRows(passwordProtectedFile(), TRACKING));
      expect(locked.code).toBe('sheet_password_protected');
      expect(locked.message).toContain('Remove the password (File → Info → Protect Workbook');
      const flagged = await refusal(() => readSheetRows(zipWithEncryptedEntry(), TRACKING));
      expect(flagged.code).toBe('sheet_password_protected');
    });

    it('a 1 GB zip bomb is refused on its declared size, fast and without inflating it', async () => {
      const bomb = await zipBomb(1024 * 1_048_576);
      expect(bomb.length).toBeLessThan(2 * 1_048_576);
      const started = Date.now();
      const error = await refusal(() => readSheetRows(bomb, TRACKING));
      expect(Date.now() - started).toBeLessThan(500);
      expect(error.code).toBe('sheet_zip_bomb');
      expect(error.message).toContain('more than 500 MB');
    });

    it('a bomb that lies about its inflated size in the central directory is stopped while inflating', async () => {
      const liar = await zipBomb(64 * 1_048_576, 1000);
      const error = await refusal(() => readSheetRows(liar, TRACKING));
      expect(error.code).toBe('sheet_zip_bomb');
      expect(error.message).toContain('xl/worksheets/sheet1.xml inflates to more than it declares (1000 bytes)');
      const ratio = await refusal(() => inspectWorkbook(zipFile([...workbookParts(), { name: 'xl/media/zeros.bin', data: Buffer.alloc(50 * 1_048_576) }])));
      expect(ratio.code).toBe('sheet_zip_bomb');
      expect(ratio.message).toMatch(/xl\/media\/zeros\.bin declares \d+× its compressed size \(a workbook compresses at most 200×\)/);
    });

    it('too many parts → sheet_zip_bomb naming the limit', async () => {
      const error = await refusal(() => inspectWorkbook(zipWithEntries(WORKBOOK_LIMITS.maxEntries)));
      expect(error.code).toBe('sheet_zip_bomb');
      expect(error.message).toContain(`has ${WORKBOOK_LIMITS.maxEntries + 5} parts; a workbook has at most 10,000`);
      expect((await inspectWorkbook(zipWithEntries(100))).entries).toBe(105);
    });

    it('data hidden between the parts (a second archive a streaming unzip would read) is refused', async () => {
      const honest = zipFile(workbookParts());
      const end = honest.length - 22;
      const centralOffset = honest.readUInt32LE(end + 16);
      const padded = Buffer.concat([honest.subarray(0, centralOffset), Buffer.from('PK\u0003\u0004hidden'), honest.subarray(centralOffset)]);
      padded.writeUInt32LE(centralOffset + 10, padded.length - 22 + 16);
      const error = await refusal(() => inspectWorkbook(padded));
      expect(error.code).toBe('sheet_not_xlsx');
      expect(error.message).toContain('data between its parts and the central directory');
    });

    it('refuses ZIP64 and compression methods Excel never writes, naming them', async () => {
      const zip64 = zipFile(workbookParts());
      zip64.writeUInt16LE(0xffff, zip64.length - 22 + 10);
      const refused = await refusal(() => inspectWorkbook(zip64));
      expect([refused.code, refused.message]).toEqual(['sheet_not_xlsx', expect.stringContaining('it is a ZIP64 archive')]);
      const bzip = zipFile(workbookParts());
      const central = bzip.readUInt32LE(bzip.length - 22 + 16);
      bzip.writeUInt16LE(12, central + 10);
      const method = await refusal(() => inspectWorkbook(bzip));
      expect([method.code, method.message]).toEqual(['sheet_not_xlsx', expect.stringContaining('[Content_Types].xml uses a compression Excel does not write (method 12)')]);
    });

    // How fast is the benchmark's business (npm run bench: tracking-backfill); here only that a big one passes.
    it('passes a real 100,000-row workbook', async () => {
      const file = await bigWorkbook(100_000);
      const inspection = await inspectWorkbook(file);
      expect(inspection.sheets.map((sheet) => sheet.name)).toEqual(['发货单']);
    });

    it('finds merged ranges wherever the inflated sheet is cut into pieces (it is streamed, never held whole)', async () => {
      const head = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/><!--';
      // "<mergeCells" starting just before, across and after the 256 KB pieces it is inflated in, and far into a big sheet.
      for (const at of [16_384 - 12, 16_384, 262_144 - 5, 262_144, 3 * 262_144 - 3, 1_000_000]) {
        const sheetXml = `${head}${'x'.repeat(at - head.length - 3)}--><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>`;
        expect(sheetXml.indexOf('<mergeCells')).toBe(at);
        expect((await inspectWorkbook(zipFile(workbookParts(sheetXml)))).sheets.map((sheet) => sheet.mergedRanges)).toEqual([['A1:B2']]);
      }
    });
  });

  describe('the sheet read', () => {
    it('refuses merged cells, naming the ranges', async () => {
      const file = await workbookOf([
        {
          name: '发货单',
          rows: [
            ['发货单号', '快递公司', '快递单号'],
            ['1001', '顺丰', 'SF1'],
            ['1002', '顺丰', 'SF2'],
            ['1003', '中通', 'ZT3'],
          ],
          prepare: (sheet) => {
            sheet.mergeCells('B2:B3');
            sheet.mergeCells('A4:C4');
          },
        },
      ]);
      const error = await refusal(() => readSheetRows(file, TRACKING));
      expect(error.code).toBe('sheet_merged_cells');
      expect(error.message).toContain('"发货单" has merged cells (B2:B3, A4:C4)');
      expect(error.message).toContain('Unmerge them');
      expect(error.details).toEqual([
        { field: 'cells B2:B3', reason: 'merged cells' },
        { field: 'cells A4:C4', reason: 'merged cells' },
      ]);
    });

    it('stops past maxRows and refuses naming the limit', async () => {
      const rows = [['发货单号', '快递公司', '快递单号'], ...Array.from({ length: 20 }, (_, index) => [String(index), '顺丰', `SF${index}`])];
      const error = await refusal(async () => readSheetRows(await workbookOf([{ name: 'S', rows }]), { ...TRACKING, maxRows: 5 }));
      expect(error.code).toBe('sheet_too_many_rows');
      expect(error.message).toContain('more than 5 rows; at most 5 are read at once. Split it');
      const exactly = await readSheetRows(await workbookOf([{ name: 'S', rows: rows.slice(0, 6) }]), { ...TRACKING, maxRows: 5 });
      expect(exactly.rows).toHaveLength(5);
    });

    it('accepts synonyms, refuses missing columns naming what is accepted, and a column given twice', async () => {
      const synonyms = await readSheetRows(
        await workbookOf([
          {
            name: 'S',
            rows: [
              ['单号', ' Carrier ', '运单号'],
              ['1001', '顺丰', 'SF1'],
            ],
          },
        ]),
        TRACKING,
      );
      expect(synonyms.rows).toEqual([{ rowNumber: 2, values: { order: '1001', carrier: '顺丰', tracking: 'SF1', quantity: '', shippedAt: '' } }]);
      const renamed = await refusal(async () =>
        readSheetRows(
          await workbookOf([
            {
              name: 'S',
              rows: [
                ['发货单号', '快递', '快递号码'],
                ['1001', '顺丰', 'SF1'],
              ],
            },
          ]),
          TRACKING,
        ),
      );
      expect(renamed.code).toBe('sheet_columns_missing');
      expect(renamed.message).toContain('it has "发货单号", "快递", "快递号码"');
      expect(renamed.details).toEqual([
        { field: 'column 快递公司', reason: 'no column headed "快递公司" or "Carrier" or "物流公司"' },
        { field: 'column 快递单号', reason: 'no column headed "快递单号" or "Tracking number" or "运单号"' },
      ]);
      const twice = await refusal(async () =>
        readSheetRows(
          await workbookOf([
            {
              name: 'S',
              rows: [
                ['发货单号', '快递公司', '快递单号', '运单号'],
                ['1', '顺丰', 'SF1', 'SF2'],
              ],
            },
          ]),
          TRACKING,
        ),
      );
      expect(twice.code).toBe('sheet_columns_duplicated');
      expect(twice.details).toEqual([{ field: 'column 快递单号', reason: 'headed "快递单号" (column C) and "运单号" (column D): keep one' }]);
    });

    it('reads the first sheet whose header fits, naming the others; else reports the first sheet’s missing headers', async () => {
      const file = await workbookOf([
        { name: '说明', rows: [['请在「发货单」表中填写'], ['每行一个包裹']] },
        {
          name: '隐藏',
          hidden: true,
          rows: [
            ['发货单号', '快递公司', '快递单号'],
            ['9', '顺丰', 'SF9'],
          ],
        },
        { name: '发货单', rows: [[], ['发货单号', '快递公司', '快递单号'], ['1001', '顺丰', 'SF1']] },
      ]);
      const read = await readSheetRows(file, TRACKING);
      expect(read.sheetName).toBe('发货单');
      expect(read.ignoredSheets).toEqual(['说明', '隐藏']);
      expect(read.rows).toEqual([{ rowNumber: 3, values: { order: '1001', carrier: '顺丰', tracking: 'SF1', quantity: '', shippedAt: '' } }]);
      const none = await refusal(async () =>
        readSheetRows(
          await workbookOf([
            { name: '说明', rows: [['备注']] },
            { name: '其他', rows: [['A']] },
          ]),
          TRACKING,
        ),
      );
      expect(none.code).toBe('sheet_columns_missing');
      expect(none.message).toContain('The header row of "说明"');
    });

    it('follows the tab order of the workbook, not the order of its files', async () => {
      const sheetXml = (order: string) =>
        Buffer.from(
          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
            '<row r="1"><c r="A1" t="inlineStr"><is><t>发货单号</t></is></c><c r="B1" t="inlineStr"><is><t>快递公司</t></is></c><c r="C1" t="inlineStr"><is><t>快递单号</t></is></c></row>' +
            `<row r="2"><c r="A2" t="inlineStr"><is><t>${order}</t></is></c><c r="B2" t="inlineStr"><is><t>顺丰</t></is></c><c r="C2" t="inlineStr"><is><t>SF${order}</t></is></c></row></sheetData></worksheet>`,
        );
      const parts = workbookParts().filter((part) => !part.name.startsWith('xl/worksheets/') && !part.name.startsWith('xl/workbook') && !part.name.startsWith('xl/_rels'));
      const relationship = (id: number) => `<Relationship Id="rId${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${id}.xml"/>`;
      parts.push(
        {
          name: 'xl/workbook.xml',
          data: Buffer.from(
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="今天" sheetId="2" r:id="rId2"/><sheet name="昨天" sheetId="1" r:id="rId1"/></sheets></workbook>',
          ),
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data: Buffer.from(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationship(1)}${relationship(2)}</Relationships>`),
        },
        { name: 'xl/worksheets/sheet1.xml', data: sheetXml('1') },
        { name: 'xl/worksheets/sheet2.xml', data: sheetXml('2') },
      );
      const file = zipFile(parts);
      expect((await inspectWorkbook(file)).sheets.map((sheet) => [sheet.name, sheet.path])).toEqual([
        ['今天', 'xl/worksheets/sheet2.xml'],
        ['昨天', 'xl/worksheets/sheet1.xml'],
      ]);
      const read = await readSheetRows(file, TRACKING);
      expect([read.sheetName, read.ignoredSheets, read.rows.map((row) => row.values.tracking)]).toEqual(['今天', ['昨天'], ['SF2']]);
    });

    it('reads values as the user sees them', async () => {
      const shipped = new Date(Date.UTC(2026, 11, 1, 10, 30));
      const file = await workbookOf([
        {
          name: '发货单',
          rows: [
            ['发货单号', '快递公司', '快递单号', '数量', '发货时间'],
            [1001, '顺丰 ', 13800138000, '3', shipped],
            [],
            ['　１００２　', 'ＳＦ　Express', '０１２３４５', 2.0, '2026/12/1'],
            [null, null, null, null, null],
            [1003.5, { richText: [{ text: '中' }, { text: '通' }] }, { formula: 'A1&"x"', result: 'ZT-9' }, true, 46357],
            ['1004', '韵达', { text: 'YD 1', hyperlink: 'https://example.com' }, 0.1 + 0.2, new Date(Date.UTC(2026, 11, 2))],
          ],
          prepare: (sheet) => {
            sheet.getCell('E2').numFmt = 'yyyy-mm-dd hh:mm';
            sheet.getCell('E7').numFmt = 'yyyy"年"m"月"d"日"';
          },
        },
      ]);
      const read = await readSheetRows(file, TRACKING);
      expect(read.rows).toEqual([
        { rowNumber: 2, values: { order: '1001', carrier: '顺丰', tracking: '13800138000', quantity: '3', shippedAt: '2026-12-01 10:30' } },
        { rowNumber: 4, values: { order: '1002', carrier: 'SF Express', tracking: '012345', quantity: '2', shippedAt: '2026/12/1' } },
        { rowNumber: 6, values: { order: '1003.5', carrier: '中通', tracking: 'ZT-9', quantity: 'TRUE', shippedAt: '46357' } },
        { rowNumber: 7, values: { order: '1004', carrier: '韵达', tracking: 'YD 1', quantity: '0.3', shippedAt: '2026-12-02' } },
      ]);
    });

    it('reads shared strings stored after the sheet (as Excel writes them), however small', async () => {
      const sheet =
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
        '<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="inlineStr"><is><t>SF1</t></is></c></row></sheetData></worksheet>';
      const strings = ['发货单号', '快递公司', '快递单号', '顺丰'].map((text) => `<si><t>${text}</t></si>`).join('');
      const parts = [...workbookParts(sheet), { name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings}</sst>`) }];
      for (let attempt = 0; attempt < 3; attempt++) {
        const read = await readSheetRows(zipFile(parts), TRACKING);
        expect(read.rows).toEqual([{ rowNumber: 2, values: { order: '1001', carrier: '顺丰', tracking: 'SF1', quantity: '', shippedAt: '' } }]);
      }
    });

    it('refuses a long number Excel has rounded, naming the row and column', async () => {
      const file = await workbookOf([
        {
          name: 'S',
          rows: [
            ['发货单号', '快递公司', '快递单号'],
            ['1', '顺丰', 'SF1'],
            ['2', '顺丰', 123456789012345000],
          ],
        },
      ]);
      const error = await refusal(() => readSheetRows(file, TRACKING));
      expect(error.code).toBe('sheet_number_rounded');
      expect(error.message).toContain('Format those columns as Text');
      expect(error.details).toEqual([{ field: 'row 3 column 快递单号', reason: '123456789012345000 was typed as a number and rounded by Excel' }]);
    });
  });
});
