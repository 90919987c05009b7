/**
 * Product exports as the platforms' APIs answer them, written as raw JSON text (ids above 2^53 and
 * decimal prices must reach the server exactly as written, which JSON.stringify of a JS value cannot do).
 * Shapes and sample values follow each platform's public API reference.
 */

/** GET /admin/api/2025-01/products.json (the reference's "IPod Nano - 8GB" sample, trimmed), with two bad variants. */
export const SHOPIFY_PRODUCTS = `{
  "products": [
    {
      "id": 632910392, "title": "IPod Nano - 8GB", "body_html": "<p>It's the small iPod with one very big idea: <em>Video</em>.</p>",
      "vendor": "Apple", "product_type": "Cult Products", "handle": "ipod-nano", "status": "active", "tags": "Emotive, Flash Memory, MP3, Music",
      "variants": [
        { "id": 808950810, "product_id": 632910392, "title": "Pink", "price": "199.00", "sku": "IPOD2008PINK", "position": 1, "compare_at_price": null,
          "option1": "Pink", "option2": null, "option3": null, "barcode": "1234_pink", "grams": 567, "weight": 1.25, "weight_unit": "lb",
          "inventory_item_id": 808950810, "inventory_quantity": 10, "requires_shipping": true, "admin_graphql_api_id": "gid://shopify/ProductVariant/808950810" },
        { "id": 49148385, "product_id": 632910392, "title": "Red", "price": "4.35", "sku": "IPOD2008RED", "position": 2, "option1": "Red", "option2": null, "option3": null,
          "barcode": "1234-red", "grams": 567, "inventory_item_id": 49148385, "inventory_quantity": 20 },
        { "id": 39072856, "product_id": 632910392, "title": "Green", "price": "199.00", "sku": "", "position": 3, "option1": "Green", "option2": null, "option3": null,
          "barcode": null, "grams": 567, "inventory_item_id": 39072856 },
        { "id": 457924702, "product_id": 632910392, "title": "Black", "price": "199.005", "sku": "IPOD2008BLACK", "position": 4, "option1": "Black", "option2": null, "option3": null,
          "grams": 567, "inventory_item_id": 457924702 }
      ],
      "options": [{ "id": 594680422, "product_id": 632910392, "name": "Color", "position": 1, "values": ["Pink", "Red", "Green", "Black"] }],
      "images": [], "image": null
    },
    {
      "id": 1071559579, "title": "Gift card", "body_html": null,
      "variants": [{ "id": 1070325100, "product_id": 1071559579, "title": "Default Title", "price": "25.00", "sku": "GIFT-25", "option1": "Default Title", "option2": null, "option3": null, "inventory_item_id": 1070325100 }],
      "options": [{ "id": 1055547209, "product_id": 1071559579, "name": "Title", "position": 1, "values": ["Default Title"] }]
    }
  ]
}`;

/**
 * GET /wp-json/wc/v3/products (the reference's samples, trimmed): a simple product, a variable one with
 * its variations inline (GET /products/22/variations) but one given by id only, and a grouped one.
 */
export const WOOCOMMERCE_PRODUCTS = `[
  { "id": 799, "name": "Ship Your Idea", "slug": "ship-your-idea-22", "type": "simple", "status": "publish", "sku": "SHIP-IDEA-POSTER",
    "price": "21.99", "regular_price": "21.99", "sale_price": "", "short_description": "<p>Pellentesque habitant morbi tristique.</p>",
    "attributes": [], "variations": [] },
  { "id": 22, "name": "Ship Your Idea Tee", "slug": "ship-your-idea", "type": "variable", "status": "publish", "sku": "", "price": "20.00", "regular_price": "",
    "attributes": [{ "id": 6, "name": "Color", "position": 0, "visible": false, "variation": true, "options": ["Black", "Green"] }],
    "variations": [
      { "id": 732, "sku": "SHIP-IDEA-BLACK", "price": "20.10", "regular_price": "20.10", "sale_price": "", "attributes": [{ "id": 6, "name": "Color", "option": "Black" }] },
      { "id": 733, "sku": "SHIP-IDEA-GREEN", "price": "", "regular_price": "18.00", "sale_price": "", "attributes": [{ "id": 6, "name": "Color", "option": "Green" }] },
      734
    ] },
  { "id": 30, "name": "Idea bundle", "type": "grouped", "sku": "IDEA-BUNDLE", "price": "40.00", "grouped_products": [799, 22] }
]`;

/** The Youzan item ids and SKU ids of YOUZAN_ITEMS: above 2^53, so a JS number would change them. */
export const YOUZAN_IDS = { teaItem: '2873491203477823746', tea250: '9007199254740993', tea500: '9007199254740995', honeyItem: '2873491203477823747' };

/**
 * youzan.items.onsale.get with each item's SKUs (as youzan.item.get gives them): prices in fen, the
 * SKU's properties as a JSON text inside the JSON, and an item without SKUs (its own item_no).
 */
export const YOUZAN_ITEMS = `{
  "success": true, "code": 200, "message": "successful",
  "data": { "count": 3, "items": [
    { "item_id": ${YOUZAN_IDS.teaItem}, "title": "有机红茶礼盒", "item_no": "TEA-BOX", "price": 12900, "item_type": 0,
      "skus": [
        { "sku_id": ${YOUZAN_IDS.tea250}, "item_no": "TEA-BOX-250", "price": 12900, "quantity": 50,
          "properties_name_json": "[{\\"kid\\":14,\\"vid\\":9007199254740999,\\"k\\":\\"规格\\",\\"v\\":\\"250克\\"}]" },
        { "sku_id": ${YOUZAN_IDS.tea500}, "item_no": "TEA-BOX-500", "price": 19900, "quantity": 20,
          "properties_name_json": "[{\\"kid\\":14,\\"vid\\":9007199254741001,\\"k\\":\\"规格\\",\\"v\\":\\"500克\\"}]" }
      ] },
    { "item_id": ${YOUZAN_IDS.honeyItem}, "title": "百花蜂蜜 1kg", "item_no": "HONEY-1KG", "price": 5990, "item_type": 0 },
    { "item_id": 2873491203477823748, "title": "无编码商品", "item_no": "", "price": 100, "item_type": 0 }
  ] }
}`;

/** A request body `{"platform": …, "data": <export>}` as raw text, so the export reaches the server exactly as written. */
export const exportBody = (platform: 'shopify' | 'woocommerce' | 'youzan', data: string, extra: Record<string, string> = {}) =>
  `{"platform": ${JSON.stringify(platform)}, ${Object.entries(extra)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}, `)
    .join('')}"data": ${data}}`;
