import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, buildMessage, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@gongxiao/core';

export const SKU_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

/** The most characters a SKU's 规格 may have: the bound of the column's check (`char_length(spec) <= 200`). */
export const SKU_SPEC_MAX_CHARACTERS = 200;

/**
 * At most `max` characters as PostgreSQL's `char_length` counts them (code points), so a text the
 * column's check would refuse is a 400 naming the field, never a 500. class-validator's MaxLength
 * does not count variation selectors: 150 "❤️" (300 code points) passed it.
 */
export function MaxCharacters(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'maxCharacters',
    constraints: [max],
    validator: {
      validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
      defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`),
    },
  });
}

/** A SKU's optional 规格: a text of at most SKU_SPEC_MAX_CHARACTERS characters, as the column counts them. */
function SkuSpecProperty(description: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ example: '红色 / M', maxLength: SKU_SPEC_MAX_CHARACTERS, description }), IsOptional(), IsString(), MaxCharacters(SKU_SPEC_MAX_CHARACTERS));
}

export class CreateSkuDto {
  @ApiProperty({ example: 'TSHIRT-RED-M', description: 'Unique among your SKUs; letters, digits, . _ - /' })
  @Matches(SKU_CODE_PATTERN, { message: 'code must be 1-64 letters, digits or . _ - / and start with a letter or digit' })
  code!: string;

  @ApiProperty({ example: 'T-shirt red M' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: { color: 'red', size: 'M' }, description: 'Specification name → value' })
  @IsOptional()
  @IsObject()
  specs?: Record<string, string>;

  @SkuSpecProperty('The specification as one text, as the order sheet shows it (规格); default: the specs values joined')
  spec?: string;

  @ApiPropertyOptional({ example: 250 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  weightGrams?: number;

  @ApiPropertyOptional({ example: '6901234567892' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z-]{4,32}$/, { message: 'barcode must be 4-32 letters, digits or -' })
  barcode?: string;
}

export class UpdateSkuDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() specs?: Record<string, string>;
  @SkuSpecProperty('The specification as one text (规格); an empty text clears it (the order sheet then shows the specs values joined)')
  spec?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) weightGrams?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9A-Za-z-]{4,32}$/, { message: 'barcode must be 4-32 letters, digits or -' })
  barcode?: string;
}

export class CreateProductDto {
  @ApiProperty({ example: 'Cotton T-shirt' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ type: [CreateSkuDto] })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CreateSkuDto)
  skus?: CreateSkuDto[];
}

export class SkuResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() specs!: Record<string, string>;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The specification as one text (规格)' }) spec!: string | null;
  @ApiPropertyOptional({ nullable: true }) weightGrams!: number | null;
  @ApiPropertyOptional({ nullable: true }) barcode!: string | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'The price the platform sells it at, when imported from a platform export' }) listPrice!: MoneyDto | null;
  @ApiPropertyOptional({ type: String, nullable: true, enum: ['shopify', 'woocommerce', 'youzan'], description: 'The platform it was imported from' }) platform!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's product (item) id, as text" }) platformProductId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's variant (SKU) id, as text" }) platformVariantId!: string | null;
}

export class ProductResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) description!: string | null;
  @ApiProperty({ type: [SkuResponseDto] }) skus!: SkuResponseDto[];
  @ApiProperty() createdAt!: string;
}

const RECEIVE_MODES = ['inbox', 'erp_webhook'] as const;

export class CreateWarehouseDto {
  @ApiProperty({ example: 'ZJ-YIWU' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'code must be 1-32 letters, digits or . _ -' })
  code!: string;

  @ApiProperty({ example: 'Yiwu main warehouse' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: '浙江省', description: 'Province (or region) it ships from; orders to the same province prefer it' })
  @IsString()
  @Length(1, 40)
  province!: string;

  @ApiPropertyOptional({ example: '金华市' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  city?: string;

  @ApiPropertyOptional({ default: 100, description: 'Lower ships first when several warehouses could' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  priority?: number;

  @ApiPropertyOptional({ enum: RECEIVE_MODES, default: 'inbox' })
  @IsOptional()
  @IsIn(RECEIVE_MODES)
  receiveMode?: (typeof RECEIVE_MODES)[number];

  @ApiPropertyOptional({ description: 'Where new fulfillment orders are POSTed when receiveMode is erp_webhook' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'erpWebhookUrl must be an http(s) URL' })
  @MaxLength(2000)
  erpWebhookUrl?: string;

  @ApiPropertyOptional({ default: 0, description: 'Merge orders to the same consignee arriving within this many minutes; 0 = off' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  mergeWindowMinutes?: number;
}

export class UpdateWarehouseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 120) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) province?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) priority?: number;
  @ApiPropertyOptional({ enum: RECEIVE_MODES }) @IsOptional() @IsIn(RECEIVE_MODES) receiveMode?: (typeof RECEIVE_MODES)[number];
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'erpWebhookUrl must be an http(s) URL' })
  @MaxLength(2000)
  erpWebhookUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1440) mergeWindowMinutes?: number;
  @ApiPropertyOptional({ enum: ['active', 'inactive'] }) @IsOptional() @IsIn(['active', 'inactive']) status?: 'active' | 'inactive';
}

export class WarehouseResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() province!: string;
  @ApiPropertyOptional({ nullable: true }) city!: string | null;
  @ApiProperty() priority!: number;
  @ApiProperty({ enum: RECEIVE_MODES }) receiveMode!: string;
  @ApiPropertyOptional({ nullable: true }) erpWebhookUrl!: string | null;
  @ApiProperty() mergeWindowMinutes!: number;
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ description: 'Secret that signs ERP webhooks. Returned only when created or rotated.' })
  erpWebhookSecret?: string;
}

export class ListProductsQueryDto extends PageQueryDto {}
