import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsTimestamp } from '@gongxiao/core';

export const REVIEW_TEXT_MAX = 2000;
export const DEFAULT_BAD_REVIEW_MAX_RATING = 2;

/** A consumer's rating of one line of a shop order, pushed by the shop (signed like orders). */
export class PushReviewDto {
  @ApiProperty({ example: 'RV-10023', description: "The shop's own id of the review; a repeat with the same content changes nothing, with other content is a 409" })
  @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'externalReviewId must be 1-100 visible ASCII characters' })
  externalReviewId!: string;

  @ApiProperty({ example: 'YZ-10023', description: 'The externalOrderId the order was pushed with' })
  @IsString()
  @MaxLength(100)
  externalOrderId!: string;

  @ApiPropertyOptional({ description: "The line as the shop platform identifies it (the order line's externalLineId). Give this, lineNo or shopSkuCode." })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'externalLineId must be 1-64 visible ASCII characters' })
  externalLineId?: string;

  @ApiPropertyOptional({ description: 'The line by its number in the order (1 = first), as cancellations name it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  lineNo?: number;

  @ApiPropertyOptional({ description: "The line by the shop's SKU code (must name one line of the order)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  shopSkuCode?: string;

  @ApiProperty({ minimum: 1, maximum: 5, description: 'Whole stars, 1 (worst) to 5' })
  @IsInt({ message: 'rating must be a whole number from 1 to 5' })
  @Min(1)
  @Max(5)
  rating!: number;

  @ApiPropertyOptional({ maxLength: REVIEW_TEXT_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(REVIEW_TEXT_MAX)
  text?: string;

  @ApiPropertyOptional({ description: 'When the consumer wrote it (ISO-8601); default when received' })
  @IsOptional()
  @IsTimestamp()
  createdAt?: string;
}

export class ReviewReceiptDto {
  @ApiProperty() id!: string;
  @ApiProperty() externalReviewId!: string;
  @ApiProperty() rating!: number;
  @ApiProperty({ description: "Bad by the supplier's setting (rating ≤ badReviewMaxRating, 2 by default)" }) bad!: boolean;
  @ApiProperty({ description: 'The fulfillment line it was resolved to' }) fulfillmentOrderLineId!: string;
  @ApiProperty({ description: 'True when this externalReviewId was received before with the same content: nothing changed' }) duplicate!: boolean;
  @ApiProperty() reviewedAt!: string;
}

export class QualitySettingsDto {
  @ApiProperty({ minimum: 1, maximum: 4, description: 'A review of your goods with this many stars or fewer is bad (default 2)' })
  @IsInt({ message: 'badReviewMaxRating must be a whole number from 1 to 4' })
  @Min(1)
  @Max(4)
  badReviewMaxRating!: number;
}

export class QualitySettingsResponseDto extends QualitySettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null while the defaults apply' }) updatedAt!: string | null;
}

export const SCORECARD_DAYS = ['7', '30', '90'] as const;

export class ScorecardQueryDto {
  @ApiProperty({ enum: ['supplier', 'warehouse', 'sku'], description: 'One row per supplier, per warehouse or per SKU' })
  @IsIn(['supplier', 'warehouse', 'sku'], { message: 'scope must be supplier, warehouse or sku' })
  scope!: 'supplier' | 'warehouse' | 'sku';

  @ApiPropertyOptional({ enum: SCORECARD_DAYS, default: '30', description: 'Rolling window in days, by routing time' })
  @IsOptional()
  @IsIn(SCORECARD_DAYS, { message: 'days must be 7, 30 or 90' })
  days?: (typeof SCORECARD_DAYS)[number];
}

export class ReturnReasonDto {
  @ApiProperty() reason!: string;
  @ApiProperty() units!: number;
  @ApiProperty({ description: 'units / units shipped' }) rate!: number;
}

export class ScorecardRowDto {
  @ApiProperty({ description: 'The supplier, warehouse or SKU id' }) id!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Supplier name, warehouse name or SKU code and name' }) label!: string | null;
  @ApiProperty({ description: 'Fulfillment orders routed in the window' }) ordersRouted!: number;
  @ApiProperty({ description: 'Orders fully shipped by their ship-by' }) ordersShippedOnTime!: number;
  @ApiProperty({ description: 'Orders shipped or past their ship-by (cancelled ones aside): what the on-time share is taken over' }) ordersDue!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'ordersShippedOnTime / ordersDue' }) onTimeShare!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Hours from routing to the first parcel' }) avgHoursToShip!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) p90HoursToShip!: number | null;
  @ApiProperty({ description: 'Orders overdue now (超时未发货)' }) overdueNow!: number;
  @ApiProperty() shipments!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Parcels whose tracking number the carrier dictionary accepts / parcels' }) validTrackingShare!: number | null;
  @ApiProperty() unitsOrdered!: number;
  @ApiProperty() unitsCancelled!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'unitsCancelled / unitsOrdered' }) cancellationRate!: number | null;
  @ApiProperty() unitsShipped!: number;
  @ApiProperty({ description: "Consumers' returned units (accepted cases)" }) unitsReturned!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'unitsReturned / unitsShipped' }) returnRate!: number | null;
  @ApiProperty({ type: [ReturnReasonDto] }) returnsByReason!: ReturnReasonDto[];
  @ApiProperty({ description: 'Lines with at least one unit shipped' }) linesShipped!: number;
  @ApiProperty({ description: 'Lines with a consumer review' }) linesReviewed!: number;
  @ApiProperty({ description: "Lines with a bad review (by the supplier's setting)" }) linesBadReviewed!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'linesBadReviewed / linesReviewed' }) badReviewRate!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'linesBadReviewed / linesShipped' }) badReviewPerShippedLine!: number | null;
  @ApiProperty() interceptionRequests!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Interception requests that stopped the parcel / all' }) interceptionSuccessRate!: number | null;
}

export class ScorecardResponseDto {
  @ApiProperty({ enum: ['supplier', 'warehouse', 'sku'] }) scope!: string;
  @ApiProperty() days!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [ScorecardRowDto] }) data!: ScorecardRowDto[];
}
