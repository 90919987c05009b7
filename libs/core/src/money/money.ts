import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';

export const CURRENCIES = ['CNY', 'USD', 'HKD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Largest amount accepted, in minor units (fen): 10^13 fen = 100 billion yuan. */
export const MAX_AMOUNT = 10_000_000_000_000;

/** Money as integer minor units with its currency: {"amount": 5990, "currency": "CNY"} is ¥59.90. */
export class MoneyDto {
  @ApiProperty({ example: 5990, description: 'Integer minor units (fen for CNY)' })
  @IsInt({ message: 'amount must be an integer number of minor units (fen), not a decimal' })
  @Min(0, { message: 'amount must not be negative' })
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: CURRENCIES, example: 'CNY' })
  @IsIn(CURRENCIES)
  currency!: Currency;
}

export interface Money {
  amount: number;
  currency: Currency;
}

/** PostgreSQL bigint arrives as a string; amounts stay far below 2^53, so a number is exact. */
export function money(amount: string | number | bigint, currency: string): Money {
  const value = Number(amount);
  if (!Number.isSafeInteger(value)) throw new Error(`Amount ${amount} is not a safe integer`);
  return { amount: value, currency: currency as Currency };
}

/**
 * Splits `total` in proportion to `weights`, in whole minor units, so that the parts add up to
 * `total` exactly (largest remainder; ties go to the earlier weight). All weights 0: all parts 0
 * except when total is 0. Amounts are bigint so that products never lose precision.
 */
export function allocateProportionally(total: bigint, weights: bigint[]): bigint[] {
  if (total < 0n || weights.some((weight) => weight < 0n)) throw new Error('allocateProportionally: negative amounts');
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (total !== 0n) throw new Error('allocateProportionally: a positive total cannot be split over zero weights');
    return weights.map(() => 0n);
  }
  const parts = weights.map((weight) => (total * weight) / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  const order = weights.map((weight, index) => ({ index, remainder: (total * weight) % sum })).sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of order) {
    if (left === 0n) break;
    parts[index] += 1n;
    left -= 1n;
  }
  return parts;
}

/** `amount × numerator / denominator`, rounded half up, in bigint. */
export function scaleRounded(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('scaleRounded: denominator must be positive');
  return (amount * numerator * 2n + denominator) / (2n * denominator);
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', HKD: 'HK$', EUR: '€' };

/**
 * An amount of minor units as people read it: 123456 CNY is "¥1,234.56" (two decimals, thousands
 * separated; a currency without a symbol here is written after the figure: "1,234.56 JPY").
 * Exact for any integer (bigint arithmetic, never floating point).
 */
export function formatMoney(amount: string | number | bigint, currency: string): string {
  const value = BigInt(amount);
  const negative = value < 0n;
  const units = negative ? -value : value;
  const whole = (units / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const figure = `${whole}.${(units % 100n).toString().padStart(2, '0')}`;
  const symbol = CURRENCY_SYMBOLS[currency];
  return `${negative ? '-' : ''}${symbol ? `${symbol}${figure}` : `${figure} ${currency}`}`;
}
