import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { SHEET_IMPORT_MODES, SHEET_LANGUAGE_CODES, SheetImportMode, SheetLanguageCode } from '@gongxiao/core';

/** At most this many rows per request: split a bigger batch (the report lists every row). */
export const BULK_SHIPMENT_MAX_ROWS = 5000;

export class BulkShipmentItemDto {
  @ApiProperty({ example: '1024', description: 'The fulfillment order (发货单号)' }) @IsString() @Length(1, 40) fulfillmentOrderId!: string;
  @ApiProperty({ example: '顺丰', description: 'The carrier written any way: code (SF), Chinese name (顺丰) or a platform’s code (shunfeng)' }) @IsString() @Length(1, 40) carrier!: string;
  @ApiProperty({ example: 'SF1234567890123', description: 'Plausible for the carrier; spaces dropped and upper-cased' }) @IsString() @Length(1, 60) trackingNumber!: string;
  @ApiPropertyOptional({ example: 'TSHIRT-M', description: 'A SKU of the order; omit (with lineId) to ship all the rest of the order in this parcel' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  skuCode?: string;
  @ApiPropertyOptional({ description: 'A line of the order, instead of (or besides) skuCode' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'lineId must be a fulfillment order line id' })
  lineId?: string;
  @ApiPropertyOptional({ example: 2, description: 'Units of that SKU or line in this parcel; omit to ship all that is left of it' }) @IsOptional() @IsInt() @Min(1) @Max(100_000) quantity?: number;
}

export class BulkShipmentsDto {
  @ApiPropertyOptional({ enum: SHEET_IMPORT_MODES, default: 'all_or_nothing', description: 'all_or_nothing: any rejected row and nothing is recorded; valid_rows: the valid parcels are recorded' })
  @IsOptional()
  @IsIn(SHEET_IMPORT_MODES)
  mode?: SheetImportMode;
  @ApiPropertyOptional({ enum: SHEET_LANGUAGE_CODES, default: 'zh-CN', description: 'Language of the reasons' }) @IsOptional() @IsIn(SHEET_LANGUAGE_CODES) language?: SheetLanguageCode;
  @ApiProperty({ type: [BulkShipmentItemDto], description: `1 to ${BULK_SHIPMENT_MAX_ROWS} rows; rows with the same order, carrier and tracking number are one parcel` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_SHIPMENT_MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => BulkShipmentItemDto)
  shipments!: BulkShipmentItemDto[];
}

export class BulkShipmentRowOutcomeDto {
  @ApiProperty({ description: 'The row’s index in `shipments`' }) index!: number;
  @ApiProperty({ enum: ['applied', 'unchanged', 'rejected'], description: 'unchanged: this parcel was recorded before with the same contents' }) status!: 'applied' | 'unchanged' | 'rejected';
  @ApiPropertyOptional({ description: 'Why it was rejected, in the requested language' }) reason?: string;
  @ApiPropertyOptional({ description: 'The parcel’s shipment (applied or unchanged)' }) shipmentId?: string;
}

export class BulkShipmentReportDto {
  @ApiProperty({ description: 'Rows recorded now' }) applied!: number;
  @ApiProperty({ description: 'Rows whose parcel was recorded before with the same contents' }) unchanged!: number;
  @ApiProperty({ description: 'Rows refused (in all_or_nothing mode, also the valid rows, since nothing was recorded)' }) rejected!: number;
  @ApiProperty({ type: [BulkShipmentRowOutcomeDto] }) rows!: BulkShipmentRowOutcomeDto[];
}
