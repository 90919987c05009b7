import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, Max, Min, ValidateNested } from 'class-validator';
import { IsTimestamp, MoneyDto } from '@gongxiao/core';

/** A trial sale (五折试销) on an offer: the first `unitsPerBuyer` units each buyer orders within the period cost `price`. */
export class OfferTrialDto {
  @ApiProperty({ type: MoneyDto, description: 'Trial price per unit, below the offer price (e.g. half of it), in its currency' })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  price!: MoneyDto;

  @ApiProperty({ minimum: 1, maximum: 1000000, description: 'Units each buyer gets at the trial price' })
  @IsInt({ message: 'unitsPerBuyer must be a whole number of units' })
  @Min(1)
  @Max(1_000_000)
  unitsPerBuyer!: number;

  @ApiProperty({ example: '2026-12-01T00:00:00+08:00', description: 'Start of the trial (a date is midnight in Asia/Shanghai)' })
  @IsTimestamp()
  startsAt!: string;

  @ApiProperty({ example: '2026-12-31T00:00:00+08:00', description: 'End of the trial, exclusive; after the start' })
  @IsTimestamp()
  endsAt!: string;
}

/** An offer's trial as its seller set it. */
export class OfferTrialResponseDto {
  @ApiProperty({ type: MoneyDto }) price!: MoneyDto;
  @ApiProperty() unitsPerBuyer!: number;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty({ description: 'Whether the trial period is running now' }) active!: boolean;
}

/** The buyer's view of an offer's trial: its terms and how many trial units it has left. */
export class AvailableOfferTrialDto extends OfferTrialResponseDto {
  @ApiProperty({ description: 'Trial units you have left (0 once used up)' }) unitsLeft!: number;
}

/** What a buyer's trial of an offer came to, to decide whether to go on selling it. */
export class TrialFiguresResponseDto {
  @ApiProperty() offerId!: string;
  @ApiPropertyOptional({ type: AvailableOfferTrialDto, nullable: true, description: 'null when the offer carries no trial (any more)' }) trial!: AvailableOfferTrialDto | null;
  @ApiProperty({ description: 'Units you bought at the trial price (cancelled units given back excluded)' }) unitsAtTrialPrice!: number;
  @ApiProperty({ description: 'Of those, units shipped' }) unitsShipped!: number;
  @ApiProperty({ description: 'Units of the lines that carried trial units that consumers returned (accepted return cases)' }) unitsReturned!: number;
  @ApiProperty({ description: 'Shop orders that took trial units' }) orders!: number;
  @ApiPropertyOptional({ nullable: true, description: 'Bad reviews of those lines; null while no reviews source is connected' }) badReviews!: number | null;
}
