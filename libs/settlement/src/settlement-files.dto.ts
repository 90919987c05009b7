import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MoneyDto } from '@gongxiao/core';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const EXPORT_LANGUAGES = ['zh', 'en'] as const;

export class RequestStatementExportDto {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'xlsx: a summary and a detail sheet; csv: the detail lines' }) @IsIn(EXPORT_FORMATS) format!: (typeof EXPORT_FORMATS)[number];
  @ApiPropertyOptional({ enum: EXPORT_LANGUAGES, default: 'zh', description: 'Language of headers and entry types' })
  @IsOptional()
  @IsIn(EXPORT_LANGUAGES)
  language?: (typeof EXPORT_LANGUAGES)[number];
}

export class StatementExportResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty({ enum: EXPORT_FORMATS }) format!: string;
  @ApiProperty({ enum: EXPORT_LANGUAGES }) language!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, description: 'Entries the file will hold (known once the worker started)' }) rowsTotal!: number | null;
  @ApiProperty({ description: 'Entries written so far' }) rowsWritten!: number;
  @ApiProperty({ description: '0–100' }) percent!: number;
  @ApiPropertyOptional({ nullable: true }) fileName!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Where to fetch the file, once done' }) downloadUrl!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Why it failed and what to do' }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) finishedAt!: string | null;
}

const HEADER = { minLength: 1, maxLength: 200 };

/** Which column header of the counterparty's file holds what. */
export class ReconciliationMappingDto {
  @ApiProperty({ example: '订单号', description: 'Header of the order number column (the shop order no.)' }) @IsString() @MinLength(HEADER.minLength) @MaxLength(HEADER.maxLength) orderNumber!: string;
  @ApiPropertyOptional({ example: '商品编码', description: 'Header of the SKU code column; without it lines are matched per order' })
  @IsOptional()
  @IsString()
  @MinLength(HEADER.minLength)
  @MaxLength(HEADER.maxLength)
  skuCode?: string;
  @ApiProperty({ example: '金额', description: 'Header of the amount column (yuan: 1234.56, 1,234.56 or ¥1,234.56)' })
  @IsString()
  @MinLength(HEADER.minLength)
  @MaxLength(HEADER.maxLength)
  amount!: string;
  @ApiPropertyOptional({ example: '数量' }) @IsOptional() @IsString() @MinLength(HEADER.minLength) @MaxLength(HEADER.maxLength) quantity?: string;
  @ApiPropertyOptional({ example: 'Sheet1', description: 'Sheet of an .xlsx file (default: the first)' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) sheet?: string;
}

export class ReconciliationMappingResponseDto extends ReconciliationMappingDto {
  @ApiProperty() counterpartyMerchantId!: string;
  @ApiProperty() updatedAt!: string;
}

export class ReconcileQueryDto {
  @ApiPropertyOptional({ description: 'A mapping as JSON, instead of the one saved for the counterparty', example: '{"orderNumber":"订单号","amount":"金额"}' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  mapping?: string;
}

export class ReportLanguageQueryDto {
  @ApiPropertyOptional({ enum: EXPORT_LANGUAGES, default: 'zh' }) @IsOptional() @IsIn(EXPORT_LANGUAGES) language?: (typeof EXPORT_LANGUAGES)[number];
}

export class ReconciliationSummaryDto {
  @ApiProperty() matched!: number;
  @ApiProperty() amountDiffers!: number;
  @ApiProperty() onlyOurs!: number;
  @ApiProperty() onlyTheirs!: number;
  @ApiProperty({ type: MoneyDto }) oursTotal!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) theirsTotal!: MoneyDto;
}

export class ReconciliationRowDto {
  @ApiProperty() orderNumber!: string;
  @ApiPropertyOptional({ nullable: true }) skuCode!: string | null;
  @ApiProperty({ enum: ['matched', 'amount_differs', 'only_ours', 'only_theirs'] }) status!: string;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true }) ours!: MoneyDto | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true }) theirs!: MoneyDto | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'theirs − ours' }) difference!: MoneyDto | null;
  @ApiPropertyOptional({ nullable: true }) ourQuantity!: number | null;
  @ApiPropertyOptional({ nullable: true }) theirQuantity!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Row of the uploaded file' }) rowNumber!: number | null;
}

export class ReconciliationReportResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty({ type: ReconciliationSummaryDto }) summary!: ReconciliationSummaryDto;
  @ApiProperty({ type: [ReconciliationRowDto] }) rows!: ReconciliationRowDto[];
  @ApiProperty() createdAt!: string;
}
