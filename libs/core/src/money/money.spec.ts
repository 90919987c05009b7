import { allocateProportionally, formatMoney, scaleRounded } from './money';

describe('allocateProportionally', () => {
  it('splits exactly, the remainder going to the largest fractions', () => {
    expect(allocateProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateProportionally(10n, [3000n, 7000n])).toEqual([3n, 7n]);
    expect(allocateProportionally(5n, [1n, 2n])).toEqual([2n, 3n]);
  });

  it('never gives a part more than its weight when the total is at most the weights’ sum', () => {
    for (let total = 0n; total <= 31n; total++) {
      const weights = [5n, 9n, 17n];
      const parts = allocateProportionally(total, weights);
      expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      parts.forEach((part, index) => expect(part <= weights[index]).toBe(true));
    }
  });

  it('refuses to spread a positive total over nothing', () => {
    expect(allocateProportionally(0n, [0n, 0n])).toEqual([0n, 0n]);
    expect(() => allocateProportionally(1n, [0n])).toThrow();
  });

  it('keeps precision beyond 2^53', () => {
    expect(allocateProportionally(10_000_000_000_000n, [10_000_000_000_000n, 10_000_000_000_000n])).toEqual([5_000_000_000_000n, 5_000_000_000_000n]);
  });
});

describe('scaleRounded', () => {
  it('rounds half up', () => {
    expect(scaleRounded(5n, 1n, 2n)).toBe(3n);
    expect(scaleRounded(4n, 1n, 3n)).toBe(1n);
    expect(scaleRounded(1000n, 2n, 3n)).toBe(667n);
  });
});

describe('formatMoney', () => {
  it('writes minor units as people read them, with the currency symbol and thousands separated', () => {
    expect(formatMoney(123456, 'CNY')).toBe('¥1,234.56');
    expect(formatMoney('20000', 'CNY')).toBe('¥200.00');
    expect(formatMoney(5, 'CNY')).toBe('¥0.05');
    expect(formatMoney(123456789012n, 'USD')).toBe('$1,234,567,890.12');
    expect(formatMoney(-103456, 'CNY')).toBe('-¥1,034.56');
    expect(formatMoney(100, 'JPY')).toBe('1.00 JPY');
  });
});
