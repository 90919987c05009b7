import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@gongxiao/core';
import { MAX_SCHEDULE_TIMES, SCHEDULE_TIME } from './schedule-clock';

const ID = /^\d{1,18}$/;
export const BATCH_TRIGGERS = ['schedule', 'manual'] as const;

export class PutSheetScheduleDto {
  @ApiProperty({ type: [String], example: ['10:00', '14:00', '18:00'], maxItems: MAX_SCHEDULE_TIMES, description: 'Times of day (HH:MM, 24 h) a batch is cut; [] stops the schedule' })
  @IsArray()
  @ArrayMaxSize(MAX_SCHEDULE_TIMES)
  @IsString({ each: true })
  @Matches(SCHEDULE_TIME, { each: true, message: 'times must be times of day HH:MM between 00:00 and 23:59' })
  times!: string[];

  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: "IANA time zone of the times; default your merchant's time zone" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;
}

export class SheetScheduleResponseDto {
  @ApiProperty() warehouseId!: string;
  @ApiProperty({ type: [String], example: ['10:00', '14:00', '18:00'] }) times!: string[];
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When the next batch is cut (none without times)' }) nextCutAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Last change (none while the warehouse never had a schedule)' }) updatedAt!: string | null;
}

export class OrderSheetBatchResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() warehouseId!: string;
  @ApiProperty({ description: 'Batch number within its warehouse: 1, 2, 3 …' }) number!: number;
  @ApiProperty({ enum: BATCH_TRIGGERS, description: 'Cut by the schedule, or by hand (POST …/order-sheet-batches)' }) trigger!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The scheduled time it was cut for (none when cut by hand)' }) scheduledFor!: string | null;
  @ApiProperty({ description: 'When it was cut: it holds the orders released to you by then and not in an earlier batch' }) cutAt!: string;
  @ApiProperty({ description: 'Fulfillment orders to ship (sheet 1, 发货单)' }) orderCount!: number;
  @ApiProperty({ description: 'Orders of earlier batches with units (or all of them) cancelled since (sheet 2, 已取消 请勿发货)' }) cancelledCount!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'First time its file was downloaded' }) firstDownloadedAt!: string | null;
}

export class ListOrderSheetBatchesQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'warehouseId must be a warehouse id' }) warehouseId?: string;
}

export class OrderSheetBatchFileQueryDto {
  @ApiPropertyOptional({ enum: ['zh-CN', 'en'], default: 'zh-CN', description: 'Language of the sheet names, headers, statuses and carrier names' })
  @IsOptional()
  @IsIn(['zh-CN', 'en'])
  language?: 'zh-CN' | 'en';
}
