import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CURRENCIES, Currency, PageQueryDto } from '@gongxiao/core';
import type { PartnershipStatus } from './partnership.entity';

export class InvitePartnerDto {
  @ApiProperty({ description: 'Id of the merchant to supply (it becomes your downstream partner)', example: '42' })
  @Matches(/^\d{1,18}$/, { message: 'downstreamMerchantId must be a merchant id (digits)' })
  downstreamMerchantId!: string;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'CNY' })
  @IsOptional()
  @IsIn(CURRENCIES)
  currency?: Currency;

  @ApiPropertyOptional({ enum: ['monthly'], default: 'monthly' })
  @IsOptional()
  @IsIn(['monthly'])
  settlementCycle?: 'monthly';

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ListPartnershipsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['upstream', 'downstream'], description: 'upstream: partners that supply you; downstream: partners you supply' })
  @IsOptional()
  @IsIn(['upstream', 'downstream'])
  side?: 'upstream' | 'downstream';

  @ApiPropertyOptional({ enum: ['invited', 'active', 'suspended', 'declined'] })
  @IsOptional()
  @IsIn(['invited', 'active', 'suspended', 'declined'])
  status?: PartnershipStatus;
}

export class PartnerRefDto {
  @ApiProperty() merchantId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for the invited merchant until it accepts' }) name!: string | null;
}

export class InvitationSentResponseDto {
  @ApiProperty({
    enum: ['sent'],
    description: 'The same answer whether or not the id is a merchant: the invitee sees the invitation in its partnerships and accepts it; you see the partnership once it does',
  })
  status!: 'sent';
  @ApiProperty() downstreamMerchantId!: string;
}

export class PartnershipResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: PartnerRefDto }) upstream!: PartnerRefDto;
  @ApiProperty({ type: PartnerRefDto }) downstream!: PartnerRefDto;
  @ApiProperty({ enum: ['upstream', 'downstream'], description: 'Your side in this partnership' }) yourSide!: 'upstream' | 'downstream';
  @ApiProperty({ enum: ['invited', 'active', 'suspended', 'declined'] }) status!: PartnershipStatus;
  @ApiProperty() settlementCycle!: string;
  @ApiProperty() currency!: string;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
  @ApiProperty() invitedAt!: string;
  @ApiPropertyOptional({ nullable: true }) acceptedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) suspendedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['upstream', 'downstream'] }) suspendedBy!: 'upstream' | 'downstream' | null;
}
