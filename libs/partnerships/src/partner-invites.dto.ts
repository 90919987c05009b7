import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { CURRENCIES, Currency } from '@gongxiao/core';
import { SessionResponseDto } from '@gongxiao/merchants';

export const INVITE_STATUSES = ['active', 'expired', 'revoked', 'used_up'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export class CreatePartnerInviteDto {
  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 1_000_000, description: 'How many merchants may join through it; null or absent: unlimited' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxUses?: number | null;

  @ApiPropertyOptional({ description: 'When it stops working (ISO-8601); default 30 days from now, at most a year', example: '2027-01-01T00:00:00+08:00' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an ISO-8601 timestamp' })
  expiresAt?: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'Yours only: what this invite is for (the joining merchants do not see it)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'CNY', description: 'The currency the partnerships it opens settle in' })
  @IsOptional()
  @IsIn(CURRENCIES)
  currency?: Currency;

  @ApiPropertyOptional({ enum: ['monthly'], default: 'monthly' })
  @IsOptional()
  @IsIn(['monthly'])
  settlementCycle?: 'monthly';
}

export class PartnerInviteResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The last characters of the code, to tell invites apart (the code itself is shown once, when created)', example: '…K7QD' })
  codeHint!: string;
  @ApiPropertyOptional({ nullable: true, description: 'null: unlimited' }) maxUses!: number | null;
  @ApiProperty({ description: 'How many merchants have joined or accepted through it' }) uses!: number;
  @ApiProperty({ enum: INVITE_STATUSES }) status!: InviteStatus;
  @ApiProperty() expiresAt!: string;
  @ApiPropertyOptional({ nullable: true }) revokedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
  @ApiProperty() currency!: string;
  @ApiProperty() settlementCycle!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedPartnerInviteResponseDto extends PartnerInviteResponseDto {
  @ApiProperty({ description: 'The invite code. Shown only in this response: share it (or the link) now.', example: 'K3QX7M2PZB5WJ4TRN6HD' })
  code!: string;
  @ApiProperty({ description: 'Path of the console page where a merchant joins with this code', example: '/join/K3QX7M2PZB5WJ4TRN6HD' })
  link!: string;
}

export class PartnerInvitePageDto {
  @ApiProperty({ type: [PartnerInviteResponseDto] }) data!: PartnerInviteResponseDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class JoinedPartnerResponseDto extends SessionResponseDto {
  @ApiProperty({ description: 'The active partnership with the merchant that invited you' }) partnershipId!: string;
}
