import fc from 'fast-check';
import { CellOutcome, orderNumberCell, phoneCell, placedAtCell, quantityCell, yuanCell } from './order-sheet-cells';

const valueOf = <T>(outcome: CellOutcome<T>) => (outcome.ok ? outcome.value : undefined);
const reasonOf = <T>(outcome: CellOutcome<T>) => (outcome.ok ? undefined : outcome.reason);

describe('phoneCell', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['0086-13800138000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['0571-88886666', '0571-88886666'],
    ['057188886666', '0571-88886666'],
    ['(0571)88886666', '0571-88886666'],
    ['（0571）8888 6666', '0571-88886666'],
    ['010-12345678', '010-12345678'],
    ['02112345678', '021-12345678'],
    ['0571-88886666-123', '0571-88886666-123'],
    ['0571-88886666转123', '0571-88886666-123'],
    ['0991-1234567', '0991-1234567'],
  ])('%s → %s', (text, phone) => expect(valueOf(phoneCell(text))).toBe(phone));

  it.each([['1380013800'], ['138001380001'], ['12800138000'], ['abc'], ['0000'], ['57188886666'], ['88886666'], ['0571-123']])('refuses %s', (text) => {
    expect(phoneCell(text).ok).toBe(false);
  });

  it('says a landline lost its leading 0 when Excel kept it as a number', () => {
    expect(reasonOf(phoneCell('57188886666'))?.['zh-CN']).toContain('区号');
    expect(reasonOf(phoneCell('57188886666'))?.en).toContain('format the column as text');
  });
});

describe('quantityCell', () => {
  it.each([
    ['1', 1],
    ['2', 2],
    ['2.0', 2],
    ['3件', 3],
    ['1,000', 1000],
    ['100000', 100000],
  ])('%s → %s', (text, quantity) => expect(valueOf(quantityCell(text))).toBe(quantity));

  it.each([['0'], ['-1'], ['1.5'], ['two'], [''], ['100001']])('refuses %s', (text) => expect(quantityCell(text).ok).toBe(false));
});

describe('yuanCell', () => {
  it.each([
    ['59.9', 5990],
    ['59.90', 5990],
    ['59', 5900],
    ['0', 0],
    ['0.01', 1],
    ['¥1,234.56', 123456],
    ['￥39', 3900],
    ['39.00元', 3900],
    ['59.900000000000006', 5990],
    ['0.30000000000000004', 30],
  ])('%s → %s fen', (text, fen) => expect(valueOf(yuanCell(text))).toBe(fen));

  it.each([['59.999'], ['-1'], ['abc'], ['1e3'], [''], ['100000000000000']])('refuses %s', (text) => expect(yuanCell(text).ok).toBe(false));

  it('reads every amount written with two decimals exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        const text = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        expect(valueOf(yuanCell(text))).toBe(fen);
      }),
    );
  });
});

describe('orderNumberCell', () => {
  it('takes visible ASCII', () => expect(valueOf(orderNumberCell('YZ-2026-0001'))).toBe('YZ-2026-0001'));
  it('refuses Chinese and spaces', () => {
    expect(orderNumberCell('订单1').ok).toBe(false);
    expect(orderNumberCell('A 1').ok).toBe(false);
  });
  it('says a long number lost its digits in Excel', () => {
    expect(reasonOf(orderNumberCell('2.02611220001235e+17'))?.en).toContain('format the column as text');
  });
});

describe('placedAtCell', () => {
  it.each([
    ['2026-11-22 10:00', '2026-11-22T10:00:00+08:00'],
    ['2026-11-22 10:00:30', '2026-11-22T10:00:30+08:00'],
    ['2026/11/22 9:05', '2026-11-22T09:05:00+08:00'],
    ['2026年11月22日 10:00', '2026-11-22T10:00:00+08:00'],
    ['2026-11-22', '2026-11-22T00:00:00+08:00'],
    // A date cell as the reader writes it: the wall clock Excel showed.
    ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00+08:00'],
    ['2026-11-22T10:00:00+09:00', '2026-11-22T10:00:00+09:00'],
  ])('%s → %s', (text, iso) => expect(valueOf(placedAtCell(text))).toBe(iso));

  it.each([['2026-02-30 10:00'], ['2026-11-22 24:00'], ['2026-13-01'], ['yesterday'], ['11/22/2026']])('refuses %s', (text) => expect(placedAtCell(text).ok).toBe(false));
});
