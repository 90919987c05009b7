import { cny, expectError, expectStatus, partner, SignedUpMerchant, signUp, snapshotDomain } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * Bad input gets a clear 4xx in the one error shape, naming the field and the reason, and changes
 * nothing. Also: health, the OpenAPI document, missing credentials and unknown routes.
 */
describe('Foundation: bad input is refused clearly and changes nothing', () => {
  const { api, database } = useStage();
  let factory: SignedUpMerchant;
  let broker: SignedUpMerchant;
  let sku: string;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    factory = await signUp(api, 'Validation Factory', 'Ma', 'ma@validation.example');
    broker = await signUp(api, 'Validation Broker', 'Hu', 'hu@validation.example');
    await partner(api, factory, broker);
    const product = await api.post('/v1/products', { name: 'Linen shirt', skus: [{ code: 'LS-1', name: 'Linen shirt' }] }, factory.token);
    expectStatus(product, 201);
    sku = product.body.skus[0].id;
    before = await snapshotDomain(database.url);
  });

  describe('the service itself', () => {
    it('GET /health reports PostgreSQL and Redis up', async () => {
      const health = await api.get('/health');
      expectStatus(health, 200);
      expect(health.body).toEqual(expect.objectContaining({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } }));
    });

    it('GET /docs/openapi.json describes every route of the foundation with its permissions', async () => {
      const docs = await api.get('/docs/openapi.json');
      expectStatus(docs, 200);
      const paths = docs.body.paths as Record<string, Record<string, { security?: unknown; 'x-required-permissions'?: string[] }>>;
      const expected: [string, string][] = [
        ['post', '/v1/auth/sign-up'],
        ['post', '/v1/auth/login'],
        ['post', '/v1/auth/logout'],
        ['get', '/v1/merchants/me'],
        ['get', '/v1/members'],
        ['post', '/v1/members'],
        ['get', '/v1/api-keys'],
        ['post', '/v1/api-keys'],
        ['post', '/v1/api-keys/{apiKeyId}/revoke'],
        ['post', '/v1/partnerships'],
        ['get', '/v1/partnerships'],
        ['get', '/v1/partnerships/{partnershipId}'],
        ['post', '/v1/partnerships/{partnershipId}/accept'],
        ['post', '/v1/partnerships/{partnershipId}/decline'],
        ['post', '/v1/partnerships/{partnershipId}/suspend'],
        ['post', '/v1/partnerships/{partnershipId}/resume'],
        ['post', '/v1/products'],
        ['get', '/v1/products'],
        ['get', '/v1/products/{productId}'],
        ['post', '/v1/products/{productId}/skus'],
        ['patch', '/v1/skus/{skuId}'],
        ['post', '/v1/warehouses'],
        ['get', '/v1/warehouses'],
        ['get', '/v1/warehouses/{warehouseId}'],
        ['patch', '/v1/warehouses/{warehouseId}'],
        ['post', '/v1/warehouses/{warehouseId}/rotate-erp-secret'],
        ['get', '/v1/stock-levels'],
        ['put', '/v1/stock-levels'],
        ['post', '/v1/stock-levels/adjustments'],
        ['post', '/v1/offers'],
        ['get', '/v1/offers'],
        ['get', '/v1/offers/{offerId}'],
        ['patch', '/v1/offers/{offerId}'],
        ['post', '/v1/offers/{offerId}/withdraw'],
        ['get', '/v1/available-offers'],
        ['get', '/v1/available-offers/{offerId}'],
        ['post', '/v1/shops'],
        ['get', '/v1/shops'],
        ['get', '/v1/shops/{shopId}'],
        ['patch', '/v1/shops/{shopId}'],
        ['post', '/v1/shops/{shopId}/rotate-secret'],
        ['post', '/v1/listings'],
        ['get', '/v1/listings'],
        ['get', '/v1/listings/{listingId}'],
        ['patch', '/v1/listings/{listingId}'],
        ['delete', '/v1/listings/{listingId}'],
        ['get', '/health'],
      ];
      const missing = expected.filter(([method, path]) => !paths[path]?.[method]).map(([method, path]) => `${method.toUpperCase()} ${path}`);
      expect(missing).toEqual([]);
      // Each protected route states the permission it needs and that it takes a bearer credential.
      expect(paths['/v1/offers'].post['x-required-permissions']).toEqual(['offers:write']);
      expect(paths['/v1/offers'].post.security).toEqual([{ bearer: [] }]);
      expect(paths['/v1/products'].post['x-required-permissions']).toEqual(['catalog:write']);
      expect(paths['/v1/auth/sign-up'].post.security).toEqual([]);
      // Money is documented as integer minor units with a currency.
      expect(JSON.stringify(docs.body.components.schemas.MoneyDto)).toContain('minor units');
    });
  });

  describe('credentials and routes', () => {
    it('a request without, or with a bad, credential is 401', async () => {
      for (const [method, url] of [
        ['GET', '/v1/merchants/me'],
        ['GET', '/v1/products'],
        ['POST', '/v1/offers'],
        ['GET', `/v1/partnerships`],
        ['POST', '/v1/api-keys'],
      ] as const) {
        expectError(await api.request(method, url, { body: method === 'POST' ? {} : undefined }), 401, 'unauthenticated');
        expectError(await api.request(method, url, { token: 'gxk_not-a-real-key' }), 401, 'unauthenticated');
        expectError(await api.request(method, url, { token: 'gxs_not-a-real-session' }), 401, 'unauthenticated');
        expectError(await api.request(method, url, { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401, 'unauthenticated');
      }
    });

    it('an unknown route is 404 in the same error shape, with or without credentials', async () => {
      expectError(await api.get('/v1/no-such-things'), 404, 'route_not_found');
      expectError(await api.get('/v1/no-such-things', factory.token), 404, 'route_not_found');
      expectError(await api.delete(`/v1/products/${sku}`, factory.token), 404, 'route_not_found');
    });
  });

  describe('bodies that are not what the route takes', () => {
    it('unknown fields are refused and named, at any depth', async () => {
      const top = await api.post('/v1/products', { name: 'Shirt', colour: 'blue' }, factory.token);
      expectError(top, 400, 'validation_failed', 'colour');
      expect(top.body.error.details).toEqual([{ field: 'colour', reason: 'is not a known field' }]);
      expectError(await api.post('/v1/products', { name: 'Shirt', skus: [{ code: 'S-1', name: 'S', colour: 'blue' }] }, factory.token), 400, 'validation_failed', 'skus[0].colour');
      expectError(
        await api.post('/v1/offers', { skuId: sku, buyerMerchantId: broker.merchantId, price: { amount: 100, currency: 'CNY', discount: 5 } }, factory.token),
        400,
        'validation_failed',
        'price.discount',
      );
      expectError(await api.post('/v1/auth/sign-up', { merchantName: 'M', ownerName: 'O', email: 'o@m.example', password: 'long enough pass', role: 'admin' }), 400, 'validation_failed', 'role');
      expectError(await api.patch(`/v1/skus/${sku}`, { code: 'RENAMED' }, factory.token), 400, 'validation_failed', 'code');
    });

    it('wrong types are refused and named', async () => {
      expectError(await api.post('/v1/products', { name: 42 }, factory.token), 400, 'validation_failed', 'name');
      expectError(await api.post('/v1/products', { name: 'Shirt', skus: 'LS-2' }, factory.token), 400, 'validation_failed', 'skus');
      expectError(await api.post('/v1/products', { name: 'Shirt', skus: [{ code: 'S-2', name: 'S', weightGrams: '250' }] }, factory.token), 400, 'validation_failed', 'skus[0].weightGrams');
      expectError(await api.post('/v1/offers', { skuId: sku, buyerMerchantId: broker.merchantId, price: 5000 }, factory.token), 400, 'validation_failed', 'price');
      expectError(
        await api.post('/v1/offers', { skuId: sku, buyerMerchantId: broker.merchantId, price: { amount: '5000', currency: 'CNY' } }, factory.token),
        400,
        'validation_failed',
        'price.amount',
      );
      expectError(await api.post('/v1/offers', { skuId: Number(sku), buyerMerchantId: broker.merchantId, price: cny(5000) }, factory.token), 400, 'validation_failed', 'skuId');
      expectError(await api.put('/v1/stock-levels', { warehouseId: '1', skuId: sku, onHand: '10' }, factory.token), 400, 'validation_failed', 'onHand');
      expectError(await api.post('/v1/partnerships', { downstreamMerchantId: Number(broker.merchantId) }, factory.token), 400, 'validation_failed', 'downstreamMerchantId');
      expectError(await api.post('/v1/products', [{ name: 'Shirt' }], factory.token), 400, /./);
    });

    it('money must be whole, non-negative minor units in a known currency', async () => {
      const offer = (price: unknown) => api.post('/v1/offers', { skuId: sku, buyerMerchantId: broker.merchantId, price }, factory.token);

      const negative = await offer({ amount: -1, currency: 'CNY' });
      expectError(negative, 400, 'validation_failed', 'price.amount');
      expect(negative.body.error.details).toEqual([{ field: 'price.amount', reason: 'must not be negative' }]);
      expect(negative.body.error.message).toBe('The request is invalid: price.amount must not be negative');
      const decimal = await offer({ amount: 50.5, currency: 'CNY' });
      expectError(decimal, 400, 'validation_failed', 'price.amount');
      expect(decimal.body.error.details[0].reason).toContain('integer');
      expectError(await offer({ amount: 1e15, currency: 'CNY' }), 400, 'validation_failed', 'price.amount');
      expectError(await offer({ amount: 5000, currency: 'RMB' }), 400, 'validation_failed', 'price.currency');
      expectError(await offer({ amount: 5000 }), 400, 'validation_failed', 'price.currency');
      expectError(await offer(undefined), 400, 'validation_failed', 'price');

      const offerId = (await offer(cny(5000))).body.id;
      expectError(await api.patch(`/v1/offers/${offerId}`, { price: { amount: -100, currency: 'CNY' } }, factory.token), 400, 'validation_failed', 'price.amount');
      expectError(await api.patch(`/v1/offers/${offerId}`, { price: { amount: 59.9, currency: 'CNY' } }, factory.token), 400, 'validation_failed', 'price.amount');
      expect((await api.get(`/v1/offers/${offerId}`, factory.token)).body.price).toEqual(cny(5000));
      expectStatus(await api.post(`/v1/offers/${offerId}/withdraw`, {}, factory.token), 200);

      const shop = (await api.post('/v1/shops', { platform: 'wechat', name: 'Own goods shop' }, factory.token)).body.id;
      expectError(
        await api.post('/v1/listings', { shopId: shop, shopSkuCode: 'WX-1', skuId: sku, retailPrice: { amount: -9900, currency: 'CNY' } }, factory.token),
        400,
        'validation_failed',
        'retailPrice.amount',
      );
      expectError(
        await api.post('/v1/listings', { shopId: shop, shopSkuCode: 'WX-1', skuId: sku, retailPrice: { amount: 99.5, currency: 'CNY' } }, factory.token),
        400,
        'validation_failed',
        'retailPrice.amount',
      );
      expect((await api.get('/v1/listings', factory.token)).body.data).toEqual([]);
    });

    it('malformed or empty JSON is 400 invalid_json in the error shape', async () => {
      for (const rawBody of ['{"name": "Shirt",', "{'name': 'Shirt'}", 'name=Shirt']) {
        const response = await api.request('POST', '/v1/products', { token: factory.token, rawBody, headers: { 'content-type': 'application/json' } });
        expectError(response, 400, 'invalid_json');
      }
      const empty = await api.request('POST', '/v1/products', { token: factory.token, rawBody: '', headers: { 'content-type': 'application/json' } });
      expectError(empty, 400, 'invalid_json');
      // Without credentials the answer is the same kind of error, never a stack trace.
      const anonymous = await api.request('POST', '/v1/auth/sign-up', { rawBody: '{"merchantName":', headers: { 'content-type': 'application/json' } });
      expectError(anonymous, 400, 'invalid_json');
    });

    it('a body over the limit (1 MiB by default) is 413 in the error shape; one just under it is read', async () => {
      const over = await api.post('/v1/products', { name: 'Shirt', description: 'x'.repeat(1024 * 1024) }, factory.token);
      expectError(over, 413, 'payload_too_large');
      // Just under the limit the body is parsed and validated as usual (the description is too long).
      const under = await api.post('/v1/products', { name: 'Shirt', description: 'x'.repeat(1024 * 1024 - 100) }, factory.token);
      expectError(under, 400, 'validation_failed', 'description');
    });

    it('query parameters are validated too', async () => {
      expectError(await api.get('/v1/offers?limit=0', factory.token), 400, 'validation_failed', 'limit');
      expectError(await api.get('/v1/products?limit=abc', factory.token), 400, 'validation_failed', 'limit');
      expectError(await api.get('/v1/products?cursor=!!', factory.token), 400, 'validation_failed', 'cursor');
      expectError(await api.get('/v1/partnerships?side=sideways', factory.token), 400, 'validation_failed', 'side');
      expectError(await api.get('/v1/stock-levels?warehouseId=abc', factory.token), 400, 'validation_failed', 'warehouseId');
      expectError(await api.get('/v1/products?colour=red', factory.token), 400, 'validation_failed', 'colour');
    });
  });

  it('none of the refused requests wrote anything', async () => {
    const after = await snapshotDomain(database.url);
    // The one offer made and withdrawn, and the shop, were valid requests; everything else is as before.
    expect(after.offer).toEqual([expect.objectContaining({ status: 'withdrawn', price_amount: '5000' })]);
    expect(after.shop).toHaveLength(1);
    // The withdrawal asked for the availability of its listings to be recomputed: one event, nothing else.
    const newEvents = after.outbox_event.slice(before.outbox_event.length);
    expect(newEvents).toEqual([expect.objectContaining({ type: 'availability.stale', aggregate_id: expect.stringMatching(/^offer:/) })]);
    expect({ ...after, offer: [], shop: [], outbox_event: [] }).toEqual({ ...before, offer: [], shop: [], outbox_event: [] });
  });
});
