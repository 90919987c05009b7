import { LosslessJson, parseLosslessJson } from '@gongxiao/core';
import { assertWithinLimits, CatalogPlatform, checkedVariants, PlatformExport, VariantChecks } from './platform-export';
import { readShopifyProducts } from './shopify-products';
import { readWooCommerceProducts } from './woocommerce-products';
import { readYouzanItems, YOUZAN_NUMBER_MARK } from './youzan-items';

const READERS: Record<CatalogPlatform, (data: LosslessJson) => PlatformExport> = { shopify: readShopifyProducts, woocommerce: readWooCommerceProducts, youzan: readYouzanItems };

/**
 * A platform's product export (read losslessly from the raw body) as its usable variants and the ones
 * skipped with a reason; 413 past the stated limits, 400 when it is not that platform's shape.
 */
export function readPlatformExport(platform: CatalogPlatform, data: LosslessJson, checks?: VariantChecks): PlatformExport {
  const read = READERS[platform](data);
  assertWithinLimits(read.products, read.variants.length + read.skipped.length);
  return checkedVariants(read, checks);
}

/**
 * An export's JSON text read without loss for readPlatformExport: numbers kept as their text; in a
 * Youzan export each number is marked as one (a JSON number price is fen, a string price yuan).
 * Throws the parser's SyntaxError on malformed JSON.
 */
export function parsePlatformExport(platform: CatalogPlatform, text: string): LosslessJson {
  return platform === 'youzan' ? parseLosslessJson(text, (lexeme) => YOUZAN_NUMBER_MARK + lexeme) : parseLosslessJson(text);
}
