import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { workbookParts, zipFile } from '../../../../test/support/hostile-sheets';
import { normalizeCellText, readSheetRows, SheetSpec } from './sheet-reader';
import { sheetCellText } from './sheet-cell-text';
import { decodeXmlText } from './xml-text';
import { inspectWorkbook } from './workbook-inspection';
import { partNamed, partPieces } from './xlsx-parts';

const COLUMNS = 5;
const SPEC: SheetSpec<string> = { maxRows: 1000, columns: Array.from({ length: COLUMNS }, (_, index) => ({ key: `c${index}`, headers: [`列${index}`], required: true })) };

/** Cell values of every kind a person or a program puts in a sheet. */
const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', ' ', '&', '<', '>', '"', "'", '中', '顺', '丰', '_', 'x', '—', '１', '\u3000', '\n') }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => new Date(Math.round(date.getTime() / 1000) * 1000)),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }).map((texts) => ({ richText: texts.map((text) => ({ text, font: { bold: true } })) })),
  // exceljs' full reader drops a cached result of 0 and reads a text result in a date column as a date (the scanner does neither): the oracle is given neither.
  fc.integer({ min: 1, max: 100_000 }).map((result) => ({ formula: 'A1', result })),
);

const grid = fc.array(fc.array(cellValue, { minLength: COLUMNS, maxLength: COLUMNS }), { minLength: 1, maxLength: 12 });

async function writeBook(rows: ExcelJS.CellValue[][], writer: 'workbook' | 'stream' | 'stream-shared'): Promise<Buffer> {
  const headers = SPEC.columns.map((column) => column.headers[0]);
  const fill = (sheet: ExcelJS.Worksheet) => {
    sheet.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm';
    sheet.addRow(headers).commit?.();
    for (const values of rows) sheet.addRow(values).commit?.();
  };
  if (writer === 'workbook') {
    const book = new ExcelJS.Workbook();
    fill(book.addWorksheet('发货单'));
    return Buffer.from(await book.xlsx.writeBuffer());
  }
  const chunks: Buffer[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _: unknown, done: () => void) => (chunks.push(chunk), done()) });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: writer === 'stream-shared', useStyles: true });
  const sheet = book.addWorksheet('发货单');
  fill(sheet);
  sheet.commit();
  await book.commit();
  return Buffer.concat(chunks);
}

/** The oracle: exceljs' full (non-streaming) reader, each cell's text as `sheetCellText` shows it. */
async function expectedRows(file: Buffer): Promise<{ rowNumber: number; values: Record<string, string> }[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const rows: { rowNumber: number; values: Record<string, string> }[] = [];
  book.worksheets[0].eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const values: Record<string, string> = {};
    SPEC.columns.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      values[column.key] = normalizeCellText(sheetCellText(cell.value, cell.numFmt));
    });
    if (Object.values(values).some((text) => text !== '')) rows.push({ rowNumber, values });
  });
  return rows;
}

describe('the workbook scanner (readSheetRows without exceljs)', () => {
  it('reads every kind of cell as exceljs does, from each of its writers', async () => {
    await fc.assert(
      fc.asyncProperty(grid, fc.constantFrom('workbook' as const, 'stream' as const, 'stream-shared' as const), async (rows, writer) => {
        const file = await writeBook(rows, writer);
        const expected = await expectedRows(file);
        if (expected.length === 0) return;
        expect((await readSheetRows(file, SPEC)).rows).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a sheet of many pieces (several MB of XML) whole, each row once, none cut at a piece boundary', async () => {
    const rows = Array.from({ length: 20_000 }, (_, index) => [
      `FO-${index}`,
      index,
      `SF${String(index).padStart(12, '0')}`,
      index % 7 === 0 ? null : '顺丰速运 & <中通>',
      new Date(Date.UTC(2026, 11, 1 + (index % 28))),
    ]);
    const file = await writeBook(rows, 'stream-shared');
    const read = await readSheetRows(file, { ...SPEC, maxRows: 50_000 });
    expect(read.rows).toHaveLength(20_000);
    expect(read.rows.every((row, index) => row.rowNumber === index + 2 && row.values.c0 === `FO-${index}` && row.values.c1 === String(index))).toBe(true);
    expect(read.rows[14].values).toEqual({ c0: 'FO-14', c1: '14', c2: 'SF000000000014', c3: '', c4: '2026-12-15' });
    expect(read.rows[19_998].values.c3).toBe('顺丰速运 & <中通>');
  });

  describe('hostile XML costs time in proportion to its size, and is refused', () => {
    const header = `<row r="1">${SPEC.columns.map((column) => `<c t="inlineStr"><is><t>${column.headers[0]}</t></is></c>`).join('')}</row>`;
    const noise = (index: number) => (index * 2654435761).toString(16).slice(-8);
    const sheet = (data: string) => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${data}</sheetData></worksheet>`;
    const refusedAs = async (file: Buffer) => {
      try {
        await readSheetRows(file, SPEC);
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'read';
    };

    it('cells opened and never closed (a backtracking pattern would take hours)', async () => {
      const cells = Array.from({ length: 200_000 }, (_, index) => `<c r="A2"><v>${noise(index)}</v>`).join('');
      expect(await refusedAs(zipFile(workbookParts(sheet(`<row r="2">${cells}</row>`))))).toBe('sheet_unreadable');
    });

    it('tags never ended, and shared strings never closed', async () => {
      const tags = Array.from({ length: 200_000 }, (_, index) => `<c r="A2" s="${noise(index)}"`).join('');
      expect(await refusedAs(zipFile(workbookParts(sheet(`<row r="2">${tags}</row>`))))).not.toBe('read');
      const strings = Array.from({ length: 200_000 }, (_, index) => `<si><t>${noise(index)}</t>`).join('');
      const parts = [...workbookParts(sheet('<row r="2"><c t="s"><v>0</v></c></row>')), { name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst>${strings}</sst>`) }];
      expect(await refusedAs(zipFile(parts))).toBe('sheet_unreadable');
    });

    it('a sheet that never closes a row within the piece limit (32 MB; 2 MB here)', async () => {
      const cells = Array.from({ length: 200_000 }, (_, index) => `<c><v>${noise(index)}</v></c>`).join('');
      const file = zipFile(workbookParts(sheet(`<row r="2">${cells}`)));
      const part = partNamed(await inspectWorkbook(file), 'xl/worksheets/sheet1.xml')!;
      const pieces = async () => {
        for await (const piece of partPieces(file, part, 'row', 2 * 1_048_576)) expect(piece.length).toBeLessThan(3 * 1_048_576);
      };
      await expect(pieces()).rejects.toThrow('more than 2 MB of XML without a </row>');
    });
  });

  it('decodes entities, character references and Office _xHHHH_ escapes, and leaves an unknown entity as written', () => {
    expect(decodeXmlText('a&lt;b&gt;&amp;&quot;&apos;&#20013;&#x4E2D;_x000D__x005F_x0041_&nbsp;')).toBe('a<b>&"\'中中\r_x0041_&nbsp;');
    expect(decodeXmlText('&amp;<![CDATA[&amp;<x>]]>&lt;')).toBe('&&amp;<x><');
  });

  it('reads rich inline strings whole, without their phonetic guides, and cells and rows without references', async () => {
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      `<row>${SPEC.columns.map((column) => `<c t="inlineStr"><is><t>${column.headers[0]}</t></is></c>`).join('')}</row>` +
      '<row><c t="inlineStr"><is><r><t>顺</t></r><r><rPr><b/></rPr><t xml:space="preserve">丰 </t></r><rPh><t>しゅん</t></rPh></is></c><c t="b"><v>1</v></c><c t="str"><f>A1&amp;"x"</f><v>a&amp;b</v></c><c t="d"><v>2026-12-01T08:30:00</v></c><c><v>0012</v></c></row>' +
      '<row r="9"><c r="A9" t="e"><v>#N/A</v></c><c r="E9" s="0"><f>A1</f><v>0</v></c></row>' +
      '</sheetData></worksheet>';
    const read = await readSheetRows(zipFile(workbookParts(sheet)), SPEC);
    expect(read.rows).toEqual([
      { rowNumber: 2, values: { c0: '顺丰', c1: 'TRUE', c2: 'a&b', c3: '2026-12-01 08:30', c4: '12' } },
      { rowNumber: 9, values: { c0: '#N/A', c1: '', c2: '', c3: '', c4: '0' } },
    ]);
  });
});
