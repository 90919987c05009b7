import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MoneyDto, PageQueryDto } from '@gongxiao/core';
import { Platform, PLATFORMS } from './channels.entities';
import { Integration, INTEGRATIONS } from './platforms/platform-adapter';

const ID = /^\d{1,18}$/;
export const SHOP_SKU_CODE = /^[^\s\u0000-\u001f][^\u0000-\u001f]{0,99}$/;

export class CreateShopDto {
  @ApiProperty({ enum: PLATFORMS }) @IsIn(PLATFORMS) platform!: Platform;
  @ApiProperty({ example: 'Sunny Youzan store' }) @IsString() @Length(1, 120) name!: string;

  @ApiPropertyOptional({
    enum: INTEGRATIONS,
    default: 'native',
    description: "How the shop's orders arrive: native (Gongxiao's signed JSON) or the platform's own webhooks (shopify, woocommerce, youzan), which need platformCredentials",
  })
  @IsOptional()
  @IsIn(INTEGRATIONS)
  integration?: Integration;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'shopify: {shopDomain, webhookSecret, accessToken, apiVersion?, locationId?, apiBaseUrl?}; woocommerce: {siteUrl, webhookSecret, consumerKey, consumerSecret}; youzan: {clientId, clientSecret, kdtId, apiBaseUrl?}. Stored encrypted, never shown again.',
  })
  @IsOptional()
  @IsObject()
  platformCredentials?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Where Gongxiao POSTs shipment events for this shop (signed with the webhook secret)' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'callbackUrl must be an http(s) URL' })
  @MaxLength(2000)
  callbackUrl?: string;
}

export class UpdateShopDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 120) name?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'callbackUrl must be an http(s) URL' })
  @MaxLength(2000)
  callbackUrl?: string;
  @ApiPropertyOptional({ enum: ['active', 'disabled'] }) @IsOptional() @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Replaces the platform shop's credentials (same fields as when it was created)" })
  @IsOptional()
  @IsObject()
  platformCredentials?: Record<string, unknown>;
}

export class ShopResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: PLATFORMS }) platform!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) callbackUrl!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'Shops push orders to this path, signed with the webhook secret' }) orderPushPath!: string;
  @ApiProperty({ enum: INTEGRATIONS }) integration!: string;
  @ApiPropertyOptional({ nullable: true, description: "Where the platform's webhooks go (platform shops): set it as the webhook URL in the platform's admin" })
  platformWebhookPath!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The shop on its platform: Shopify domain, WooCommerce host, Youzan kdt_id' }) platformShopRef!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ description: 'Signs order pushes and callbacks. Returned only when the shop is created or the secret rotated.' })
  webhookSecret?: string;
}

/** A platform's id of the item a listing is (kept as text: Youzan ids exceed 2^53). */
const PLATFORM_ID = /^[\x21-\x7e]{1,64}$/;
const PLATFORM_ID_MESSAGE = (field: string) => `${field} must be the platform's id as text (1-64 visible ASCII characters)`;

/** The platform's ids of the item a listing is: the stock Gongxiao tells a platform shop names them. */
export class ListingPlatformIdsDto {
  @ApiPropertyOptional({ example: '7513594', description: 'Shopify product id, WooCommerce product id (parent of a variation), Youzan item_id' })
  @IsOptional()
  @Matches(PLATFORM_ID, { message: PLATFORM_ID_MESSAGE('platformProductId') })
  platformProductId?: string;

  @ApiPropertyOptional({ example: '40282131', description: 'Shopify variant id, WooCommerce variation id, Youzan sku_id' })
  @IsOptional()
  @Matches(PLATFORM_ID, { message: PLATFORM_ID_MESSAGE('platformVariantId') })
  platformVariantId?: string;

  @ApiPropertyOptional({ example: '808950810', description: 'Shopify inventory item id (inventory_levels/set.json)' })
  @IsOptional()
  @Matches(PLATFORM_ID, { message: PLATFORM_ID_MESSAGE('platformInventoryItemId') })
  platformInventoryItemId?: string;
}

/** The platform ids given (only those: a PATCH without one leaves it as it is). */
export function platformIdsOf(input: ListingPlatformIdsDto): Partial<Record<keyof ListingPlatformIdsDto, string>> {
  const ids: Partial<Record<keyof ListingPlatformIdsDto, string>> = {};
  for (const key of ['platformProductId', 'platformVariantId', 'platformInventoryItemId'] as const) if (input[key] !== undefined) ids[key] = input[key];
  return ids;
}

export class CreateListingDto extends ListingPlatformIdsDto {
  @ApiProperty() @Matches(ID, { message: 'shopId must be a shop id' }) shopId!: string;

  @ApiProperty({ example: 'YZ-10023-RED-M', description: "The shop's own SKU code, as it appears in pushed orders" })
  @Matches(SHOP_SKU_CODE, { message: 'shopSkuCode must be 1-100 characters without control characters or leading space' })
  shopSkuCode!: string;

  @ApiPropertyOptional({ description: 'An offer available to you. Give this or skuId.' })
  @IsOptional()
  @Matches(ID, { message: 'offerId must be an offer id' })
  offerId?: string;

  @ApiPropertyOptional({ description: 'Your own SKU, to sell your own goods. Give this or offerId.' })
  @IsOptional()
  @Matches(ID, { message: 'skuId must be a SKU id' })
  skuId?: string;

  @ApiProperty({ type: MoneyDto, description: 'Price the consumer pays per unit' })
  @IsDefined()
  @ValidateNested()
  @Type(() => MoneyDto)
  retailPrice!: MoneyDto;
}

export class UpdateListingDto extends ListingPlatformIdsDto {
  @ApiPropertyOptional({ type: MoneyDto }) @IsOptional() @ValidateNested() @Type(() => MoneyDto) retailPrice?: MoneyDto;
  @ApiPropertyOptional({ enum: ['active', 'paused'] }) @IsOptional() @IsIn(['active', 'paused']) status?: 'active' | 'paused';
}

export class ListListingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID, { message: 'shopId must be a shop id' }) shopId?: string;
}

export class ListingResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() shopId!: string;
  @ApiProperty() shopSkuCode!: string;
  @ApiPropertyOptional({ nullable: true }) offerId!: string | null;
  @ApiPropertyOptional({ nullable: true }) skuId!: string | null;
  @ApiProperty({ type: MoneyDto }) retailPrice!: MoneyDto;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: 'What you pay your supplier per unit (offer listings)' }) supplyPrice!: MoneyDto | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's product (item) id, as text (platform shops)" }) platformProductId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's variant (SKU, variation) id, as text" }) platformVariantId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Shopify's inventory item id, as text" }) platformInventoryItemId!: string | null;
  @ApiProperty() status!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Paused by your quality rule (自动下架): reinstate the delisting (POST /v1/quality/delistings/:id/reinstate) to resume' })
  delistingId?: string | null;
  @ApiProperty() createdAt!: string;
}
