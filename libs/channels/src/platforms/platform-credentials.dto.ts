import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/** A Shopify custom app installed on the shop: its client secret signs webhooks, its Admin API token calls back. */
export class ShopifyCredentialsDto {
  @ApiProperty({ example: 'sunny-goods.myshopify.com', description: 'X-Shopify-Shop-Domain of the deliveries' })
  @Matches(/^[a-z0-9][a-z0-9.-]{0,253}$/i, { message: 'shopDomain must be a host name such as sunny-goods.myshopify.com' })
  shopDomain!: string;

  @ApiProperty({ description: "The app's client secret (API secret key): signs X-Shopify-Hmac-Sha256" })
  @IsString()
  @Length(8, 200)
  webhookSecret!: string;

  @ApiProperty({ description: 'Admin API access token (shpat_…), for fulfillments and inventory' }) @IsString() @Length(8, 200) accessToken!: string;

  @ApiPropertyOptional({ example: '2026-10', default: '2026-10', description: 'Shopify Admin API version (a supported one; 2026-10 when omitted)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}$/, { message: 'apiVersion must look like 2026-10' })
  apiVersion?: string;

  @ApiPropertyOptional({ description: 'The Shopify location whose inventory Gongxiao sets (numeric id)' })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'locationId must be a numeric Shopify location id' })
  locationId?: string;

  @ApiPropertyOptional({ description: 'Admin API base URL; defaults to https://<shopDomain>' })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'apiBaseUrl must be an http(s) URL' })
  @MaxLength(2000)
  apiBaseUrl?: string;
}

/** A WooCommerce store: the webhook secret set on its webhooks, and a REST API key pair. */
export class WooCommerceCredentialsDto {
  @ApiProperty({ example: 'https://shop.example.com', description: 'The store URL (X-WC-Webhook-Source); the REST API is under /wp-json/wc/v3' })
  @IsUrl(URL_OPTIONS, { message: 'siteUrl must be an http(s) URL' })
  @MaxLength(2000)
  siteUrl!: string;

  @ApiProperty({ description: 'The secret set on the WooCommerce webhooks: signs X-WC-Webhook-Signature' }) @IsString() @Length(8, 200) webhookSecret!: string;
  @ApiProperty({ example: 'ck_…' }) @IsString() @Length(8, 200) consumerKey!: string;
  @ApiProperty({ example: 'cs_…' }) @IsString() @Length(8, 200) consumerSecret!: string;
}

/** A Youzan (有赞) cloud app authorized for the shop (店铺 kdt_id). */
export class YouzanCredentialsDto {
  @ApiProperty() @IsString() @Length(4, 200) clientId!: string;
  @ApiProperty({ description: 'Signs push messages (md5 of client_id + msg + client_secret) and gets access tokens' }) @IsString() @Length(8, 200) clientSecret!: string;

  @ApiProperty({ example: '44152698', description: "The shop's kdt_id" })
  @Matches(/^\d{1,20}$/, { message: 'kdtId must be the numeric kdt_id of the shop' })
  kdtId!: string;

  @ApiPropertyOptional({ description: 'Open API base URL; defaults to https://open.youzanyun.com' })
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'apiBaseUrl must be an http(s) URL' })
  @MaxLength(2000)
  apiBaseUrl?: string;
}
