import { LosslessJson } from '@gongxiao/core';
import { arrayOf, barcodeOf, clip, decimalPrice, idOf, JsonObject, objectOf, PlatformExport, PlatformVariant, plainText, skip, specText, structureError, textOf } from './platform-export';

/** The current price ("price"), else the regular one, as WooCommerce writes it ("21.99"). */
const priceOf = (item: JsonObject) => textOf(item.price) ?? textOf(item.regular_price);

/**
 * WooCommerce's products as the REST API returns them (GET /wp-json/wc/v3/products: an array, or
 * `{"products": [...]}`). A simple product is one SKU (its `sku`); a variable product's SKUs are its
 * variations, which the products list names by id only: give each variable product's `variations`
 * as the array of variation objects (GET /wp-json/wc/v3/products/<id>/variations) instead of ids.
 */
export function readWooCommerceProducts(data: LosslessJson): PlatformExport {
  const products = arrayOf(data) ?? arrayOf(objectOf(data)?.products);
  if (!products) throw structureError('data', 'must be the array of products of /wp-json/wc/v3/products');
  const variants: PlatformVariant[] = [];
  const skipped: PlatformExport['skipped'] = [];
  products.forEach((value, index) => {
    const product = objectOf(value);
    const productId = idOf(product?.id);
    if (!product || productId === null) throw structureError(`data[${index}].id`, 'must be the product id');
    const title = clip(textOf(product.name) ?? '', 201);
    const description = plainText(textOf(product.short_description) ?? textOf(product.description));
    const type = textOf(product.type) ?? 'simple';
    const base = { platformProductId: productId, platformInventoryItemId: null, productTitle: title, description, weightGrams: null };
    if (type === 'simple') {
      const priceText = priceOf(product);
      const sku = textOf(product.sku) ?? '';
      variants.push({
        ...base,
        platformVariantId: null,
        skuCode: sku,
        skuName: clip(title, 200),
        specs: {},
        spec: null,
        barcode: barcodeOf(product.global_unique_id),
        priceText,
        priceAmount: decimalPrice(priceText),
      });
      return;
    }
    if (type !== 'variable') {
      skipped.push(skip({ platformProductId: productId, platformVariantId: null, skuCode: textOf(product.sku) ?? '' }, 'unsupported_product_type'));
      return;
    }
    const list = arrayOf(product.variations) ?? [];
    if (list.length === 0) skipped.push(skip({ platformProductId: productId, platformVariantId: null }, 'no_variants'));
    list.forEach((item, variationIndex) => {
      const variation = objectOf(item);
      if (!variation) {
        const id = idOf(item);
        if (id === null) throw structureError(`data[${index}].variations[${variationIndex}]`, 'must be a variation object (or its id)');
        skipped.push(skip({ platformProductId: productId, platformVariantId: id }, 'variation_not_included'));
        return;
      }
      const variationId = idOf(variation.id);
      if (variationId === null) throw structureError(`data[${index}].variations[${variationIndex}].id`, 'must be the variation id');
      const specs: Record<string, string> = {};
      for (const attribute of arrayOf(variation.attributes) ?? []) {
        const entry = objectOf(attribute);
        const name = textOf(entry?.name);
        const option = textOf(entry?.option);
        if (name !== null && option !== null) specs[clip(name, 60)] = clip(option, 200);
      }
      const spec = specText(specs);
      const priceText = priceOf(variation);
      variants.push({
        ...base,
        platformVariantId: variationId,
        skuCode: textOf(variation.sku) ?? '',
        skuName: clip(spec ? `${title} ${spec}` : title, 200),
        specs,
        spec,
        barcode: barcodeOf(variation.global_unique_id),
        priceText,
        priceAmount: decimalPrice(priceText),
      });
    });
  });
  return { products: products.length, variants, skipped };
}
