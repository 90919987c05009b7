import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';

export const PLATFORM_CALL_KINDS = ['shipment', 'stock'] as const;
export const PLATFORM_CALL_STATUSES = ['pending', 'calling', 'retrying', 'done', 'skipped', 'failed'] as const;
export type PlatformCallKind = (typeof PLATFORM_CALL_KINDS)[number];

export class ListPlatformCallsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PLATFORM_CALL_STATUSES }) @IsOptional() @IsIn(PLATFORM_CALL_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: PLATFORM_CALL_KINDS }) @IsOptional() @IsIn(PLATFORM_CALL_KINDS) kind?: string;
}

export class PlatformCallResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() shopId!: string;
  @ApiProperty({ enum: PLATFORM_CALL_KINDS, description: 'shipment: a parcel told to the platform; stock: listings’ sellable quantities set there' }) kind!: string;
  @ApiPropertyOptional({ nullable: true, description: 'The channel order (shipment calls)' }) subjectId!: string | null;
  @ApiProperty({
    enum: PLATFORM_CALL_STATUSES,
    description: 'done: the platform took it; skipped: nothing could be sent (e.g. listings without platform ids); failed: given up (see lastError); retrying: tried again with backoff',
  })
  status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, description: 'The HTTP status of the platform’s last answer' }) lastStatusCode!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Why the last attempt failed, with the platform’s own message' }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'What was left out of a call that went through (e.g. listings without platform ids)' }) note!: string | null;
  @ApiPropertyOptional({ nullable: true }) lastAttemptAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) doneAt!: string | null;
  @ApiProperty() createdAt!: string;
}
