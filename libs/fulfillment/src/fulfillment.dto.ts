import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsCarrier, IsPlausibleTrackingNumber, IsTimestamp, MoneyDto, PageQueryDto } from '@gongxiao/core';

const ID = /^\d{1,18}$/;
export const FULFILLMENT_STATUSES = ['pending_merge', 'awaiting_production', 'new', 'acknowledged', 'partially_shipped', 'shipped', 'cancelled'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export class ListFulfillmentOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FULFILLMENT_STATUSES }) @IsOptional() @IsIn(FULFILLMENT_STATUSES) status?: FulfillmentStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
  @ApiPropertyOptional({ description: 'Created at or after (ISO-8601)' }) @IsOptional() @IsTimestamp() createdFrom?: string;
  @ApiPropertyOptional({ description: 'Created before (ISO-8601)' }) @IsOptional() @IsTimestamp() createdTo?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only orders overdue now (not fully shipped, not cancelled, past their ship-by)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}

export class ExportFulfillmentOrdersQueryDto {
  @ApiPropertyOptional({ enum: FULFILLMENT_STATUSES, default: 'shipped' }) @IsOptional() @IsIn(FULFILLMENT_STATUSES) status?: FulfillmentStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() createdFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() createdTo?: string;
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN', description: 'Language of the headers, statuses and carrier names' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  language?: 'zh-CN' | 'en';
}

export class ShipmentLineInputDto {
  @ApiProperty({ description: 'A line id of the fulfillment order' }) @Matches(ID, { message: 'lineId must be a fulfillment order line id' }) lineId!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(100_000) quantity!: number;
}

export class RecordShipmentDto {
  @ApiProperty({ example: 'SF', description: 'The carrier: its code (GET /v1/carriers), Chinese name (顺丰, 中通 …) or a platform’s code (jtexpress, debangwuliu …); stored as the code' })
  @IsCarrier()
  carrierCode!: string;

  @ApiProperty({
    example: 'SF1234567890123',
    description: 'Plausible for the carrier (SF: SF + 12-13 digits, ZTO: 12-15 digits starting 5-7, YTO: YT + 13 digits …); spaces dropped and upper-cased before it is checked and stored',
  })
  @IsPlausibleTrackingNumber()
  trackingNumber!: string;

  @ApiPropertyOptional({ type: [ShipmentLineInputDto], description: 'Lines and quantities in this parcel; omit to ship everything not yet shipped' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ShipmentLineInputDto)
  lines?: ShipmentLineInputDto[];
}

export class FulfillmentLineResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() skuName!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() shippedQuantity!: number;
  @ApiProperty({ description: 'Cancelled by the consumer: do not ship these units' }) cancelledQuantity!: number;
  @ApiProperty({ description: 'Shipped units the consumer is returning or was refunded for (open and finished return cases)' }) returnedQuantity!: number;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Your supply price per unit, frozen at routing (the customization extra included)' }) supplyPrice!: MoneyDto | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Light customization (轻定制) to make: option key → value, keys sorted, values trimmed ({}: none)' })
  customization!: Record<string, string>;
  @ApiProperty({ description: "A canonical string of the customization ('' for none): lines with the same one are made alike" }) customizationKey!: string;
  @ApiProperty({ description: 'The customization as people read it, as the order sheet 定制 column shows it (刻字: 生日快乐；包装: 礼盒)' }) customizationLabel!: string;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'Of the supply price, the customization extra per unit (null: own goods)' }) customizationExtra!: MoneyDto | null;
}

export class ShipmentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() fulfillmentOrderId!: string;
  @ApiProperty() carrierCode!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ type: [ShipmentLineInputDto] }) lines!: ShipmentLineInputDto[];
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, description: 'When the carrier delivered it; the no-reason return window starts here (else at shipment)' }) deliveredAt!: string | null;
}

export class RecordDeliveryDto {
  @ApiPropertyOptional({ description: 'When the consumer received the parcel (ISO-8601); default now' }) @IsOptional() @IsTimestamp() deliveredAt?: string;
}

export class FulfillmentOrderResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() warehouseId!: string;
  @ApiProperty({ enum: FULFILLMENT_STATUSES }) status!: string;
  @ApiProperty() consignee!: { name: string; phone: string; province: string; city: string; district: string; address: string };
  @ApiPropertyOptional({ nullable: true }) remarks!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) releasedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) acknowledgedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) shippedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Ship by this time: routed at + the origin offer's shipWithinHours (frozen at routing)" }) shipBy!: string | null;
  @ApiProperty({ description: 'Not fully shipped, not cancelled, and past shipBy (超时未发货)' }) overdue!: boolean;
  @ApiPropertyOptional({ description: 'Made to order: the production run its units wait in (absent for goods from stock)' }) productionRunId?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Made to order: the ship date promised when the run was confirmed (YYYY-MM-DD, supplier time zone); null while in production' })
  promisedShipDate?: string | null;
  @ApiProperty({ type: [FulfillmentLineResponseDto] }) lines!: FulfillmentLineResponseDto[];
  @ApiPropertyOptional({ type: [ShipmentResponseDto] }) shipments?: ShipmentResponseDto[];
}
