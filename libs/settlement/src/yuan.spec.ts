import fc from 'fast-check';
import { fenToDecimal, parseYuan } from './yuan';

describe('parseYuan', () => {
  it.each([
    ['1234.56', 123456n],
    ['1,234.56', 123456n],
    ['¥1,234.56', 123456n],
    ['￥1,234.56', 123456n],
    ['1234.5', 123450n],
    ['1234', 123400n],
    ['.5', 50n],
    ['-12.30', -1230n],
    ['¥-12.30', -1230n],
    ['-¥12.30', -1230n],
    ['(12.30)', -1230n],
    [' 88元 ', 8800n],
    ['0.07', 7n],
    ['12,345,678,901.23', 1234567890123n],
    ['９９.１０', 9910n],
  ])('reads %j as %s fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, fen });
  });

  it.each(['', 'abc', '12.345', '1,23.00', '12..3', '--1', '1e3', '¥', '12.3.4', 'N/A'])('refuses %j with a reason', (text) => {
    const result = parseYuan(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(JSON.stringify(text));
  });

  it('names more than 2 decimals as such', () => {
    expect(parseYuan('1.234')).toEqual({ ok: false, reason: expect.stringContaining('more than 2 decimals') });
  });

  it('reads back exactly every amount it writes, beyond 2^53 fen too', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (fen) => {
        expect(parseYuan(fenToDecimal(fen))).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe('fenToDecimal', () => {
  it('writes two decimals and the sign', () => {
    expect([fenToDecimal(123456n), fenToDecimal(-5n), fenToDecimal(0n), fenToDecimal(100n)]).toEqual(['1234.56', '-0.05', '0.00', '1.00']);
  });
});
