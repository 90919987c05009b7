import fc from 'fast-check';
import { parseSheetDate, parseSheetInteger, parseSheetYuan, parseYuanText } from './sheet-values';

describe('parseSheetInteger', () => {
  it.each([
    ['3', 3],
    ['3.0', 3],
    ['３', 3],
    [' 3 ', 3],
    ['1,000', 1000],
    ['+7', 7],
    ['0', 0],
  ])('reads %j as %d', (text, value) => expect(parseSheetInteger(text, { min: 0 })).toEqual({ ok: true, value }));

  it.each([
    ['3.5', { min: 0 }, '"3.5" is not a whole number'],
    ['-1', { min: 0 }, '-1 is less than 0'],
    ['abc', {}, '"abc" is not a number: write a whole number like 3'],
    ['', {}, '"" is not a number: write a whole number like 3'],
    ['10', { max: 9 }, '10 is more than 9'],
    ['99999999999999999', {}, '"99999999999999999" is too large'],
  ])('refuses %j', (text, options, reason) => expect(parseSheetInteger(text, options)).toEqual({ ok: false, reason }));
});

describe('parseSheetYuan', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['¥12.50', 1250],
    ['￥１２.５', 1250],
    ['1,234.56', 123456],
    ['12元', 1200],
    ['0.07', 7],
    ['.5', 50],
  ])('reads %j as %d fen', (text, value) => expect(parseSheetYuan(text)).toEqual({ ok: true, value }));

  it.each([
    ['12.345', '"12.345" has more than 2 decimals: amounts are in yuan to the fen (0.01)'],
    ['abc', '"abc" is not an amount: write yuan like 1234.56'],
    ['-1', '"-1" is negative: write an amount of 0 or more'],
    ['1,23.4', '"1,23.4" is not an amount: write yuan like 1234.56'],
  ])('refuses %j', (text, reason) => expect(parseSheetYuan(text)).toEqual({ ok: false, reason }));

  it('takes negatives and (12.50) only when allowed', () => {
    expect(parseSheetYuan('(12.50)', { allowNegative: true })).toEqual({ ok: true, value: -1250 });
    expect(parseSheetYuan('-0.05', { allowNegative: true })).toEqual({ ok: true, value: -5 });
  });

  it('is exact for every fen amount written with 2 decimals (no floating point)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (fen) => {
        const text = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        const parsed = parseYuanText(text);
        expect(parsed).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe('parseSheetDate', () => {
  const shanghai = (text: string) => {
    const parsed = parseSheetDate(text, 'Asia/Shanghai');
    return parsed.ok ? parsed.value.toISOString() : parsed.reason;
  };

  it.each([
    ['2026-12-01', '2026-11-30T16:00:00.000Z'],
    ['2026-12-01 10:30', '2026-12-01T02:30:00.000Z'],
    ['2026-12-01 10:30:15', '2026-12-01T02:30:15.000Z'],
    ['2026/12/1', '2026-11-30T16:00:00.000Z'],
    ['2026/12/1 9:05', '2026-12-01T01:05:00.000Z'],
    ['2026.12.1', '2026-11-30T16:00:00.000Z'],
    ['2026年12月1日', '2026-11-30T16:00:00.000Z'],
    ['2026年12月1日 10:30', '2026-12-01T02:30:00.000Z'],
    ['2026年12月1日10:30', '2026-12-01T02:30:00.000Z'],
    ['２０２６－１２－０１', '2026-11-30T16:00:00.000Z'],
    ['20261201', '2026-11-30T16:00:00.000Z'],
    ['46357', '2026-11-30T16:00:00.000Z'],
    ['46357.5', '2026-12-01T04:00:00.000Z'],
  ])('reads %j on Shanghai’s wall clock', (text, instant) => expect(shanghai(text)).toBe(instant));

  it('reads the wall clock of the time zone given, across daylight saving time', () => {
    const newYork = (text: string) => {
      const parsed = parseSheetDate(text, 'America/New_York');
      return parsed.ok ? parsed.value.toISOString() : parsed.reason;
    };
    expect(newYork('2026-07-01 09:00')).toBe('2026-07-01T13:00:00.000Z');
    expect(newYork('2026-12-01 09:00')).toBe('2026-12-01T14:00:00.000Z');
  });

  it.each([
    ['2026-02-30', '"2026-02-30" is not a real date or time'],
    ['2026-12-01 25:00', '"2026-12-01 25:00" is not a real date or time'],
    ['tomorrow', '"tomorrow" is not a date: write it like 2026-12-01 or 2026-12-01 10:30'],
    ['12/1/2026', '"12/1/2026" is not a date: write it like 2026-12-01 or 2026-12-01 10:30'],
    ['5', '"5" is not a date: as an Excel date number it must be between 61 (1900-03-01) and 2958465'],
  ])('refuses %j', (text, reason) => expect(shanghai(text)).toBe(reason));
});
