import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { SHEET_LANGUAGE_CODES, SheetLanguageCode } from '@gongxiao/core';

export class ExportStockLevelsQueryDto {
  @ApiPropertyOptional({ description: 'Only this warehouse' }) @IsOptional() @Matches(/^\d{1,18}$/, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
  @ApiPropertyOptional({ enum: SHEET_LANGUAGE_CODES, default: 'zh-CN', description: 'Language of the headers' }) @IsOptional() @IsIn(SHEET_LANGUAGE_CODES) language?: SheetLanguageCode;
}
