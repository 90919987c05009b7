import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional } from 'class-validator';
import { CURRENCIES, Currency } from '@gongxiao/core';
import { CATALOG_PLATFORMS, CatalogPlatform, PLATFORM_EXPORT_MAX_PRODUCTS, PLATFORM_EXPORT_MAX_VARIANTS } from './platform-export';

export const PLATFORM_EXPORT_DESCRIPTION =
  "The platform's product export exactly as its API returns it (ids and prices are read from the raw body without loss). " +
  'shopify: {"products": [...]} of GET /admin/api/<version>/products.json (or {"product": {...}}); ' +
  'woocommerce: the array of GET /wp-json/wc/v3/products, each variable product\'s "variations" given as the array of its variation objects (GET /products/<id>/variations) instead of ids; ' +
  'youzan: the answer of youzan.item.get ({"data": {"item": {...}}}) or of youzan.items.onsale.get with each item\'s "skus" ({"data": {"items": [...]}}), prices in fen (a price with a decimal point is read as yuan). ' +
  `At most ${PLATFORM_EXPORT_MAX_PRODUCTS} products and ${PLATFORM_EXPORT_MAX_VARIANTS} variants (413 past them).`;

/** Shared by the supplier's catalog import and the distributor's listing mapping. */
export class PlatformExportBodyDto {
  @ApiProperty({ enum: CATALOG_PLATFORMS }) @IsIn(CATALOG_PLATFORMS, { message: `platform must be one of ${CATALOG_PLATFORMS.join(', ')}` }) platform!: CatalogPlatform;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'CNY', description: "The currency of the export's prices (the shop's currency: platform exports do not say it)" })
  @IsOptional()
  @IsIn(CURRENCIES)
  currency?: Currency;

  @ApiProperty({
    oneOf: [
      { type: 'object', additionalProperties: true },
      { type: 'array', items: { type: 'object', additionalProperties: true } },
    ],
    description: PLATFORM_EXPORT_DESCRIPTION,
  })
  @IsDefined({ message: 'data must be the platform product export' })
  data!: unknown;
}

const SKIP_REASONS = ['no_sku_code', 'invalid_sku_code', 'duplicate_code', 'invalid_price', 'invalid_name', 'variation_not_included', 'unsupported_product_type', 'no_variants'];

export class PlatformImportRowDto {
  @ApiProperty({ description: "The platform's product (item) id, as text" }) platformProductId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's variant (SKU, variation) id, as text" }) platformVariantId!: string | null;
  @ApiProperty({ description: "The variant's SKU code on the platform ('' when it has none)" }) skuCode!: string;
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'skipped'] }) outcome!: 'created' | 'updated' | 'unchanged' | 'skipped';
  @ApiPropertyOptional({ type: String, nullable: true }) skuId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, enum: SKIP_REASONS, description: 'Why it was skipped' }) reason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) message!: string | null;
}

export class PlatformImportReportDto {
  @ApiProperty({ enum: CATALOG_PLATFORMS }) platform!: string;
  @ApiProperty({ description: 'Products in the export' }) products!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty({ type: [PlatformImportRowDto], description: 'One row per variant of the export (and per product skipped whole): the variants used in export order, then the skipped ones' })
  rows!: PlatformImportRowDto[];
}
