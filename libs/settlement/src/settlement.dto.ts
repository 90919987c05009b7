import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CURRENCIES, Currency, MAX_AMOUNT, Money, PageQueryDto } from '@gongxiao/core';

const ID = /^\d{1,18}$/;
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Money that must be more than nothing: integer minor units, at least 1. */
export class PositiveMoneyDto {
  @ApiProperty({ example: 5990, description: 'Integer minor units (fen for CNY), at least 1' })
  @IsInt({ message: 'amount must be an integer number of minor units (fen), not a decimal' })
  @Min(1, { message: 'amount must be at least 1 minor unit' })
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ enum: CURRENCIES, example: 'CNY' })
  @IsIn(CURRENCIES)
  currency!: Currency;
}

export const PAYMENT_TERMS = ['on_account', 'prepaid'] as const;

export class PaymentTermsDto {
  @ApiProperty({ enum: PAYMENT_TERMS, description: 'on_account: the buyer pays after its statement (within its credit limit); prepaid: it tops up first and spends the balance' })
  @IsIn(PAYMENT_TERMS)
  terms!: (typeof PAYMENT_TERMS)[number];

  @ApiPropertyOptional({ type: PositiveMoneyDto, description: 'On account only: how much the buyer may owe at most, in the partnership currency. Absent: unlimited.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PositiveMoneyDto)
  creditLimit?: PositiveMoneyDto;
}

export const BALANCE_SIDES = ['receivable', 'payable'] as const;
export type BalanceSide = (typeof BALANCE_SIDES)[number];

export class BalancesQueryDto extends PageQueryDto {
  @ApiProperty({ enum: BALANCE_SIDES, description: 'receivable: what buyers owe you (you sell); payable: what you owe your suppliers (you buy)' })
  @IsIn(BALANCE_SIDES)
  side!: BalanceSide;
}

export class FundsWaitingDto {
  @ApiProperty({ description: 'Orders waiting for these funds' }) orders!: number;
  @ApiProperty({ description: 'What they need together' }) required!: Money;
  @ApiProperty({ description: 'What is missing for all of them to route: required − available (0 when they fit, or credit is unlimited)' }) missing!: Money;
}

export class BalanceResponseDto {
  @ApiProperty() counterpartyMerchantId!: string;
  @ApiProperty() counterpartyName!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The partnership of this pair (PUT /v1/partnerships/:id/payment-terms on the receivable side)' }) partnershipId!: string | null;
  @ApiProperty({ enum: BALANCE_SIDES }) side!: BalanceSide;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: PAYMENT_TERMS }) terms!: string;
  @ApiPropertyOptional({ nullable: true, description: 'null: unlimited (on account) or none (prepaid)' }) creditLimit!: Money | null;
  @ApiProperty({ description: 'Payments and top-ups received' }) paid!: Money;
  @ApiProperty({ description: 'Posted charges net of credits' }) charged!: Money;
  @ApiProperty({ description: 'Pending holds of routed orders not yet shipped' }) held!: Money;
  @ApiProperty({ description: 'paid − charged − held (negative: owed)' }) balance!: Money;
  @ApiPropertyOptional({ nullable: true, description: 'What the buyer may still spend; null = unlimited' }) available!: Money | null;
  @ApiProperty({ description: 'Credit in use (on account): what is owed or held beyond what was paid' }) creditUsed!: Money;
  @ApiProperty({ type: FundsWaitingDto, description: 'Orders held as insufficient_funds for this pair, and what a top-up (or more credit) must bring to route them all' })
  waiting!: FundsWaitingDto;
}

export const PAYMENT_KINDS = ['payment', 'top_up'] as const;
export const PAYMENT_METHODS = ['bank_transfer', 'alipay', 'wechat_pay', 'other'] as const;

export class RecordPaymentDto {
  @ApiProperty({ description: 'The merchant that paid you' }) @Matches(ID, { message: 'buyerMerchantId must be a merchant id' }) buyerMerchantId!: string;
  @ApiProperty({ enum: PAYMENT_KINDS, description: 'payment: against a confirmed statement; top_up: prepaid funds (prepaid terms only)' })
  @IsIn(PAYMENT_KINDS)
  kind!: (typeof PAYMENT_KINDS)[number];
  @ApiProperty({ type: PositiveMoneyDto }) @IsDefined() @ValidateNested() @Type(() => PositiveMoneyDto) amount!: PositiveMoneyDto;
  @ApiProperty({ enum: PAYMENT_METHODS }) @IsIn(PAYMENT_METHODS) method!: (typeof PAYMENT_METHODS)[number];
  @ApiProperty({ description: 'Bank or wallet reference of the transfer' }) @IsString() @Length(1, 200) reference!: string;
  @ApiProperty({ example: '2026-12-05', description: 'Date the money arrived' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'paidOn must be a date YYYY-MM-DD' })
  paidOn!: string;
  @ApiPropertyOptional({ description: 'Required for payments: the confirmed statement paid' })
  @ValidateIf((input: RecordPaymentDto) => input.kind === 'payment' || input.statementId !== undefined)
  @Matches(ID, { message: 'statementId must be a statement id (required for payments)' })
  statementId?: string;
}

export class PaymentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() sellerMerchantId!: string;
  @ApiProperty() buyerMerchantId!: string;
  @ApiProperty() amount!: Money;
  @ApiProperty() method!: string;
  @ApiPropertyOptional({ nullable: true }) reference!: string | null;
  @ApiProperty() paidOn!: string;
  @ApiPropertyOptional({ nullable: true }) statementId!: string | null;
  @ApiProperty() ledgerEntryId!: string;
  @ApiProperty() createdAt!: string;
}

export class ListPaymentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BALANCE_SIDES, description: 'receivable: payments you received (default); payable: payments you made' })
  @IsOptional()
  @IsIn(BALANCE_SIDES)
  side?: BalanceSide;
}

export class AdjustmentDto {
  @ApiPropertyOptional({ description: 'The buyer the adjustment is for (you are the payee)' })
  @ValidateIf((input: AdjustmentDto) => input.counterpartyMerchantId === undefined || input.buyerMerchantId !== undefined)
  @Matches(ID, { message: 'buyerMerchantId must be a merchant id' })
  buyerMerchantId?: string;
  @ApiPropertyOptional({ description: 'Same as buyerMerchantId' }) @IsOptional() @Matches(ID, { message: 'counterpartyMerchantId must be a merchant id' }) counterpartyMerchantId?: string;
  @ApiProperty({ enum: ['charge', 'credit'], description: 'charge: the buyer owes more; credit: it owes less' }) @IsIn(['charge', 'credit']) direction!: 'charge' | 'credit';
  @ApiProperty({ type: PositiveMoneyDto }) @IsDefined() @ValidateNested() @Type(() => PositiveMoneyDto) amount!: PositiveMoneyDto;
  @ApiProperty({ description: 'Why (kept with the entry, with who made it)' }) @IsString() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ description: 'The entry it corrects (e.g. a disputed line)' }) @IsOptional() @Matches(ID, { message: 'referencesEntryId must be an entry id' }) referencesEntryId?: string;
  @ApiPropertyOptional({ example: '2026-12', description: 'The month it must land in: refused when that month is closed' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period?: string;
}

export class EntryResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ example: '2026-11-30T23:30:00+08:00', description: "In the payee's time zone" }) occurredAt!: string;
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The closed month a late entry belonged to' }) originalPeriod!: string | null;
  @ApiProperty({ description: 'Signed: + adds to what the payer owes, − takes off' }) amount!: Money;
  @ApiPropertyOptional({ nullable: true }) externalOrderId!: string | null;
  @ApiPropertyOptional({ nullable: true }) fulfillmentOrderId!: string | null;
  @ApiPropertyOptional({ nullable: true }) returnRequestId!: string | null;
  @ApiPropertyOptional({ nullable: true }) skuCode!: string | null;
  @ApiPropertyOptional({ nullable: true }) quantity!: number | null;
  @ApiPropertyOptional({ nullable: true }) unitPrice!: Money | null;
  @ApiPropertyOptional({ nullable: true }) referencesEntryId!: string | null;
  @ApiPropertyOptional({ nullable: true }) reason!: string | null;
  @ApiPropertyOptional({ nullable: true }) memberId!: string | null;
}

export class ListAdjustmentsQueryDto extends PageQueryDto {}

export class SettlementSettingsDto {
  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone whose months you settle in' }) @IsOptional() @IsString() @MaxLength(64) timeZone?: string;
  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 28, description: 'Close each month automatically this many days after it ends; null: never. A merchant that never set it gets 5' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(28)
  autoCloseAfterDays?: number | null;
}

export class SettlementSettingsResponseDto {
  @ApiProperty() timeZone!: string;
  @ApiPropertyOptional({ nullable: true }) autoCloseAfterDays!: number | null;
}

export class PeriodResponseDto {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiPropertyOptional({ nullable: true }) closedAt!: string | null;
  @ApiProperty() closedAutomatically!: boolean;
  @ApiProperty({ description: 'Statements of this month where you are the payee' }) statements!: number;
}

export class PeriodsPageDto {
  @ApiProperty({ type: [PeriodResponseDto], description: 'Newest first: every month with statements or closed, and the current one' }) data!: PeriodResponseDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Always null: every month is on one page' }) nextCursor!: string | null;
}

export class MarginsQueryDto {
  @ApiProperty({ example: '2026-11' }) @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' }) period!: string;
}
