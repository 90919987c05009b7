import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@gongxiao/core';
import { AvailableOfferTrialDto, OfferTrialDto, OfferTrialResponseDto } from './offer-trial.dto';
import { OfferCustomizationResponseDto } from './offer-customization.dto';
import { MadeToOrderResponseDto } from './offer-made-to-order.dto';

const ID = /^\d{1,18}$/;

export class CreateOfferDto {
  @ApiPropertyOptional({ description: 'Your own SKU to offer (origin offer). Give this or upstreamOfferId.' })
  @IsOptional()
  @Matches(ID, { message: 'skuId must be a SKU id' })
  skuId?: string;

  @ApiPropertyOptional({ description: 'An offer you received, to re-share to your own partners. Give this or skuId.' })
  @IsOptional()
  @Matches(ID, { message: 'upstreamOfferId must be an offer id' })
  upstreamOfferId?: string;

  @ApiPropertyOptional({ description: 'The partner it is offered to; omit to offer it to all your active partners.' })
  @IsOptional()
  @Matches(ID, { message: 'buyerMerchantId must be a merchant id' })
  buyerMerchantId?: string;

  @ApiProperty({ type: MoneyDto, description: 'Supply price the buyer pays you per unit' })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  price!: MoneyDto;

  @ApiPropertyOptional({ type: MoneyDto, description: 'What the buyer pays you per parcel, in the currency of the price; default 0 (no fee). A re-share sets its own fee.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  shippingFee?: MoneyDto;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 365,
    description: 'No-reason return window in days after delivery (or shipment). Default 7; a re-share defaults to, and may not exceed, the window of the offer it re-shares.',
  })
  @IsOptional()
  @IsInt({ message: 'returnWindowDays must be a whole number of days' })
  @Min(0)
  @Max(365)
  returnWindowDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description:
      'Hours you have to approve or reject a return case of these goods before it is approved automatically (origin offers only; default 48). The deadline is frozen on a case when it opens.',
  })
  @IsOptional()
  @IsInt({ message: 'returnDecisionHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  returnDecisionHours?: number;
  @ApiPropertyOptional({ type: OfferTrialDto, description: 'A trial sale (五折试销): the first units each buyer orders within the period at a lower price. A re-share sets its own trial or none.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferTrialDto)
  trial?: OfferTrialDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description: 'Ship-by standard: hours from routing in which the goods ship. Default 48. The standard orders are held to is the origin offer’s (frozen at routing).',
  })
  @IsOptional()
  @IsInt({ message: 'shipWithinHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  shipWithinHours?: number;
}

export class UpdateOfferDto {
  @ApiPropertyOptional({ type: MoneyDto, description: 'New supply price; orders already routed keep the price frozen at routing.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  price?: MoneyDto;

  @ApiPropertyOptional({ type: MoneyDto, description: 'New shipping fee per parcel; orders already routed keep the fee frozen at routing.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  shippingFee?: MoneyDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 365, description: 'New no-reason return window in days; orders already routed keep the window frozen at routing.' })
  @IsOptional()
  @IsInt({ message: 'returnWindowDays must be a whole number of days' })
  @Min(0)
  @Max(365)
  returnWindowDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description: 'New decision deadline for return cases in hours (origin offers only); cases already open keep their deadline.',
  })
  @IsOptional()
  @IsInt({ message: 'returnDecisionHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  returnDecisionHours?: number;
  @ApiPropertyOptional({ type: OfferTrialDto, nullable: true, description: 'New trial terms, or null to end the trial; units buyers already took stay counted.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferTrialDto)
  trial?: OfferTrialDto | null;
  @ApiPropertyOptional({ minimum: 1, maximum: 720, description: 'New ship-by standard in hours; orders already routed keep the ship-by time frozen at routing.' })
  @IsOptional()
  @IsInt({ message: 'shipWithinHours must be a whole number of hours' })
  @Min(1)
  @Max(720)
  shipWithinHours?: number;
}

export class ListOffersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'withdrawn', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'withdrawn', 'suspended'])
  status?: 'active' | 'withdrawn' | 'suspended';
}

export class OfferSkuDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() specs!: Record<string, string>;
  @ApiPropertyOptional({ nullable: true }) weightGrams!: number | null;
  @ApiPropertyOptional({ nullable: true }) barcode!: string | null;
}

/** The seller's view of an offer it makes: what it charges and, for a re-share, what it pays. */
export class OwnOfferResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['origin', 'reshare'] }) kind!: 'origin' | 'reshare';
  @ApiPropertyOptional({ nullable: true, description: 'null = all your active partners' }) buyerMerchantId!: string | null;
  @ApiPropertyOptional({ nullable: true }) upstreamOfferId!: string | null;
  @ApiProperty({ type: OfferSkuDto }) sku!: OfferSkuDto;
  @ApiProperty({ type: MoneyDto, description: 'What your buyer pays you' }) price!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'What your buyer pays you per parcel' }) shippingFee!: MoneyDto;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'What you pay upstream (re-shares only)' }) cost!: MoneyDto | null;
  @ApiProperty({ enum: ['active', 'withdrawn', 'suspended'], description: 'suspended: by your quality rule (自动下架); reinstate the delisting to sell again' }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The delisting that suspended the offer (GET /v1/quality/delistings/:id)' }) delistingId?: string | null;
  @ApiProperty({ description: 'No-reason return window in days' }) returnWindowDays!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Hours to decide a return case before it is approved automatically; null for a re-share (the origin supplier decides)' })
  returnDecisionHours!: number | null;
  @ApiPropertyOptional({ type: OfferTrialResponseDto, nullable: true, description: 'The trial sale on this offer, if any' }) trial!: OfferTrialResponseDto | null;
  @ApiProperty({ description: 'Ship-by standard: hours from routing in which the goods ship' }) shipWithinHours!: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: OfferCustomizationResponseDto, description: "Light customization (轻定制) options buyers may set per line: the origin offer's (a re-share shows its origin's)" })
  customization?: OfferCustomizationResponseDto;
  @ApiPropertyOptional({ type: MadeToOrderResponseDto, description: "Made to order (按单生产): the origin offer's lead time, batch sizes and cut-off schedule" })
  madeToOrder?: MadeToOrderResponseDto;
}

/** The buyer's view of an offer available to it: only the price it pays. */
export class AvailableOfferResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() sellerMerchantId!: string;
  @ApiProperty() sellerName!: string;
  @ApiProperty({ type: OfferSkuDto }) sku!: OfferSkuDto;
  @ApiProperty({ type: MoneyDto, description: 'What you pay the seller per unit' }) price!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'What you pay the seller per parcel' }) shippingFee!: MoneyDto;
  @ApiProperty({ description: 'No-reason return window in days the seller grants you' }) returnWindowDays!: number;
  @ApiPropertyOptional({ type: AvailableOfferTrialDto, nullable: true, description: 'The trial sale (试销) the seller gives you on this offer, with your units left' })
  trial!: AvailableOfferTrialDto | null;
  @ApiProperty({ description: 'Ship-by standard the seller promises: hours from routing' }) shipWithinHours!: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ description: 'Units you may sell now: the minimum along the chain, after allocation caps' }) available?: number;
  @ApiPropertyOptional({ type: OfferCustomizationResponseDto, description: 'Light customization (轻定制) options your lines may carry, with the extra price per unit (added to your price)' })
  customization?: OfferCustomizationResponseDto;
  @ApiPropertyOptional({ type: MadeToOrderResponseDto, description: 'Made to order (按单生产): orders wait for the next cut-off, then ship about lead-time days after the supplier confirms the run' })
  madeToOrder?: MadeToOrderResponseDto;
}
