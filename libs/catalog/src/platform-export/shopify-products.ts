import { LosslessJson } from '@gongxiao/core';
import { arrayOf, barcodeOf, clip, decimalPrice, idOf, objectOf, PlatformExport, PlatformVariant, plainText, skip, specText, structureError, textOf } from './platform-export';

/**
 * Shopify's products as the Admin REST API returns them (GET /admin/api/<version>/products.json:
 * `{"products": [...]}`, or one product's `{"product": {...}}`): each variant is a SKU, its `sku` the
 * code, `price` a decimal text in the shop's currency, `option1..3` named by the product's `options`.
 */
export function readShopifyProducts(data: LosslessJson): PlatformExport {
  const root = objectOf(data);
  const single = objectOf(root?.product);
  const products = single ? [single] : (arrayOf(root?.products) ?? arrayOf(data));
  if (!products) throw structureError('data.products', 'must be the array of products of products.json');
  const variants: PlatformVariant[] = [];
  const skipped: PlatformExport['skipped'] = [];
  products.forEach((value, index) => {
    const product = objectOf(value);
    const productId = idOf(product?.id);
    if (!product || productId === null) throw structureError(`data.products[${index}].id`, 'must be the product id');
    const title = clip(textOf(product.title) ?? '', 201);
    const optionNames = new Map<string, string>();
    for (const option of arrayOf(product.options) ?? []) {
      const entry = objectOf(option);
      const position = textOf(entry?.position);
      const name = textOf(entry?.name);
      if (entry && position !== null && name !== null) optionNames.set(position, clip(name, 60));
    }
    const list = arrayOf(product.variants) ?? [];
    if (list.length === 0) skipped.push(skip({ platformProductId: productId, platformVariantId: null }, 'no_variants'));
    list.forEach((item, variantIndex) => {
      const variant = objectOf(item);
      const variantId = idOf(variant?.id);
      if (!variant || variantId === null) throw structureError(`data.products[${index}].variants[${variantIndex}].id`, 'must be the variant id');
      const specs: Record<string, string> = {};
      for (const position of ['1', '2', '3']) {
        const optionValue = textOf(variant[`option${position}`]);
        // A product without options has one variant, "Default Title" of the option "Title": no spec.
        if (optionValue !== null && !(optionValue === 'Default Title' && (optionNames.get(position) ?? 'Title') === 'Title'))
          specs[optionNames.get(position) ?? `option${position}`] = clip(optionValue, 200);
      }
      const spec = specText(specs);
      const grams = textOf(variant.grams);
      const priceText = textOf(variant.price);
      variants.push({
        platformProductId: productId,
        platformVariantId: variantId,
        platformInventoryItemId: idOf(variant.inventory_item_id),
        productTitle: title,
        description: plainText(textOf(product.body_html)),
        skuCode: textOf(variant.sku) ?? '',
        skuName: clip(spec ? `${title} ${spec}` : title, 200),
        specs,
        spec,
        barcode: barcodeOf(variant.barcode),
        weightGrams: grams !== null && /^\d{1,7}$/.test(grams) && Number(grams) <= 1_000_000 ? Number(grams) : null,
        priceText,
        priceAmount: decimalPrice(priceText),
      });
    });
  });
  return { products: products.length, variants, skipped };
}
