import { decimalToMinorUnits, DomainError, LosslessJson, MAX_AMOUNT, ValidationFailedError } from '@gongxiao/core';
import { SKU_CODE_PATTERN } from '../catalog.dto';

export const CATALOG_PLATFORMS = ['shopify', 'woocommerce', 'youzan'] as const;
export type CatalogPlatform = (typeof CATALOG_PLATFORMS)[number];

/** At most this many products, and this many variants (SKUs) over all of them, in one export. */
export const PLATFORM_EXPORT_MAX_PRODUCTS = 1000;
export const PLATFORM_EXPORT_MAX_VARIANTS = 5000;

/**
 * One sellable variant of a platform's product export, as the platform wrote it: ids as text (read
 * losslessly: Youzan's exceed 2^53), the price in minor units read from its decimal text, and the
 * platform's SKU code ('' when it has none).
 */
export interface PlatformVariant {
  platformProductId: string;
  /** Null for a product without variants (a WooCommerce simple product, a Youzan item without SKUs). */
  platformVariantId: string | null;
  /** Shopify's inventory item (its stock is set through it); null elsewhere. */
  platformInventoryItemId: string | null;
  productTitle: string;
  description: string | null;
  skuCode: string;
  skuName: string;
  specs: Record<string, string>;
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
  /** The price as written, and in minor units (null when missing or not an exact amount). */
  priceText: string | null;
  priceAmount: number | null;
}

export type PlatformSkipReason = 'no_sku_code' | 'invalid_sku_code' | 'duplicate_code' | 'invalid_price' | 'invalid_name' | 'variation_not_included' | 'unsupported_product_type' | 'no_variants';

/** A variant (or product) of the export that was not used, and why. */
export interface PlatformSkip {
  platformProductId: string;
  platformVariantId: string | null;
  skuCode: string;
  reason: PlatformSkipReason;
  message: string;
}

export const PLATFORM_SKIP_MESSAGES: Record<PlatformSkipReason, string> = {
  no_sku_code: 'The variant has no SKU code on the platform: give it one there and export again',
  invalid_sku_code: 'The SKU code must be 1-64 letters, digits or . _ - / and start with a letter or digit',
  duplicate_code: 'The SKU code appears more than once in this export; keep it on one variant only',
  invalid_price: 'The price is missing or not an exact amount with at most 2 decimals',
  invalid_name: 'The product has no title (or one longer than 200 characters)',
  variation_not_included: 'The variation is given by its id only: include the variation objects (GET /products/<id>/variations) in "variations"',
  unsupported_product_type: 'Only simple and variable products are sellable SKUs (grouped and external products are not)',
  no_variants: 'The product has no variants to import',
};

export function skip(variant: { platformProductId: string; platformVariantId: string | null; skuCode?: string }, reason: PlatformSkipReason): PlatformSkip {
  return { platformProductId: variant.platformProductId, platformVariantId: variant.platformVariantId, skuCode: variant.skuCode ?? '', reason, message: PLATFORM_SKIP_MESSAGES[reason] };
}

export interface PlatformExport {
  products: number;
  variants: PlatformVariant[];
  skipped: PlatformSkip[];
}

// ---- Reading lossless JSON (numbers are their source text) ----

export type JsonObject = { [key: string]: LosslessJson };

export const objectOf = (value: LosslessJson | undefined): JsonObject | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null);
export const arrayOf = (value: LosslessJson | undefined): LosslessJson[] | null => (Array.isArray(value) ? value : null);

/** A string, or a number's text; null for anything else or an empty text. */
export function textOf(value: LosslessJson | undefined): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

/** An id as the platform wrote it (a number's digits kept exactly), at most 64 visible characters. */
export function idOf(value: LosslessJson | undefined): string | null {
  const text = textOf(value);
  return text !== null && /^[\x21-\x7e]{1,64}$/.test(text) ? text : null;
}

/** At most `max` characters (code points), for names built from platform titles. */
export const clip = (text: string, max: number) => [...text].slice(0, max).join('');

/** HTML descriptions as text: tags dropped, entities of the common kind decoded, whitespace collapsed, at most 5000 characters. */
export function plainText(html: string | null): string | null {
  if (html === null) return null;
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : clip(text, 5000);
}

/** A decimal price text ("199.00") in minor units, exactly; null when missing, negative or beyond MAX_AMOUNT. */
export function decimalPrice(text: string | null): number | null {
  if (text === null) return null;
  const minor = decimalToMinorUnits(text);
  return minor === null || minor < 0n || minor > BigInt(MAX_AMOUNT) ? null : Number(minor);
}

/** The specification as one text: the option values joined. */
export const specText = (specs: Record<string, string>) => (Object.keys(specs).length === 0 ? null : clip(Object.values(specs).join(' / '), 200));

/** Barcodes the catalog accepts (4-32 letters, digits or -); others are left out rather than refusing the SKU. */
export const barcodeOf = (value: LosslessJson | undefined) => {
  const text = textOf(value);
  return text !== null && /^[0-9A-Za-z-]{4,32}$/.test(text) ? text : null;
};

export function structureError(field: string, reason: string): DomainError {
  return new ValidationFailedError(`data is not a product export of the platform: ${field} ${reason}.`, [{ field, reason }]);
}

/** Past the stated limits the export is refused whole (413), before anything is read from the database. */
export function assertWithinLimits(products: number, variants: number): void {
  if (products > PLATFORM_EXPORT_MAX_PRODUCTS || variants > PLATFORM_EXPORT_MAX_VARIANTS) {
    throw new DomainError(
      'too_large',
      'platform_export_too_large',
      `An export may have at most ${PLATFORM_EXPORT_MAX_PRODUCTS} products and ${PLATFORM_EXPORT_MAX_VARIANTS} variants; this one has ${products} products and ${variants} variants. Import it in parts (one page of the platform's API at a time).`,
      [{ field: 'data', reason: `at most ${PLATFORM_EXPORT_MAX_PRODUCTS} products and ${PLATFORM_EXPORT_MAX_VARIANTS} variants` }],
    );
  }
}

/**
 * The variants to use: a SKU code is required, must be a catalog code, appear once in the export,
 * and the price must be exact. Everything else is reported as skipped, with its reason.
 */
export interface VariantChecks {
  /** The codes accepted (a catalog SKU code by default). */
  codePattern?: RegExp;
  /** Whether the product must have a title that can name a product (the catalog import), or not (listings). */
  requireTitle?: boolean;
}

export function checkedVariants(read: PlatformExport, checks: VariantChecks = {}): PlatformExport {
  const codePattern = checks.codePattern ?? SKU_CODE_PATTERN;
  const requireTitle = checks.requireTitle ?? true;
  const skipped = [...read.skipped];
  const counts = new Map<string, number>();
  for (const variant of read.variants) if (variant.skuCode !== '') counts.set(variant.skuCode, (counts.get(variant.skuCode) ?? 0) + 1);
  const variants: PlatformVariant[] = [];
  for (const variant of read.variants) {
    const reason: PlatformSkipReason | null =
      variant.skuCode === ''
        ? 'no_sku_code'
        : !codePattern.test(variant.skuCode)
          ? 'invalid_sku_code'
          : counts.get(variant.skuCode)! > 1
            ? 'duplicate_code'
            : variant.priceAmount === null
              ? 'invalid_price'
              : requireTitle && (variant.productTitle === '' || [...variant.productTitle].length > 200)
                ? 'invalid_name'
                : null;
    if (reason) skipped.push(skip(variant, reason));
    else variants.push(variant);
  }
  return { products: read.products, variants, skipped };
}
