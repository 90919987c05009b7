import fc from 'fast-check';
import { planPlatformCatalogImport, StoredPlatformSku } from './platform-catalog-plan';
import { PlatformVariant } from './platform-export';
import { parsePlatformExport, readPlatformExport } from './read-platform-export';
import { youzanPrice } from './youzan-items';

const read = (platform: 'shopify' | 'woocommerce' | 'youzan', text: string) => readPlatformExport(platform, parsePlatformExport(platform, text));

describe('platform product exports', () => {
  it('reads the Youzan item detail (youzan.item.get) with properties_name as the fallback spec and ids beyond 2^53 as their digits', () => {
    const exported = read(
      'youzan',
      `{"data": {"item": {"item_id": 98765432109876543210, "title": "T恤", "price": 9900,
        "sku_list": [{"sku_id": 12345678901234567891, "outer_sku_id": "TEE-RED-M", "price": 9900, "properties_name": "1:2:颜色:红色;3:4:尺码:M"}]}}}`,
    );
    expect(exported.variants).toEqual([
      expect.objectContaining({
        platformProductId: '98765432109876543210',
        platformVariantId: '12345678901234567891',
        skuCode: 'TEE-RED-M',
        specs: { 颜色: '红色', 尺码: 'M' },
        spec: '红色 / M',
        priceAmount: 9900,
      }),
    ]);
  });

  it('reads a Youzan JSON number price as fen (yuan with a decimal point) and a string price as yuan, refusing anything else', () => {
    const prices = (written: string) =>
      read('youzan', `{"data": {"items": [{"item_id": 1, "title": "T", "item_no": "A", "price": ${written}}]}}`).variants.map((variant) => variant.priceAmount)[0] ?? null;
    expect([prices('19900'), prices('199.00'), prices('"199.00"'), prices('"199"'), prices('"0.5"'), prices('"1.005"'), prices('"-1"'), prices('null')]).toEqual([
      19900,
      19900,
      19900,
      19900,
      50,
      null,
      null,
      null,
    ]);
    // A SKU without its own price takes the item's, read as the item wrote it.
    const sku = read('youzan', `{"data": {"item": {"item_id": 1, "title": "T", "price": "12", "skus": [{"sku_id": 2, "item_no": "A-1"}]}}}`);
    expect(sku.variants[0]).toMatchObject({ platformProductId: '1', platformVariantId: '2', priceAmount: 1200 });
    expect(youzanPrice('199')).toBe(19900);
  });

  it('reads every two-decimal Shopify price exactly, as integer minor units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (fen) => {
        const text = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        const exported = read('shopify', `{"products": [{"id": 1, "title": "P", "variants": [{"id": 2, "sku": "A-1", "price": "${text}"}]}]}`);
        return exported.variants[0].priceAmount === fen;
      }),
    );
  });

  it('refuses an export whose products are not where the platform puts them, naming the field', () => {
    expect(() => read('shopify', '{"product_list": []}')).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'data.products' })] }));
    expect(() => read('youzan', '{"data": {"count": 0}}')).toThrow(expect.objectContaining({ details: [expect.objectContaining({ field: 'data.items' })] }));
  });
});

describe('planPlatformCatalogImport', () => {
  const variant = (code: string, overrides: Partial<PlatformVariant> = {}): PlatformVariant => ({
    platformProductId: '10',
    platformVariantId: `v-${code}`,
    platformInventoryItemId: null,
    productTitle: 'Player',
    description: null,
    skuCode: code,
    skuName: `Player ${code}`,
    specs: { Color: code },
    spec: code,
    barcode: null,
    weightGrams: null,
    priceText: '1.00',
    priceAmount: 100,
    ...overrides,
  });
  const stored = (code: string, productId = '7'): StoredPlatformSku => ({
    id: `s-${code}`,
    code,
    name: `Player ${code}`,
    spec: code,
    specs: { Color: code },
    barcode: '6901234567892',
    weightGrams: 300,
    platform: 'shopify',
    platformProductId: '10',
    platformVariantId: `v-${code}`,
    listPriceAmount: 100,
    listPriceCurrency: 'CNY',
    productId,
    productName: 'Player',
    productDescription: null,
  });

  it('leaves what is stored alone (a barcode or weight the platform does not give is kept), and puts a new variant in its siblings product', () => {
    const plan = planPlatformCatalogImport([variant('RED'), variant('BLUE')], new Map([['RED', stored('RED')]]), 'shopify', 'CNY');
    expect(plan.outcomes).toEqual(
      new Map([
        ['RED', 'unchanged'],
        ['BLUE', 'created'],
      ]),
    );
    expect(plan.newProducts).toEqual([]);
    expect(plan.newSkus).toEqual([expect.objectContaining({ code: 'BLUE', productId: '7' })]);
  });

  it('updates a SKU whose price or currency changed, and renames the product its platform product lives in', () => {
    const plan = planPlatformCatalogImport([variant('RED', { priceAmount: 150, productTitle: 'Player 2' })], new Map([['RED', stored('RED')]]), 'shopify', 'CNY');
    expect(plan.skuUpdates).toEqual([expect.objectContaining({ id: 's-RED', listPriceAmount: 150 })]);
    expect(plan.productUpdates).toEqual([{ id: '7', name: 'Player 2', description: null }]);
    expect(planPlatformCatalogImport([variant('RED')], new Map([['RED', stored('RED')]]), 'shopify', 'USD').outcomes.get('RED')).toBe('updated');
  });
});
