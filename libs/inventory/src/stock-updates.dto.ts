import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { MAX_STOCK_UPDATES, STOCK_UPDATE_REASONS, StockUpdateReason } from './stock-updates.constants';
import { acceptsStockUpdatesAsIs } from './stock-updates.plain-check';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, NotEquals, ValidateNested } from 'class-validator';

const ID = /^\d{1,18}$/;
export { MAX_STOCK_UPDATES, STOCK_UPDATE_REASONS, type StockUpdateReason } from './stock-updates.constants';

export class StockUpdateItemDto {
  @ApiProperty({ example: 'erp-20261122-000123', description: 'Idempotency key: the same key twice changes stock once; with another body it is refused' })
  @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'key must be 1-100 visible ASCII characters' })
  key!: string;

  @ApiPropertyOptional({ description: 'Give warehouseId or warehouseCode' }) @IsOptional() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
  @ApiPropertyOptional({ example: 'ZJ-YIWU' }) @IsOptional() @IsString() @Length(1, 32) warehouseCode?: string;
  @ApiPropertyOptional({ description: 'Give skuId or skuCode' }) @IsOptional() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId?: string;
  @ApiPropertyOptional({ example: 'TEE-WHITE-M' }) @IsOptional() @IsString() @Length(1, 64) skuCode?: string;

  @ApiPropertyOptional({ description: 'Absolute units on hand (reserved units are kept)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  onHand?: number;

  @ApiPropertyOptional({ description: 'Units to add (positive) or remove (negative)' })
  @IsOptional()
  @IsInt()
  @NotEquals(0, { message: 'delta must not be 0' })
  @Min(-100_000_000)
  @Max(100_000_000)
  delta?: number;

  @ApiPropertyOptional({ description: 'Units held back from sale' }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000) safetyStock?: number;

  @ApiPropertyOptional({ enum: STOCK_UPDATE_REASONS, description: 'Default: erp_sync' }) @IsOptional() @IsIn(STOCK_UPDATE_REASONS) reason?: StockUpdateReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) note?: string;
}

export class StockUpdatesDto {
  @ApiProperty({ type: [StockUpdateItemDto], description: `1 to ${MAX_STOCK_UPDATES} updates, applied all or nothing, in order` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STOCK_UPDATES)
  @ValidateNested({ each: true })
  @Type(() => StockUpdateItemDto)
  updates!: StockUpdateItemDto[];

  /** A body the decorators would accept unchanged skips them (AcceptsAsIs in core's validation pipe). */
  static acceptsAsIs(value: unknown): boolean {
    return acceptsStockUpdatesAsIs(value);
  }
}

export class StockUpdateResultDto {
  @ApiProperty() key!: string;
  @ApiProperty({ enum: ['applied', 'duplicate'], description: 'duplicate: this key was applied before; nothing changed' }) status!: 'applied' | 'duplicate';
  @ApiProperty() warehouseId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() safetyStock!: number;
  @ApiProperty() available!: number;
}

export class StockUpdatesResponseDto {
  @ApiProperty() applied!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty({ type: [StockUpdateResultDto] }) results!: StockUpdateResultDto[];
}
