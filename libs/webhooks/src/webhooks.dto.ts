import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';

export const DELIVERY_STATUSES = ['pending', 'delivering', 'retrying', 'delivered', 'failed'] as const;

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Fulfillment order id (ERP) or channel order id (shop callback)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'subjectId must be an id' })
  subjectId?: string;
}

export class WebhookDeliveryResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['warehouse_erp', 'shop_callback'] }) targetKind!: string;
  @ApiProperty() targetId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ description: 'Sent as X-Gongxiao-Event-Id; receivers deduplicate on it' }) eventId!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true }) lastStatusCode!: number | null;
  @ApiPropertyOptional({
    nullable: true,
    description:
      'Why the last attempt failed: "The endpoint answered HTTP <status>", "The endpoint could not be reached" (any failure below HTTP: refused, reset, timed out, TLS, DNS) or "blocked_destination: …" (the endpoint is an address outgoing calls may not reach; not retried)',
  })
  lastError!: string | null;
  @ApiPropertyOptional({ nullable: true }) lastAttemptAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt!: string | null;
  @ApiProperty() createdAt!: string;
}
