import { LosslessJson, MAX_AMOUNT, parseLosslessJson } from '@gongxiao/core';
import { arrayOf, barcodeOf, clip, decimalPrice, idOf, JsonObject, objectOf, PlatformExport, PlatformVariant, plainText, specText, structureError, textOf } from './platform-export';

/** How readPlatformExportText marks a JSON number in a Youzan export, so a price tells 19900 (fen) from "199" (yuan). */
export const YOUZAN_NUMBER_MARK = '\u0000number:';

/** The export with its number marks taken off (every number back to its text): what the rest of the reader reads. */
export function withoutNumberMarks(value: LosslessJson): LosslessJson {
  if (typeof value === 'string') return value.startsWith(YOUZAN_NUMBER_MARK) ? value.slice(YOUZAN_NUMBER_MARK.length) : value;
  if (Array.isArray(value)) return value.map(withoutNumberMarks);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withoutNumberMarks(entry)]));
  return value;
}

/**
 * A Youzan price as written: the open API's 3.x/4.x item calls give a JSON number in fen (分,
 * `"price": 19900`; one with a decimal point is read as yuan); the older 2.x calls gave yuan as text
 * (`"price": "199.00"`), so a price written as a string is yuan, with or without a decimal point
 * ("199" is ¥199 = 19900 fen). Anything else (negative, more than two decimals, past the maximum) is null.
 */
export function youzanPrice(value: LosslessJson | undefined): number | null {
  if (typeof value !== 'string') return null;
  const isNumber = value.startsWith(YOUZAN_NUMBER_MARK);
  const text = (isNumber ? value.slice(YOUZAN_NUMBER_MARK.length) : value).trim();
  if (text === '') return null;
  if (!isNumber || text.includes('.')) return decimalPrice(text);
  if (!/^\d{1,15}$/.test(text)) return null;
  const fen = Number(text);
  return fen <= MAX_AMOUNT ? fen : null;
}

/** The SKU's properties: `properties_name_json` (a JSON text inside the JSON: [{"k":"颜色","v":"红色",…}]) or `properties_name` ("kid:vid:颜色:红色;…"). */
function youzanSpecs(sku: JsonObject): Record<string, string> {
  const specs: Record<string, string> = {};
  const json = textOf(sku.properties_name_json);
  if (json !== null) {
    let parsed: LosslessJson = null;
    try {
      parsed = parseLosslessJson(json);
    } catch {
      parsed = null;
    }
    for (const entry of arrayOf(parsed) ?? []) {
      const property = objectOf(entry);
      const name = textOf(property?.k);
      const value = textOf(property?.v);
      if (name !== null && value !== null) specs[clip(name, 60)] = clip(value, 200);
    }
    if (Object.keys(specs).length > 0) return specs;
  }
  for (const part of (textOf(sku.properties_name) ?? '').split(';')) {
    const fields = part.split(':');
    if (fields.length >= 4) specs[clip(fields[2], 60)] = clip(fields.slice(3).join(':'), 200);
  }
  return specs;
}

/** The merchant's code (商家编码) of an item or SKU, under the names the API versions use. */
const codeOf = (entry: JsonObject) => textOf(entry.item_no) ?? textOf(entry.outer_sku_id) ?? textOf(entry.outer_id) ?? textOf(entry.sku_no) ?? '';

/** The items of any of the shapes Youzan answers in: `{data: {items}}`, `{data: {item}}`, `{response: {items}}`, `{items}`, or an array. */
function youzanItemsOf(data: LosslessJson): LosslessJson[] | null {
  let root: LosslessJson = data;
  for (const wrapper of ['data', 'response']) {
    const inner = objectOf(root)?.[wrapper];
    if (inner !== undefined && (objectOf(inner) || arrayOf(inner))) root = inner;
  }
  const single = objectOf(objectOf(root)?.item);
  return single ? [single] : (arrayOf(root) ?? arrayOf(objectOf(root)?.items));
}

/**
 * Youzan (有赞) items as the open API returns them: the item detail (youzan.item.get: `item_id`,
 * `title`, `item_no`, `price` in fen, `skus` / `sku_list` of `{sku_id, item_no, price,
 * properties_name_json}`) or a list of items (youzan.items.onsale.get) with their SKUs. An item without
 * SKUs is one SKU (its `item_no`). Ids exceed 2^53 and are kept as their digits.
 */
export function readYouzanItems(marked: LosslessJson): PlatformExport {
  const data = withoutNumberMarks(marked);
  const items = youzanItemsOf(data);
  const markedItems = youzanItemsOf(marked) ?? [];
  if (!items) throw structureError('data.items', 'must be the items of youzan.items.onsale.get or the item of youzan.item.get');
  const variants: PlatformVariant[] = [];
  items.forEach((value, index) => {
    const item = objectOf(value);
    const itemId = idOf(item?.item_id) ?? idOf(item?.num_iid);
    if (!item || itemId === null) throw structureError(`data.items[${index}].item_id`, 'must be the item id');
    const title = clip(textOf(item.title) ?? '', 201);
    const base = { platformProductId: itemId, platformInventoryItemId: null, productTitle: title, description: plainText(textOf(item.desc) ?? textOf(item.summary)), weightGrams: null };
    const markedItem = objectOf(markedItems[index]);
    const skus = arrayOf(item.skus) ?? arrayOf(item.sku_list) ?? [];
    const markedSkus = arrayOf(markedItem?.skus) ?? arrayOf(markedItem?.sku_list) ?? [];
    if (skus.length === 0) {
      const priceText = textOf(item.price);
      variants.push({
        ...base,
        platformVariantId: null,
        skuCode: codeOf(item),
        skuName: clip(title, 200),
        specs: {},
        spec: null,
        barcode: barcodeOf(item.barcode),
        priceText,
        priceAmount: youzanPrice(markedItem?.price),
      });
      return;
    }
    skus.forEach((entry, skuIndex) => {
      const sku = objectOf(entry);
      const skuId = idOf(sku?.sku_id);
      if (!sku || skuId === null) throw structureError(`data.items[${index}].skus[${skuIndex}].sku_id`, 'must be the SKU id');
      const specs = youzanSpecs(sku);
      const spec = specText(specs);
      const priceText = textOf(sku.price) ?? textOf(item.price);
      const markedPrice = textOf(sku.price) !== null ? objectOf(markedSkus[skuIndex])?.price : markedItem?.price;
      variants.push({
        ...base,
        platformVariantId: skuId,
        skuCode: codeOf(sku),
        skuName: clip(spec ? `${title} ${spec}` : title, 200),
        specs,
        spec,
        barcode: barcodeOf(sku.barcode),
        priceText,
        priceAmount: youzanPrice(markedPrice),
      });
    });
  });
  return { products: items.length, variants, skipped: [] };
}
