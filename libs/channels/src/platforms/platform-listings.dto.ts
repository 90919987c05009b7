import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyDto } from '@gongxiao/core';
import { CATALOG_PLATFORMS } from '@gongxiao/catalog';

const UNMATCHED_REASONS = [
  'no_sku_code',
  'invalid_sku_code',
  'duplicate_code',
  'invalid_price',
  'variation_not_included',
  'unsupported_product_type',
  'no_variants',
  'no_offer',
  'ambiguous_offer',
  'currency_mismatch',
  'own_sku_listing',
];

export class PlatformListingRowDto {
  @ApiProperty({ description: "The platform's product (item) id, as text" }) platformProductId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: "The platform's variant (SKU, variation) id, as text" }) platformVariantId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "Shopify's inventory item id, as text" }) platformInventoryItemId!: string | null;
  @ApiProperty({ description: "The variant's SKU code on the platform: the listing's shopSkuCode ('' when it has none)" }) skuCode!: string;
  @ApiProperty({ enum: ['listed', 'updated', 'unchanged', 'unmatched'] }) outcome!: 'listed' | 'updated' | 'unchanged' | 'unmatched';
  @ApiPropertyOptional({ type: String, nullable: true }) listingId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) offerId!: string | null;
  @ApiPropertyOptional({ type: MoneyDto, nullable: true, description: "The retail price: the platform's price" }) retailPrice!: MoneyDto | null;
  @ApiPropertyOptional({ type: String, nullable: true, enum: UNMATCHED_REASONS, description: 'Why it was not listed' }) reason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) message!: string | null;
  @ApiPropertyOptional({ type: [String], description: 'The offers that share the code (ambiguous_offer): list one by hand with POST /v1/listings' }) candidateOfferIds?: string[];
}

export class PlatformListingsReportDto {
  @ApiProperty({ enum: CATALOG_PLATFORMS }) platform!: string;
  @ApiProperty() shopId!: string;
  @ApiProperty({ description: 'Products in the export' }) products!: number;
  @ApiProperty() listed!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() unmatched!: number;
  @ApiProperty({ type: [PlatformListingRowDto], description: 'One row per variant: those read in export order, then those skipped on reading' }) rows!: PlatformListingRowDto[];
}
