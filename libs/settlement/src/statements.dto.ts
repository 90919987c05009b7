import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Money, PageQueryDto } from '@gongxiao/core';
import { BALANCE_SIDES, BalanceSide, PERIOD_PATTERN, PositiveMoneyDto } from './settlement.dto';
import { STATEMENT_STATUSES, StatementStatus } from './statement.lifecycle';

const ID = /^\d{1,18}$/;

export class ListStatementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BALANCE_SIDES, description: 'receivable: you are the payee; payable: you are the payer; absent: both' }) @IsOptional() @IsIn(BALANCE_SIDES) side?: BalanceSide;
  @ApiPropertyOptional({ example: '2026-11' }) @IsOptional() @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' }) period?: string;
  @ApiPropertyOptional({ enum: STATEMENT_STATUSES }) @IsOptional() @IsIn(STATEMENT_STATUSES) status?: StatementStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'counterpartyMerchantId must be a merchant id' }) counterpartyMerchantId?: string;
}

export class StatementPartyDto {
  @ApiProperty() merchantId!: string;
  @ApiProperty() name!: string;
}

export class StatementResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ enum: STATEMENT_STATUSES }) status!: StatementStatus;
  @ApiProperty() revision!: number;
  @ApiProperty({ enum: BALANCE_SIDES, description: 'receivable: you are the payee (seller); payable: you pay' }) yourSide!: BalanceSide;
  @ApiProperty({ type: StatementPartyDto }) payee!: StatementPartyDto;
  @ApiProperty({ type: StatementPartyDto }) payer!: StatementPartyDto;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'True once the payee closed the month: the totals are frozen' }) frozen!: boolean;
  @ApiProperty() openingBalance!: Money;
  @ApiProperty() goods!: Money;
  @ApiProperty() shipping!: Money;
  @ApiProperty({ description: 'Credited (taken off what is due)' }) refunds!: Money;
  @ApiProperty({ description: 'Net adjustments (charges − credits)' }) adjustments!: Money;
  @ApiProperty({ description: 'Payments and top-ups received in the month' }) payments!: Money;
  @ApiProperty({ description: 'Net charges of the month' }) due!: Money;
  @ApiProperty() closingBalance!: Money;
  @ApiProperty({ description: 'Paid against this statement' }) paid!: Money;
  @ApiProperty() outstanding!: Money;
  @ApiPropertyOptional({ nullable: true }) issuedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) disputedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) confirmedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) settledAt!: string | null;
}

export class DisputeLineDto {
  @ApiProperty() @Matches(ID, { message: 'entryId must be an entry id' }) entryId!: string;
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
}

export class DisputeStatementDto {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
  @ApiProperty({ type: [DisputeLineDto] })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => DisputeLineDto)
  lines!: DisputeLineDto[];
}

export class StatementNoteDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) note?: string;
}

export const INVOICE_TYPES = ['normal', 'special'] as const;

export class RequestInvoiceDto {
  @ApiProperty({ description: 'Invoice title (抬头)' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ description: 'Taxpayer number (税号)' }) @Matches(/^[0-9A-Z]{15,20}$/, { message: 'taxNumber must be 15-20 digits or capital letters' }) taxNumber!: string;
  @ApiProperty({ type: PositiveMoneyDto }) @IsDefined() @ValidateNested() @Type(() => PositiveMoneyDto) amount!: PositiveMoneyDto;
  @ApiProperty({ enum: INVOICE_TYPES, description: 'normal: 普通发票; special: 增值税专用发票' }) @IsIn(INVOICE_TYPES) invoiceType!: (typeof INVOICE_TYPES)[number];
}

export class IssueInvoiceDto {
  @ApiProperty() @IsString() @Length(1, 64) invoiceNumber!: string;
  @ApiProperty({ example: '2026-12-08' }) @IsISO8601({ strict: true }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'issuedOn must be a date YYYY-MM-DD' }) issuedOn!: string;
}

export class RejectInvoiceDto {
  @ApiProperty() @IsString() @Length(1, 500) reason!: string;
}

export class ListInvoiceRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BALANCE_SIDES, description: 'receivable: requests made to you (payee); payable: yours; absent: both' }) @IsOptional() @IsIn(BALANCE_SIDES) side?: BalanceSide;
}

export class InvoiceRequestResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty() status!: string;
  @ApiProperty() title!: string;
  @ApiProperty() taxNumber!: string;
  @ApiProperty() amount!: Money;
  @ApiProperty() invoiceType!: string;
  @ApiPropertyOptional({ nullable: true }) invoiceNumber!: string | null;
  @ApiPropertyOptional({ nullable: true }) issuedOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) rejectReason!: string | null;
  @ApiProperty() createdAt!: string;
}
