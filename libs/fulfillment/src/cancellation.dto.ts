import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class CancelLineDto {
  @ApiProperty({ description: 'Line number of the shop order (1 = first line pushed)' }) @IsInt() @Min(1) @Max(200) lineNo!: number;
  @ApiPropertyOptional({ description: 'Units to cancel; omit for everything not yet cancelled' }) @IsOptional() @IsInt() @Min(1) @Max(100_000) quantity?: number;
}

export class CancelOrderDto {
  @ApiPropertyOptional({ example: 'consumer changed their mind' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;

  @ApiPropertyOptional({ type: [CancelLineDto], description: 'Cancel only these lines (a routed order); omit to cancel the whole order' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CancelLineDto)
  lines?: CancelLineDto[];

  @ApiPropertyOptional({ description: "The shop's id for this cancellation; required when a shop pushes a partial one, so a repeat changes nothing" })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'cancellationId must be 1-64 visible ASCII characters' })
  cancellationId?: string;
}

export class AnswerInterceptionDto {
  @ApiProperty({ enum: ['intercepted', 'failed'], description: 'intercepted: the parcel comes back; failed: it reached the consumer' })
  @IsIn(['intercepted', 'failed'])
  outcome!: 'intercepted' | 'failed';

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) note?: string;
}

export class CancellationOutcomeDto {
  @ApiProperty() channelOrderId!: string;
  @ApiProperty({ enum: ['cancelled', 'interception_requested'], description: 'cancelled: nothing had shipped; interception_requested: some parcels had already left' })
  outcome!: 'cancelled' | 'interception_requested';
  @ApiProperty({ description: 'Fulfillment orders stopped before shipping' }) cancelledFulfillmentOrders!: number;
  @ApiProperty({ description: 'Parcels already shipped, for which an interception was requested' }) interceptionsRequested!: number;
  @ApiProperty() message!: string;
}

export class InterceptionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() fulfillmentOrderId!: string;
  @ApiProperty({ enum: ['requested', 'intercepted', 'failed'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) answeredAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When it was escalated for being left unanswered' }) escalatedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
}

export class CancellationRatesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 90, description: 'The window: fulfillment orders routed to you in the last this many days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number of days' })
  @Min(1)
  @Max(365)
  days?: number;
}

export class SkuCancellationRateDto {
  @ApiProperty() skuId!: string;
  @ApiProperty() skuCode!: string;
  @ApiProperty({ description: 'Units routed to you for this SKU' }) unitsOrdered!: number;
  @ApiProperty({ description: 'Units cancelled before they shipped' }) unitsCancelled!: number;
  @ApiProperty({ description: 'Orders whose shipped parcel had to be intercepted' }) interceptions!: number;
  @ApiProperty({ description: 'unitsCancelled / unitsOrdered (0 to 1)' }) cancellationRate!: number;
}
