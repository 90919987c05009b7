import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';

export const PRODUCTION_RUN_STATUSES = ['open', 'closed', 'confirmed', 'cancelled'] as const;
export type ProductionRunStatus = (typeof PRODUCTION_RUN_STATUSES)[number];

export class ListProductionRunsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PRODUCTION_RUN_STATUSES, description: 'open: collecting orders until its cut-off; closed: waiting for you to confirm or cancel it' })
  @IsOptional()
  @IsIn(PRODUCTION_RUN_STATUSES)
  status?: ProductionRunStatus;
}

export class ConfirmProductionRunDto {
  @ApiPropertyOptional({ default: false, description: 'Produce a run that closed below its minimum batch anyway (without it such a run is refused with run_below_minimum)' })
  @IsOptional()
  @IsBoolean()
  produceBelowMinimum?: boolean;
}

export class CancelProductionRunDto {
  @ApiProperty({ example: '未达起订量', description: 'Why the run is not produced (1–500 characters): every cancelled order carries it' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ProductionDemandDto {
  @ApiProperty({ description: "The line customization's canonical key ('' without customization): one batch of identical goods" }) customizationKey!: string;
  @ApiProperty({ description: 'What the customization reads, e.g. 刻字: 生日快乐；包装: 礼盒' }) customizationLabel!: string;
  @ApiProperty() units!: number;
  @ApiProperty({ description: 'Fulfillment orders with units of it' }) orders!: number;
}

export class ProductionRunResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PRODUCTION_RUN_STATUSES }) status!: ProductionRunStatus;
  @ApiProperty() offerId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty() skuName!: string;
  @ApiProperty({ description: 'Where the run is produced and its orders ship from' }) warehouseId!: string;
  @ApiProperty({ description: 'When the run closes (closed): orders after it go to the next run' }) cutoffAt!: string;
  @ApiProperty() leadTimeDays!: number;
  @ApiProperty() minBatchUnits!: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) maxBatchUnits!: number | null;
  @ApiProperty({ description: 'Units ordered and not cancelled' }) units!: number;
  @ApiProperty({ description: 'Fulfillment orders with units in the run and not cancelled' }) orderCount!: number;
  @ApiProperty({ description: 'units < minBatchUnits' }) belowMinimum!: boolean;
  @ApiProperty({ type: [ProductionDemandDto], description: 'Units per customization (made-to-order runs group by it)' }) demand!: ProductionDemandDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) closedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) confirmedAt!: string | null;
  @ApiProperty() producedBelowMinimum!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Set when confirmed: confirm day + lead time, in your time zone (YYYY-MM-DD)' }) promisedShipDate!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cancelledAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty() createdAt!: string;
}
