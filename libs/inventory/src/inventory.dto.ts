import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@gongxiao/core';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';

const ID = /^\d{1,18}$/;

export class SetStockLevelDto {
  @ApiProperty() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId!: string;
  @ApiProperty() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId!: string;

  @ApiProperty({ description: 'Units physically on hand (absolute). Reserved units are kept.' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  onHand!: number;

  @ApiPropertyOptional({ description: 'Units held back from sale' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  safetyStock?: number;
}

export class AdjustStockDto {
  @ApiProperty() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId!: string;
  @ApiProperty() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId!: string;

  @ApiProperty({ description: 'Units to add (positive) or remove (negative)' })
  @IsInt()
  @NotEquals(0, { message: 'delta must not be 0' })
  @Min(-100_000_000)
  @Max(100_000_000)
  delta!: number;

  @ApiPropertyOptional({ example: 'damaged in storage' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  note?: string;
}

export class ListStockLevelsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId?: string;
}

export class StockLevelResponseDto {
  @ApiProperty() warehouseId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() safetyStock!: number;
  @ApiProperty({ description: 'onHand − reserved − safetyStock, never below 0' }) available!: number;
  @ApiProperty() updatedAt!: string;
}
