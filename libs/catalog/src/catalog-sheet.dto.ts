import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SHEET_LANGUAGE_CODES, SheetLanguageCode } from '@gongxiao/core';

export class ExportProductsQueryDto {
  @ApiPropertyOptional({ enum: SHEET_LANGUAGE_CODES, default: 'zh-CN', description: 'Language of the headers' }) @IsOptional() @IsIn(SHEET_LANGUAGE_CODES) language?: SheetLanguageCode;
}
