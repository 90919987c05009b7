import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';
import { RECEIPT_OUTCOMES } from './platform-shops.service';

export class ListPlatformDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECEIPT_OUTCOMES }) @IsOptional() @IsIn(RECEIPT_OUTCOMES) outcome?: string;
}

export class PlatformDeliveryResponseDto {
  @ApiProperty({ description: "The platform's delivery id (WooCommerce: its delivery id and a hash of the body)" }) deliveryId!: string;
  @ApiProperty({ example: 'orders/create' }) topic!: string;
  @ApiProperty({
    enum: RECEIPT_OUTCOMES,
    description:
      'applied: made an order or a cancellation; ignored: nothing to do; refused: signed by the platform but not a valid order (see detail: fix it on the platform and re-send); ' +
      'deferred: a cancellation that came before its order, applied when the order comes',
  })
  outcome!: string;
  @ApiPropertyOptional({ nullable: true, description: 'What was done, or why it was ignored or refused (the fields named)' }) detail!: string | null;
  @ApiPropertyOptional({ nullable: true }) externalOrderId!: string | null;
  @ApiProperty() receivedAt!: string;
}
