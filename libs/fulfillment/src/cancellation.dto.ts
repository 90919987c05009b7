import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CancelOrderDto {
  @ApiPropertyOptional({ example: 'consumer changed their mind' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
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
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
}
