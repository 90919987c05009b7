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
