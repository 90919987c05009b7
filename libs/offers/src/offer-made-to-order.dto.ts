import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';

export class SetMadeToOrderDto {
  @ApiProperty({ example: 10, minimum: 1, maximum: 90, description: 'Days from confirming a run to shipping its orders' })
  @IsInt({ message: 'leadTimeDays must be a whole number of days' })
  @Min(1)
  @Max(90)
  leadTimeDays!: number;

  @ApiPropertyOptional({ example: 50, minimum: 1, default: 1, description: 'The smallest batch worth producing: a run closing below it is produced anyway or cancelled, as you choose' })
  @IsOptional()
  @IsInt({ message: 'minBatchUnits must be a whole number of units' })
  @Min(1)
  @Max(1_000_000)
  minBatchUnits?: number;

  @ApiPropertyOptional({ example: 500, type: Number, nullable: true, description: 'The most one run makes (null: no limit); orders past it wait for the next run' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt({ message: 'maxBatchUnits must be a whole number of units or null' })
  @Min(1)
  @Max(1_000_000)
  maxBatchUnits?: number | null;

  @ApiProperty({ example: [2, 5], type: [Number], description: 'ISO weekdays (1 Monday … 7 Sunday) on which the open run closes' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true, message: 'cutoffWeekdays must be whole numbers 1 (Monday) to 7 (Sunday)' })
  @Min(1, { each: true })
  @Max(7, { each: true })
  cutoffWeekdays!: number[];

  @ApiProperty({ example: '18:00', description: 'The cut-off time of day, HH:MM on your wall clock (your settlement time zone, Asia/Shanghai by default)' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'cutoffTime must be a time of day HH:MM between 00:00 and 23:59' })
  cutoffTime!: string;
}

export class MadeToOrderResponseDto {
  @ApiProperty() offerId!: string;
  @ApiProperty({ description: 'The offer is made to order (no stock needed; orders wait for a production run)' }) madeToOrder!: boolean;
  @ApiProperty({ description: "The terms are the origin offer's, shown on a re-share as they are" }) inherited!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) leadTimeDays!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) minBatchUnits!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) maxBatchUnits!: number | null;
  @ApiProperty({ type: [Number] }) cutoffWeekdays!: number[];
  @ApiPropertyOptional({ nullable: true, type: String }) cutoffTime!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'What its listings show shops as available (before caps): the maximum batch, or 9,999 without one' })
  statedAvailability!: number | null;
}
