import { isDateFormat, isRoundedNumber, sheetCellText, sheetDateText, sheetNumberText } from './sheet-cell-text';

describe('sheetCellText', () => {
  it.each([
    [13800138000, '13800138000'],
    [13800138000.0, '13800138000'],
    [1e21, '1000000000000000000000'],
    [0.1 + 0.2, '0.3'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [1e-7, '0.0000001'],
    [123456789012345680, '123456789012346000'],
    [0, '0'],
  ])('shows the number %p as Excel does: %j', (value, text) => expect(sheetNumberText(value)).toBe(text));

  it('shows dates on the wall clock exceljs reads (UTC fields), with the time only when there is one', () => {
    expect(sheetDateText(new Date(Date.UTC(2026, 11, 1)))).toBe('2026-12-01');
    expect(sheetDateText(new Date(Date.UTC(2026, 11, 1, 10, 30)))).toBe('2026-12-01 10:30');
    expect(sheetDateText(new Date(Date.UTC(2026, 11, 1, 10, 29, 59, 999)))).toBe('2026-12-01 10:30');
    expect(sheetDateText(new Date(Date.UTC(2026, 11, 1, 10, 30, 15)))).toBe('2026-12-01 10:30:15');
  });

  it('reads a formula’s cached result, a date-formatted number as a date, booleans, rich text, hyperlinks and errors', () => {
    expect(sheetCellText({ formula: 'A1*2', result: 46357.4375 }, 'yyyy-mm-dd hh:mm')).toBe('2026-12-01 10:30');
    expect(sheetCellText({ formula: 'A1&""', result: 'SF1' })).toBe('SF1');
    expect(sheetCellText(46357, 'yyyy"年"m"月"d"日"')).toBe('2026-12-01');
    expect(sheetCellText(46357, '0.00')).toBe('46357');
    expect(sheetCellText(true)).toBe('TRUE');
    expect(sheetCellText({ richText: [{ text: '顺' }, { text: '丰' }] })).toBe('顺丰');
    expect(sheetCellText({ text: 'SF1', hyperlink: 'https://example.com' })).toBe('SF1');
    expect(sheetCellText({ error: '#N/A' })).toBe('#N/A');
    expect(sheetCellText(null)).toBe('');
  });

  it('knows date formats and rounded numbers', () => {
    expect(['yyyy-mm-dd', 'm/d/yy h:mm', '[$-804]yyyy"年"m"月"d"日"', 'hh:mm:ss'].every(isDateFormat)).toBe(true);
    expect(['General', '0.00', '#,##0 "pcs"', '[Red]0', '@', undefined].some(isDateFormat)).toBe(false);
    expect(isRoundedNumber(1234567890123450)).toBe(true);
    expect(isRoundedNumber(999999999999999)).toBe(false);
    expect(isRoundedNumber('1234567890123456789')).toBe(false);
  });
});
