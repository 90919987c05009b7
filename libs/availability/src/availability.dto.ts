import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsTimestamp, PageQueryDto } from '@gongxiao/core';

const ID = /^\d{1,18}$/;

export class SetAllocationCapDto {
  @ApiProperty({ description: 'The downstream partner whose sales are capped' }) @Matches(ID, { message: 'buyerMerchantId must be a merchant id' }) buyerMerchantId!: string;
  @ApiPropertyOptional({ description: 'The origin SKU the cap applies to; omit for every SKU you offer this partner' })
  @IsOptional()
  @Matches(ID, { message: 'skuId must be a SKU id' })
  skuId?: string;
  @ApiPropertyOptional({ description: 'At most this many units (give fixed or percent)' }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000) fixed?: number;
  @ApiPropertyOptional({ description: 'At most this percentage of what is available to you (give fixed or percent)' }) @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
}

export class AllocationCapResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() buyerMerchantId!: string;
  @ApiPropertyOptional({ nullable: true }) skuId!: string | null;
  @ApiProperty({ enum: ['fixed', 'percent'] }) kind!: string;
  @ApiProperty() value!: number;
  @ApiProperty() updatedAt!: string;
}

export class ListListingAvailabilityQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'shopId must be a shop id' }) shopId?: string;
  @ApiPropertyOptional({ description: 'Only listings whose availability changed at or after this time (ISO-8601)' })
  @IsOptional()
  @IsTimestamp()
  updatedSince?: string;
}

export class ListingAvailabilityResponseDto {
  @ApiProperty() listingId!: string;
  @ApiProperty() shopId!: string;
  @ApiProperty({ description: 'Units this listing may sell now: the minimum along its chain' }) available!: number;
  @ApiProperty() soldOut!: boolean;
  @ApiProperty({ description: 'Grows with every change; a newer value has a higher version' }) version!: string;
  @ApiProperty() updatedAt!: string;
}

export class SetStockAlertDto {
  @ApiProperty() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId!: string;
  @ApiProperty({ description: 'At or below this many available units the SKU is "low" (0 is always "out")' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  lowStockThreshold!: number;
}

export class StockAlertResponseDto {
  @ApiProperty() skuId!: string;
  @ApiProperty() lowStockThreshold!: number;
  @ApiProperty({ enum: ['ok', 'low', 'out'] }) state!: string;
  @ApiProperty() updatedAt!: string;
}
