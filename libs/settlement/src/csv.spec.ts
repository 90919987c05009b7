import fc from 'fast-check';
import { csvField, csvLine, csvText, parseCsv } from './csv';

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect([csvField('a'), csvField('a,b'), csvField('say "hi"'), csvField('two\nlines')]).toEqual(['a', '"a,b"', '"say ""hi"""', '"two\nlines"']);
  });

  it('neutralises formula-looking text', () => {
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText('+86138')).toBe("'+86138");
    expect(csvText(null)).toBe('');
  });

  it('parses quoted fields, CRLF and LF, a BOM, and keeps each record’s first line number', () => {
    const text = '\uFEFF订单号,金额\r\nA-1,"1,234.56"\n"B ""2""","multi\nline"\r\n\r\nC,3\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['订单号', '金额'] },
      { line: 2, fields: ['A-1', '1,234.56'] },
      { line: 3, fields: ['B "2"', 'multi\nline'] },
      { line: 6, fields: ['C', '3'] },
    ]);
  });

  it('reads back what it writes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((row) => csvLine(row.map(csvField))).join('');
        expect(parseCsv(text).map((record) => record.fields)).toEqual(rows);
      }),
    );
  });
});
