import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ErrorDetail, PageQueryDto, SHEET_IMPORT_MODES, SHEET_LANGUAGE_CODES, SheetImportMode, SheetLanguageCode } from '@gongxiao/core';

export const SHEET_IMPORT_KINDS = ['tracking_backfill', 'channel_orders', 'products', 'stock_levels'] as const;
export type SheetImportKind = (typeof SHEET_IMPORT_KINDS)[number];
export type SheetImportStatus = 'queued' | 'running' | 'done' | 'failed';

export class TemplateQueryDto {
  @ApiPropertyOptional({ enum: SHEET_LANGUAGE_CODES, description: 'Header language (zh-CN by default)' })
  @IsOptional()
  @IsIn(SHEET_LANGUAGE_CODES)
  language?: SheetLanguageCode;
}

export class UploadQueryDto {
  @ApiProperty({ enum: SHEET_IMPORT_KINDS, description: 'tracking_backfill (回填物流单号), channel_orders (批量下单), products (商品), stock_levels (库存)' })
  @IsIn(SHEET_IMPORT_KINDS, { message: `kind must be one of ${SHEET_IMPORT_KINDS.join(', ')}` })
  kind!: SheetImportKind;
}

export class ListSheetImportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SHEET_IMPORT_KINDS })
  @IsOptional()
  @IsIn(SHEET_IMPORT_KINDS)
  kind?: SheetImportKind;
}

export class SheetImportErrorDetailDto implements ErrorDetail {
  @ApiProperty({ example: 'column 快递单号' }) field!: string;
  @ApiProperty() reason!: string;
}

export class SheetImportErrorDto {
  @ApiProperty({ example: 'sheet_columns_missing' }) code!: string;
  @ApiProperty({ description: 'What is wrong with the file and what to do' }) message!: string;
  @ApiProperty({ type: [SheetImportErrorDetailDto] }) details!: SheetImportErrorDetailDto[];
}

export class SheetImportProgressDto {
  @ApiProperty({ description: 'Rows handled so far' }) done!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Data rows in the sheet, once read' }) total!: number | null;
  @ApiProperty({ description: '0–100' }) percent!: number;
}

export class SheetImportResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SHEET_IMPORT_KINDS }) kind!: SheetImportKind;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: SheetImportStatus;
  @ApiProperty({ enum: SHEET_IMPORT_MODES }) mode!: SheetImportMode;
  @ApiProperty({ enum: SHEET_LANGUAGE_CODES }) language!: SheetLanguageCode;
  @ApiProperty() fileName!: string;
  @ApiProperty({ type: SheetImportProgressDto }) progress!: SheetImportProgressDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Rows applied by this upload' }) applied!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Valid rows an earlier upload had already applied (nothing changed twice)' }) unchanged!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Rows refused; download them with their reasons from rejectedFileUrl' }) rejected!: number | null;
  @ApiProperty({ type: [String], description: 'Other sheets of the workbook that were not read' }) ignoredSheets!: string[];
  @ApiProperty({ type: SheetImportErrorDto, nullable: true, description: 'Why the file as a whole could not be used (nothing was applied)' }) error!: SheetImportErrorDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'The rejected rows with their reasons (null when none was rejected, or once the file was pruned)' }) rejectedFileUrl!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the stored files (the upload, the rejected rows) were deleted, RETENTION_IMPORT_FILE_DAYS after the upload finished; the counts stay',
  })
  filesPrunedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
}
