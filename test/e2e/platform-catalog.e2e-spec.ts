import { cny, expectError, expectStatus, partner, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { exportBody, SHOPIFY_PRODUCTS, WOOCOMMERCE_PRODUCTS, YOUZAN_IDS, YOUZAN_ITEMS } from '../support/platform-product-exports';
import { useStage } from '../support/stage';

interface ReportRow {
  platformProductId: string;
  platformVariantId: string | null;
  skuCode: string;
  outcome: string;
  reason: string | null;
}
interface Sku {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  specs: Record<string, string>;
  barcode: string | null;
  weightGrams: number | null;
  listPrice: { amount: number; currency: string } | null;
  platform: string | null;
  platformProductId: string | null;
  platformVariantId: string | null;
}

/**
 * Catalog sync from platforms: a supplier imports its Shopify, WooCommerce and Youzan product exports
 * as products and SKUs (by SKU code, prices exact, ids as text), and a distributor maps its platform
 * shop's products to the offers it can buy, as listings with the platform's ids, in one call.
 */
describe('catalog sync from platform product exports', () => {
  const { api, database } = useStage();
  let supplier: SignedUpMerchant;
  let otherSupplier: SignedUpMerchant;
  let distributor: SignedUpMerchant;
  let stranger: SignedUpMerchant;

  const importExport = (merchant: SignedUpMerchant, body: string) => api.request('POST', '/v1/catalog/platform-imports', { token: merchant.token, rawBody: body });
  const skusOf = async (merchant: SignedUpMerchant): Promise<Map<string, Sku & { productId: string }>> => {
    const page = await api.get('/v1/products?limit=200', merchant.token);
    expectStatus(page, 200);
    return new Map(page.body.data.flatMap((product: { id: string; skus: Sku[] }) => product.skus.map((sku) => [sku.code, { ...sku, productId: product.id }])));
  };
  const rowFor = (rows: ReportRow[], code: string) => rows.find((row) => row.skuCode === code);

  beforeAll(async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    supplier = await signUp(api, 'Shenzhen Sound Factory', 'Li', `platform-supplier-${tag}@example.com`);
    otherSupplier = await signUp(api, 'Dongguan Sound Works', 'Wu', `platform-other-${tag}@example.com`);
    distributor = await signUp(api, 'Happy Home Stores', 'Zhao', `platform-distributor-${tag}@example.com`);
    stranger = await signUp(api, 'Elsewhere Goods', 'Sun', `platform-stranger-${tag}@example.com`);
    await partner(api, supplier, distributor);
    await partner(api, otherSupplier, distributor);
  });

  describe('a supplier imports its catalog', () => {
    it('imports a Shopify products.json: one product per platform product, a SKU per variant, prices exact, bad variants reported', async () => {
      const response = await importExport(supplier, exportBody('shopify', SHOPIFY_PRODUCTS));
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ platform: 'shopify', products: 2, created: 3, updated: 0, unchanged: 0, skipped: 2 }));
      expect(rowFor(response.body.rows, '')).toEqual(expect.objectContaining({ platformProductId: '632910392', platformVariantId: '39072856', outcome: 'skipped', reason: 'no_sku_code' }));
      expect(rowFor(response.body.rows, 'IPOD2008BLACK')).toEqual(expect.objectContaining({ platformVariantId: '457924702', outcome: 'skipped', reason: 'invalid_price' }));

      const skus = await skusOf(supplier);
      const pink = skus.get('IPOD2008PINK')!;
      const red = skus.get('IPOD2008RED')!;
      expect(pink).toEqual(
        expect.objectContaining({
          name: 'IPod Nano - 8GB Pink',
          spec: 'Pink',
          specs: { Color: 'Pink' },
          weightGrams: 567,
          // "1234_pink" is no catalog barcode: left out, the SKU kept.
          barcode: null,
          listPrice: cny(19900),
          platform: 'shopify',
          platformProductId: '632910392',
          platformVariantId: '808950810',
        }),
      );
      // "4.35" is 435 fen exactly (4.35 * 100 is 434.99999999999994 in floating point).
      expect(red).toEqual(expect.objectContaining({ listPrice: cny(435), barcode: '1234-red' }));
      expect(red.productId).toBe(pink.productId);
      // A product without options ("Default Title") is a SKU without a spec, named as the product.
      expect(skus.get('GIFT-25')).toEqual(expect.objectContaining({ name: 'Gift card', spec: null, specs: {}, listPrice: cny(2500) }));
      expect(skus.get('GIFT-25')!.productId).not.toBe(pink.productId);
      const product = await api.get(`/v1/products/${pink.productId}`, supplier.token);
      expect(product.body).toEqual(expect.objectContaining({ name: 'IPod Nano - 8GB', description: "It's the small iPod with one very big idea: Video." }));
    });

    it('changes nothing when the same export is imported again, and updates only what changed', async () => {
      const before = await withDatabase(database.url, async (client) => (await client.query(`select count(*)::int as n, max(updated_at) as at from sku`)).rows[0]);
      const again = await importExport(supplier, exportBody('shopify', SHOPIFY_PRODUCTS));
      expectStatus(again, 200);
      expect(again.body).toEqual(expect.objectContaining({ created: 0, updated: 0, unchanged: 3, skipped: 2 }));
      const after = await withDatabase(database.url, async (client) => (await client.query(`select count(*)::int as n, max(updated_at) as at from sku`)).rows[0]);
      expect(after).toEqual(before);

      const repriced = await importExport(supplier, exportBody('shopify', SHOPIFY_PRODUCTS.replace('"price": "4.35"', '"price": "5.10"')));
      expect(repriced.body).toEqual(expect.objectContaining({ created: 0, updated: 1, unchanged: 2 }));
      expect(rowFor(repriced.body.rows, 'IPOD2008RED')!.outcome).toBe('updated');
      expect((await skusOf(supplier)).get('IPOD2008RED')!.listPrice).toEqual(cny(510));
    });

    it('imports WooCommerce products: a simple product, a variable one by its variations, the rest reported', async () => {
      const response = await importExport(supplier, exportBody('woocommerce', WOOCOMMERCE_PRODUCTS));
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ products: 3, created: 3, skipped: 2 }));
      expect(response.body.rows.filter((row: ReportRow) => row.outcome === 'skipped').map((row: ReportRow) => [row.platformProductId, row.platformVariantId, row.reason])).toEqual(
        expect.arrayContaining([
          ['22', '734', 'variation_not_included'],
          ['30', null, 'unsupported_product_type'],
        ]),
      );
      const skus = await skusOf(supplier);
      expect(skus.get('SHIP-IDEA-POSTER')).toEqual(expect.objectContaining({ name: 'Ship Your Idea', listPrice: cny(2199), platformProductId: '799', platformVariantId: null }));
      expect(skus.get('SHIP-IDEA-BLACK')).toEqual(expect.objectContaining({ name: 'Ship Your Idea Tee Black', specs: { Color: 'Black' }, listPrice: cny(2010), platformVariantId: '732' }));
      // No current price: the regular one.
      expect(skus.get('SHIP-IDEA-GREEN')!.listPrice).toEqual(cny(1800));
      expect(skus.get('SHIP-IDEA-GREEN')!.productId).toBe(skus.get('SHIP-IDEA-BLACK')!.productId);
    });

    it('imports Youzan items with ids above 2^53 kept exactly as text, prices in fen', async () => {
      const response = await importExport(otherSupplier, exportBody('youzan', YOUZAN_ITEMS));
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ products: 3, created: 3, skipped: 1 }));
      expect(rowFor(response.body.rows, 'TEA-BOX-250')).toEqual(expect.objectContaining({ platformProductId: YOUZAN_IDS.teaItem, platformVariantId: YOUZAN_IDS.tea250, outcome: 'created' }));
      const skus = await skusOf(otherSupplier);
      expect(skus.get('TEA-BOX-250')).toEqual(
        expect.objectContaining({
          name: '有机红茶礼盒 250克',
          spec: '250克',
          specs: { 规格: '250克' },
          listPrice: cny(12900),
          platform: 'youzan',
          platformProductId: YOUZAN_IDS.teaItem,
          platformVariantId: YOUZAN_IDS.tea250,
        }),
      );
      expect(skus.get('TEA-BOX-500')).toEqual(expect.objectContaining({ listPrice: cny(19900), platformVariantId: YOUZAN_IDS.tea500 }));
      expect(skus.get('HONEY-1KG')).toEqual(expect.objectContaining({ listPrice: cny(5990), platformProductId: YOUZAN_IDS.honeyItem, platformVariantId: null }));
      const stored = await withDatabase(database.url, async (client) => (await client.query(`select platform_variant_id from sku where code = 'TEA-BOX-250'`)).rows[0]);
      expect(stored.platform_variant_id).toBe(YOUZAN_IDS.tea250);
      // The older API's yuan prices (a decimal point) are read as yuan.
      const yuan = await importExport(otherSupplier, exportBody('youzan', `{"response": {"items": [{"item_id": 5, "title": "旧版商品", "outer_id": "OLD-1", "price": "12.30"}]}}`));
      expect(yuan.body).toEqual(expect.objectContaining({ created: 1 }));
      expect((await skusOf(otherSupplier)).get('OLD-1')!.listPrice).toEqual(cny(1230));
    });

    it('reports a code given twice in one export on each variant, and refuses what is no export or too large', async () => {
      const twice = `{"products": [{"id": 1, "title": "Twice", "variants": [{"id": 11, "sku": "TWICE-1", "price": "1.00"}, {"id": 12, "sku": "TWICE-1", "price": "2.00"}, {"id": 13, "sku": "bad code!", "price": "1.00"}]}]}`;
      const response = await importExport(supplier, exportBody('shopify', twice));
      expect(response.body).toEqual(expect.objectContaining({ created: 0, skipped: 3 }));
      expect(response.body.rows.map((row: ReportRow) => row.reason)).toEqual(['duplicate_code', 'duplicate_code', 'invalid_sku_code']);
      expect((await skusOf(supplier)).has('TWICE-1')).toBe(false);

      expectError(await importExport(supplier, exportBody('shopify', '{"items": []}')), 400, 'validation_failed', 'data.products');
      expectError(await importExport(supplier, exportBody('woocommerce', '[{"name": "no id"}]')), 400, 'validation_failed', 'data[0].id');
      expectError(await importExport(supplier, `{"platform": "etsy", "data": []}`), 400, 'validation_failed', 'platform');
      expectError(await importExport(supplier, `{"platform": "shopify"}`), 400, 'validation_failed', 'data');
      expectError(await importExport(supplier, exportBody('shopify', `${'['.repeat(250)}${']'.repeat(250)}`)), 400, 'invalid_json', 'data');
      const many = `[${Array.from({ length: 1001 }, (_, index) => `{"id": ${index + 1}, "type": "simple", "name": "P", "sku": "P-${index}", "price": "1.00"}`).join(',')}]`;
      expectError(await importExport(supplier, exportBody('woocommerce', many)), 413, 'platform_export_too_large', 'data');
      expect((await skusOf(supplier)).has('P-0')).toBe(false);
    });

    it('imports an export at the stated limit (1,000 products, 5,000 variants) in one call, and again with nothing to change', async () => {
      const bulk = await signUp(api, 'Bulk Goods', 'Ma', `platform-bulk-${Math.random().toString(36).slice(2, 8)}@example.com`);
      const products = Array.from(
        { length: 1000 },
        (_, product) =>
          `{"id": ${9007199254740000n + BigInt(product)}, "title": "Bulk ${product}", "variants": [${Array.from({ length: 5 }, (_, variant) => `{"id": ${product * 10 + variant}, "sku": "B-${product}-${variant}", "price": "${product}.${variant}5", "option1": "V${variant}"}`).join(',')}], "options": [{"name": "Size", "position": 1}]}`,
      );
      const body = exportBody('shopify', `{"products": [${products.join(',')}]}`);
      const started = Date.now();
      const first = await importExport(bulk, body);
      const firstMs = Date.now() - started;
      expectStatus(first, 200);
      expect(first.body).toEqual(expect.objectContaining({ products: 1000, created: 5000, skipped: 0 }));
      const again = await importExport(bulk, body);
      expect(again.body).toEqual(expect.objectContaining({ created: 0, updated: 0, unchanged: 5000 }));
      const stored = await withDatabase(
        database.url,
        async (client) =>
          (
            await client.query(`select count(distinct s.product_id)::int as products, count(*)::int as skus, sum(s.list_price_amount)::text as total from sku s where s.merchant_id = $1`, [
              bulk.merchantId,
            ])
          ).rows[0],
      );
      // Σ over products p and variants v of (100p + 10v + 5) fen, exactly.
      expect(stored).toEqual({ products: 1000, skus: 5000, total: String(5 * 100 * ((999 * 1000) / 2) + 1000 * (10 * 10 + 25)) });
      // A handful of set-based statements, not one per SKU: well under the time a row-at-a-time import takes.
      expect(firstMs).toBeLessThan(10_000);
    });

    it('takes an export larger than an ordinary request body, up to the upload limit', async () => {
      const description = 'x'.repeat(4000);
      const products = Array.from(
        { length: 400 },
        (_, index) => `{"id": ${index + 1}, "title": "Large ${index}", "body_html": "${description}", "variants": [{"id": ${index + 1}, "sku": "L-${index}", "price": "1.00"}]}`,
      );
      const body = exportBody('shopify', `{"products": [${products.join(',')}]}`);
      expect(body.length).toBeGreaterThan(api.config.BODY_LIMIT_BYTES);
      const response = await importExport(supplier, body);
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ created: 400 }));
      // Ordinary routes keep the ordinary limit.
      expectError(
        await api.request('POST', '/v1/products', { token: supplier.token, rawBody: JSON.stringify({ name: 'x', description }).padEnd(api.config.BODY_LIMIT_BYTES + 10, ' ') }),
        413,
        /too_large/,
      );
    });

    it('needs catalog rights: an unauthenticated import is refused', async () => {
      expectError(await api.request('POST', '/v1/catalog/platform-imports', { rawBody: exportBody('shopify', SHOPIFY_PRODUCTS) }), 401, 'unauthenticated');
    });
  });

  describe('a distributor maps its platform products to offers', () => {
    let shopifyShop: string;
    let youzanShop: string;
    let nativeShop: string;
    const offers: Record<string, string> = {};
    const mapListings = (merchant: SignedUpMerchant, shopId: string, body: string) => api.request('POST', `/v1/shops/${shopId}/platform-listings`, { token: merchant.token, rawBody: body });
    /** The distributor's own Shopify store sells the same goods (same SKU codes) under its own ids and prices. */
    const DISTRIBUTOR_SHOPIFY = `{"products": [
      {"id": 7001000000001, "title": "iPod nano", "variants": [
        {"id": 42000000000001, "sku": "IPOD2008PINK", "price": "299.00", "inventory_item_id": 43000000000001, "option1": "Pink"},
        {"id": 42000000000002, "sku": "IPOD2008RED", "price": "299.00", "inventory_item_id": 43000000000002, "option1": "Red"},
        {"id": 42000000000003, "sku": "NOT-OFFERED", "price": "10.00", "inventory_item_id": 43000000000003, "option1": "Blue"},
        {"id": 42000000000004, "sku": "", "price": "10.00", "inventory_item_id": 43000000000004, "option1": "White"}
      ], "options": [{"name": "Color", "position": 1}]}
    ]}`;

    beforeAll(async () => {
      const skus = await skusOf(supplier);
      const offer = async (merchant: SignedUpMerchant, skuId: string, amount: number) => {
        const response = await api.post('/v1/offers', { skuId, price: cny(amount) }, merchant.token);
        expectStatus(response, 201);
        return response.body.id as string;
      };
      offers.pink = await offer(supplier, skus.get('IPOD2008PINK')!.id, 12000);
      offers.red = await offer(supplier, skus.get('IPOD2008RED')!.id, 300);
      // Another supplier of the distributor has a SKU with the same code: IPOD2008RED is ambiguous.
      const other = await api.post('/v1/products', { name: 'Red player', skus: [{ code: 'IPOD2008RED', name: 'Red player' }] }, otherSupplier.token);
      offers.otherRed = await offer(otherSupplier, other.body.skus[0].id, 280);
      const otherSkus = await skusOf(otherSupplier);
      offers.tea250 = await offer(otherSupplier, otherSkus.get('TEA-BOX-250')!.id, 8000);

      const shop = async (integration: string, platformCredentials?: Record<string, string>) => {
        const response = await api.post(
          '/v1/shops',
          { platform: integration === 'native' ? 'wechat' : integration, name: `Happy Home ${integration}`, integration, platformCredentials },
          distributor.token,
        );
        expectStatus(response, 201);
        return response.body.id as string;
      };
      shopifyShop = await shop('shopify', { shopDomain: 'happy-home.myshopify.com', webhookSecret: 'shpss_0123456789', accessToken: 'shpat_0123456789', apiBaseUrl: 'http://127.0.0.1:45999' });
      youzanShop = await shop('youzan', { clientId: 'yz-client', clientSecret: 'yz-secret-0123', kdtId: '44152698', apiBaseUrl: 'http://127.0.0.1:45999' });
      nativeShop = await shop('native');
    });

    it('lists each variant whose code names exactly one available offer, with the platform ids and price, and reports the rest', async () => {
      const response = await mapListings(distributor, shopifyShop, exportBody('shopify', DISTRIBUTOR_SHOPIFY));
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ platform: 'shopify', shopId: shopifyShop, listed: 1, updated: 0, unchanged: 0, unmatched: 3 }));
      const row = (code: string) => response.body.rows.find((item: ReportRow) => item.skuCode === code);
      expect(row('IPOD2008PINK')).toEqual(expect.objectContaining({ outcome: 'listed', offerId: offers.pink, retailPrice: cny(29900), platformVariantId: '42000000000001' }));
      expect(row('IPOD2008RED')).toEqual(
        expect.objectContaining({ outcome: 'unmatched', reason: 'ambiguous_offer', candidateOfferIds: [offers.red, offers.otherRed].sort((a, b) => Number(a) - Number(b)) }),
      );
      expect(row('NOT-OFFERED')).toEqual(expect.objectContaining({ outcome: 'unmatched', reason: 'no_offer', platformProductId: '7001000000001' }));
      expect(row('')).toEqual(expect.objectContaining({ outcome: 'unmatched', reason: 'no_sku_code', platformVariantId: '42000000000004' }));

      const listings = await api.get(`/v1/listings?shopId=${shopifyShop}`, distributor.token);
      expectStatus(listings, 200);
      expect(listings.body.data).toEqual([
        expect.objectContaining({
          id: row('IPOD2008PINK').listingId,
          shopSkuCode: 'IPOD2008PINK',
          offerId: offers.pink,
          retailPrice: cny(29900),
          supplyPrice: cny(12000),
          platformProductId: '7001000000001',
          platformVariantId: '42000000000001',
          platformInventoryItemId: '43000000000001',
          status: 'active',
        }),
      ]);
    });

    it('changes nothing when mapped again, and updates the listing when the platform price changes', async () => {
      const again = await mapListings(distributor, shopifyShop, exportBody('shopify', DISTRIBUTOR_SHOPIFY));
      expect(again.body).toEqual(expect.objectContaining({ listed: 0, updated: 0, unchanged: 1, unmatched: 3 }));
      const repriced = await mapListings(
        distributor,
        shopifyShop,
        exportBody('shopify', DISTRIBUTOR_SHOPIFY.replace('"price": "299.00", "inventory_item_id": 43000000000001', '"price": "289.90", "inventory_item_id": 43000000000001')),
      );
      expect(repriced.body).toEqual(expect.objectContaining({ listed: 0, updated: 1, unchanged: 0 }));
      const listings = await api.get(`/v1/listings?shopId=${shopifyShop}`, distributor.token);
      expect(listings.body.data.map((listing: { retailPrice: unknown }) => listing.retailPrice)).toEqual([cny(28990)]);
    });

    it('maps a Youzan shop with ids above 2^53 unchanged onto the listings, giving a listing made by hand its platform ids', async () => {
      const tea500 = (await skusOf(otherSupplier)).get('TEA-BOX-500')!;
      const offerResponse = await api.post('/v1/offers', { skuId: tea500.id, price: cny(11000) }, otherSupplier.token);
      expectStatus(offerResponse, 201);
      const byHand = await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'TEA-BOX-500', offerId: offerResponse.body.id, retailPrice: cny(18800) }, distributor.token);
      expectStatus(byHand, 201);
      expect(byHand.body).toEqual(expect.objectContaining({ platformProductId: null, platformVariantId: null }));

      const response = await mapListings(distributor, youzanShop, exportBody('youzan', YOUZAN_ITEMS));
      expectStatus(response, 200);
      expect(response.body).toEqual(expect.objectContaining({ listed: 1, updated: 1, unmatched: 2 }));
      expect(response.body.rows.map((row: ReportRow) => row.skuCode)).toEqual(['TEA-BOX-250', 'TEA-BOX-500', 'HONEY-1KG', '']);
      const listings = await api.get(`/v1/listings?shopId=${youzanShop}`, distributor.token);
      expect(listings.body.data).toEqual([
        expect.objectContaining({ id: byHand.body.id, shopSkuCode: 'TEA-BOX-500', retailPrice: cny(19900), platformProductId: YOUZAN_IDS.teaItem, platformVariantId: YOUZAN_IDS.tea500 }),
        expect.objectContaining({
          shopSkuCode: 'TEA-BOX-250',
          offerId: offers.tea250,
          retailPrice: cny(12900),
          platformProductId: YOUZAN_IDS.teaItem,
          platformVariantId: YOUZAN_IDS.tea250,
          platformInventoryItemId: null,
        }),
      ]);
    });

    it("refuses another platform's export or a native shop, naming the field, and answers 404 for another merchant's shop", async () => {
      expectError(await mapListings(distributor, shopifyShop, exportBody('youzan', YOUZAN_ITEMS)), 400, 'shop_platform_mismatch', 'platform');
      expectError(await mapListings(distributor, nativeShop, exportBody('shopify', DISTRIBUTOR_SHOPIFY)), 400, 'shop_platform_mismatch', 'platform');
      expectError(await mapListings(stranger, shopifyShop, exportBody('shopify', DISTRIBUTOR_SHOPIFY)), 404, 'shop_not_found');
      expectError(await mapListings(distributor, '999999999', exportBody('shopify', DISTRIBUTOR_SHOPIFY)), 404, 'shop_not_found');
      const untouched = await api.get(`/v1/listings?shopId=${nativeShop}`, distributor.token);
      expect(untouched.body.data).toEqual([]);
    });
  });
});
