import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MAX_AMOUNT } from '@gongxiao/core';
import { CUSTOMIZATION_KINDS, CustomizationKind, MAX_CUSTOMIZATION_CHOICES, MAX_CUSTOMIZATION_OPTIONS, MAX_CUSTOMIZATION_TEXT } from './offer-customization';

export class CustomizationChoiceDto {
  @ApiProperty({ example: 'gift_box', description: 'What the shop sends for this choice (1–50 characters)' })
  @IsString()
  @Length(1, 50)
  value!: string;

  @ApiProperty({ example: '礼盒', description: 'What people read (1–50 characters)' })
  @IsString()
  @Length(1, 50)
  label!: string;

  @ApiProperty({ example: 300, minimum: 0, description: 'Extra price per unit in fen when chosen (0: free)' })
  @IsInt({ message: 'extraPriceAmount must be a whole number of fen' })
  @Min(0)
  @Max(MAX_AMOUNT)
  extraPriceAmount!: number;
}

export class CustomizationOptionDto {
  @ApiProperty({ example: 'engraving', description: 'The key a shop sends on its order lines: a–z, 0–9 and _, up to 32' })
  @Matches(/^[a-z0-9_]{1,32}$/, { message: 'key must be 1-32 of a-z, 0-9 and _' })
  key!: string;

  @ApiProperty({ example: '刻字', description: 'What people read (1–50 characters)' })
  @IsString()
  @Length(1, 50)
  label!: string;

  @ApiProperty({ enum: CUSTOMIZATION_KINDS, description: 'text: free text; choice: one of choices; file_url: an http(s) URL of a file (a logo)' })
  @IsIn(CUSTOMIZATION_KINDS)
  kind!: CustomizationKind;

  @ApiPropertyOptional({ default: false, description: 'A line without it is held as a routing exception' })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CUSTOMIZATION_TEXT, description: `Text options only: the longest text in characters (default ${MAX_CUSTOMIZATION_TEXT})` })
  @IsOptional()
  @IsInt({ message: 'maxLength must be a whole number of characters' })
  @Min(1)
  @Max(MAX_CUSTOMIZATION_TEXT)
  maxLength?: number;

  @ApiPropertyOptional({ type: [CustomizationChoiceDto], description: `Choice options only: 1–${MAX_CUSTOMIZATION_CHOICES} choices, each with its own extra price` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CUSTOMIZATION_CHOICES)
  @ValidateNested({ each: true })
  @Type(() => CustomizationChoiceDto)
  choices?: CustomizationChoiceDto[];

  @ApiPropertyOptional({ example: 500, minimum: 0, description: 'Text and file_url options only: extra price per unit in fen when set (default 0)' })
  @IsOptional()
  @IsInt({ message: 'extraPriceAmount must be a whole number of fen' })
  @Min(0)
  @Max(MAX_AMOUNT)
  extraPriceAmount?: number;
}

export class SetOfferCustomizationDto {
  @ApiProperty({ type: [CustomizationOptionDto], description: `Up to ${MAX_CUSTOMIZATION_OPTIONS} options; an empty list removes them all` })
  @IsArray()
  @ArrayMaxSize(MAX_CUSTOMIZATION_OPTIONS)
  @ValidateNested({ each: true })
  @Type(() => CustomizationOptionDto)
  options!: CustomizationOptionDto[];
}

export class CustomizationChoiceResponseDto {
  @ApiProperty() value!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: "Extra per unit in fen (the offer's currency) when chosen" }) extraPriceAmount!: number;
}

export class CustomizationOptionResponseDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: CUSTOMIZATION_KINDS }) kind!: CustomizationKind;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Text options: the longest text' }) maxLength!: number | null;
  @ApiProperty({ type: [CustomizationChoiceResponseDto] }) choices!: CustomizationChoiceResponseDto[];
  @ApiProperty({ description: 'Text and file_url options: extra per unit in fen when set (0 for choice options: priced per choice)' }) extraPriceAmount!: number;
}

/** The options of an offer: its own (an origin offer) or its origin's (a re-share, which passes them on). */
export class OfferCustomizationResponseDto {
  @ApiProperty() offerId!: string;
  @ApiProperty({ description: "True when the options are the origin supplier's, inherited by this re-share (only the origin offer may change them)" }) inherited!: boolean;
  @ApiProperty({ description: "Currency of the extra prices (the offer's)" }) currency!: string;
  @ApiProperty({ type: [CustomizationOptionResponseDto] }) options!: CustomizationOptionResponseDto[];
}
