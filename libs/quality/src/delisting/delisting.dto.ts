import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';

const ID = /^\d{1,18}$/;
export const DELISTING_TARGETS = ['listings', 'offers'] as const;
export const DELISTING_METRICS = ['return_rate', 'bad_review_rate', 'overdue_share'] as const;
export const DELISTING_ACTIONS = ['suspend', 'warn_only'] as const;
export const DELISTING_STATUSES = ['suspended', 'warned', 'reinstated'] as const;
export type DelistingTarget = (typeof DELISTING_TARGETS)[number];
export type DelistingMetric = (typeof DELISTING_METRICS)[number];
export type DelistingAction = (typeof DELISTING_ACTIONS)[number];

export class UpdateDelistingRuleDto {
  @ApiPropertyOptional({ enum: DELISTING_TARGETS, description: 'listings: your own shop listings of the goods (a seller); offers: your own published offers of them (a supplier or broker)' })
  @IsOptional()
  @IsIn(DELISTING_TARGETS, { message: `target must be one of ${DELISTING_TARGETS.join(', ')}` })
  target?: DelistingTarget;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The origin SKU the rule is about; null = every SKU you sell or publish' })
  @IsOptional()
  @Matches(ID, { message: 'skuId must be a SKU id' })
  skuId?: string | null;

  @ApiPropertyOptional({ enum: DELISTING_METRICS })
  @IsOptional()
  @IsIn(DELISTING_METRICS, { message: `metric must be one of ${DELISTING_METRICS.join(', ')}` })
  metric?: DelistingMetric;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Fires when the rate is strictly greater (percent, two decimals)' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'thresholdPercent must be a number with at most two decimals' })
  @Min(0)
  @Max(100)
  thresholdPercent?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000000, description: "Distinct fulfillment orders in the rate's denominator needed before the rule may fire" })
  @IsOptional()
  @IsInt({ message: 'minOrders must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  minOrders?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'Lines routed in the last windowDays days count' })
  @IsOptional()
  @IsInt({ message: 'windowDays must be a whole number' })
  @Min(1)
  @Max(90)
  windowDays?: number;

  @ApiPropertyOptional({ enum: DELISTING_ACTIONS, description: 'suspend: take the offers/listings off sale; warn_only: only tell (quality.warning)' })
  @IsOptional()
  @IsIn(DELISTING_ACTIONS, { message: `action must be one of ${DELISTING_ACTIONS.join(', ')}` })
  action?: DelistingAction;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

export class CreateDelistingRuleDto {
  @ApiProperty({ enum: DELISTING_TARGETS, description: 'listings: your own shop listings of the goods (a seller); offers: your own published offers of them (a supplier or broker)' })
  @IsIn(DELISTING_TARGETS, { message: `target must be one of ${DELISTING_TARGETS.join(', ')}` })
  target!: DelistingTarget;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The origin SKU the rule is about; null = every SKU you sell or publish' })
  @IsOptional()
  @Matches(ID, { message: 'skuId must be a SKU id' })
  skuId?: string | null;

  @ApiProperty({ enum: DELISTING_METRICS })
  @IsIn(DELISTING_METRICS, { message: `metric must be one of ${DELISTING_METRICS.join(', ')}` })
  metric!: DelistingMetric;

  @ApiProperty({ minimum: 0, maximum: 100, description: 'Fires when the rate is strictly greater (percent, two decimals)' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'thresholdPercent must be a number with at most two decimals' })
  @Min(0)
  @Max(100)
  thresholdPercent!: number;

  @ApiProperty({ minimum: 1, maximum: 1000000, description: "Distinct fulfillment orders in the rate's denominator needed before the rule may fire" })
  @IsInt({ message: 'minOrders must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  minOrders!: number;

  @ApiProperty({ minimum: 1, maximum: 90, description: 'Lines routed in the last windowDays days count' })
  @IsInt({ message: 'windowDays must be a whole number' })
  @Min(1)
  @Max(90)
  windowDays!: number;

  @ApiProperty({ enum: DELISTING_ACTIONS, description: 'suspend: take the offers/listings off sale; warn_only: only tell (quality.warning)' })
  @IsIn(DELISTING_ACTIONS, { message: `action must be one of ${DELISTING_ACTIONS.join(', ')}` })
  action!: DelistingAction;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}
export class DelistingRuleResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: DELISTING_TARGETS }) target!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) skuId!: string | null;
  @ApiProperty({ enum: DELISTING_METRICS }) metric!: string;
  @ApiProperty() thresholdPercent!: number;
  @ApiProperty() minOrders!: number;
  @ApiProperty() windowDays!: number;
  @ApiProperty({ enum: DELISTING_ACTIONS }) action!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class DelistingRulePageDto {
  @ApiProperty({ type: DelistingRuleResponseDto, isArray: true }) data!: DelistingRuleResponseDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DelistingEvidenceDto {
  @ApiProperty({ enum: DELISTING_METRICS }) metric!: string;
  @ApiProperty({ description: 'The rate, percent (two decimals)' }) valuePercent!: number;
  @ApiProperty() thresholdPercent!: number;
  @ApiProperty({ description: 'Returned units, bad lines or overdue orders' }) numerator!: number;
  @ApiProperty({ description: 'Shipped units, reviewed lines or due orders' }) denominator!: number;
  @ApiProperty({ description: 'Distinct fulfillment orders in the denominator' }) ordersCounted!: number;
  @ApiProperty({ type: String, isArray: true, description: 'Their ids, at most 1,000' }) orderIds!: string[];
  @ApiProperty() windowFrom!: string;
  @ApiProperty() windowTo!: string;
  @ApiProperty({ type: DelistingRuleResponseDto, description: 'The rule as it was when it fired' }) rule!: DelistingRuleResponseDto;
}

export class DelistingResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() ruleId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty({ enum: DELISTING_STATUSES }) status!: string;
  @ApiProperty({ type: DelistingEvidenceDto }) evidence!: DelistingEvidenceDto;
  @ApiProperty({ type: String, isArray: true }) suspendedOfferIds!: string[];
  @ApiProperty({ type: String, isArray: true }) pausedListingIds!: string[];
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) reinstatedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reinstatedByMemberId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reinstatementReason!: string | null;
}

export class DelistingPageDto {
  @ApiProperty({ type: DelistingResponseDto, isArray: true }) data!: DelistingResponseDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ListDelistingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELISTING_STATUSES }) @IsOptional() @IsIn(DELISTING_STATUSES, { message: `status must be one of ${DELISTING_STATUSES.join(', ')}` }) status?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'skuId must be a SKU id' }) skuId?: string;
}

export class ReinstateDelistingDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why the goods may be sold again (recorded)' })
  @IsString({ message: 'reason is required' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(500)
  reason!: string;
}
