import fc from 'fast-check';
import { decimalToMinorUnits, parseLosslessJson } from './lossless-json';

describe('parseLosslessJson', () => {
  it('keeps ids above 2^53 and decimals as the text they were written as', () => {
    const parsed = parseLosslessJson('{"oid": 2873491203477823746, "price": 199.00, "n": -1.5e3, "ok": true, "none": null, "list": [1, "a\\u0041"]}');
    expect(parsed).toEqual({ oid: '2873491203477823746', price: '199.00', n: '-1.5e3', ok: true, none: null, list: ['1', 'aA'] });
  });

  it('reads what JSON.parse reads when numbers are turned into numbers', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().map((value) => JSON.stringify(value, null, 1)),
        (text) => {
          expect(parseLosslessJson(text, (lexeme) => Number(lexeme) as unknown as string)).toEqual(JSON.parse(text));
        },
      ),
    );
  });

  it('refuses broken documents with the position', () => {
    expect(() => parseLosslessJson('{"a": 1')).toThrow(/position/);
    expect(() => parseLosslessJson('{"a": 01}')).toThrow(SyntaxError);
    expect(() => parseLosslessJson('[1] x')).toThrow(/after the document/);
    expect(() => parseLosslessJson('"open')).toThrow(/unterminated/);
  });

  it('never sets a prototype from "__proto__"', () => {
    const parsed = parseLosslessJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('decimalToMinorUnits', () => {
  it('converts exactly', () => {
    expect(decimalToMinorUnits('199.00')).toBe(19900n);
    expect(decimalToMinorUnits('0.1')).toBe(10n);
    expect(decimalToMinorUnits('19.99')).toBe(1999n);
    expect(decimalToMinorUnits(12)).toBe(1200n);
    expect(decimalToMinorUnits('-3.10')).toBe(-310n);
    expect(decimalToMinorUnits('1.005')).toBeNull();
    expect(decimalToMinorUnits('1e3')).toBeNull();
    expect(decimalToMinorUnits('abc')).toBeNull();
    expect(decimalToMinorUnits(0.1)).toBeNull();
  });

  it('agrees with integer arithmetic for every cent amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), (cents) => {
        const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
        expect(decimalToMinorUnits(text)).toBe(cents);
      }),
    );
  });
});
