import { cny, expectError, expectStatus, invitationFrom, partner, SignedUpMerchant, signUp, snapshotDomain } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * Each merchant sees only its own data. A competitor with an account (and partners who are not the
 * owner) try every id-taking route of the foundation with someone else's ids: each answers 404,
 * never 500, never the data, and nothing in the database changes.
 */
describe('Foundation: no merchant can see or change another merchant’s data', () => {
  const { api, database } = useStage();

  let factory: SignedUpMerchant;
  let broker: SignedUpMerchant;
  let distributor: SignedUpMerchant;
  let outsider: SignedUpMerchant;

  /** The factory's, broker's and distributor's things, which the others must not reach. */
  const ids = {} as Record<
    'factoryToBroker' | 'pendingInvite' | 'product' | 'sku' | 'warehouse' | 'factoryOffer' | 'brokerOffer' | 'shop' | 'listing' | 'apiKey' | 'outsiderWarehouse' | 'outsiderSku' | 'outsiderShop',
    string
  >;
  let factoryKey: string;
  let before: Record<string, unknown[]>;

  /** Words that only the owners' data contains: none may appear in a refused response. */
  const SECRET_WORDS = ['Secret formula tee', 'SF-TEE-01', 'Ningbo hidden store', 'whsec_', 'gxk_', '4321', '7654', '9876'];

  beforeAll(async () => {
    factory = await signUp(api, 'Ningbo Secret Factory', 'Zhou', 'zhou@secret-factory.example');
    broker = await signUp(api, 'Quiet Broker', 'Wu', 'wu@quiet-broker.example');
    distributor = await signUp(api, 'Hidden Shops', 'Zheng', 'zheng@hidden-shops.example');
    outsider = await signUp(api, 'Nosy Competitor', 'Feng', 'feng@nosy.example');

    ids.factoryToBroker = await partner(api, factory, broker);
    await partner(api, broker, distributor);
    expectStatus(await api.post('/v1/partnerships', { downstreamMerchantId: distributor.merchantId }, factory.token), 202);
    ids.pendingInvite = await invitationFrom(api, factory.merchantId, distributor);

    const product = await api.post('/v1/products', { name: 'Secret formula tee', skus: [{ code: 'SF-TEE-01', name: 'Secret formula tee M' }] }, factory.token);
    expectStatus(product, 201);
    ids.product = product.body.id;
    ids.sku = product.body.skus[0].id;
    const warehouse = await api.post(
      '/v1/warehouses',
      { code: 'NB-1', name: 'Ningbo hidden store', province: '浙江省', receiveMode: 'erp_webhook', erpWebhookUrl: 'https://erp.secret.example/hook' },
      factory.token,
    );
    expectStatus(warehouse, 201);
    ids.warehouse = warehouse.body.id;
    expectStatus(await api.put('/v1/stock-levels', { warehouseId: ids.warehouse, skuId: ids.sku, onHand: 4321 }, factory.token), 200);

    const factoryOffer = await api.post('/v1/offers', { skuId: ids.sku, buyerMerchantId: broker.merchantId, price: cny(7654) }, factory.token);
    expectStatus(factoryOffer, 201);
    ids.factoryOffer = factoryOffer.body.id;
    const brokerOffer = await api.post('/v1/offers', { upstreamOfferId: ids.factoryOffer, buyerMerchantId: distributor.merchantId, price: cny(8765) }, broker.token);
    expectStatus(brokerOffer, 201);
    ids.brokerOffer = brokerOffer.body.id;

    const shop = await api.post('/v1/shops', { platform: 'xiaohongshu', name: 'Hidden RED store' }, distributor.token);
    expectStatus(shop, 201);
    ids.shop = shop.body.id;
    const listing = await api.post('/v1/listings', { shopId: ids.shop, shopSkuCode: 'RED-TEE', offerId: ids.brokerOffer, retailPrice: cny(9876) }, distributor.token);
    expectStatus(listing, 201);
    ids.listing = listing.body.id;

    const key = await api.post('/v1/api-keys', { name: 'ERP', scopes: ['catalog:read'] }, factory.token);
    expectStatus(key, 201);
    ids.apiKey = key.body.id;
    factoryKey = key.body.key;

    // The outsider has things of its own, to mix with the others' ids.
    const ownProduct = await api.post('/v1/products', { name: 'Nosy tee', skus: [{ code: 'NOSY-1', name: 'Nosy tee' }] }, outsider.token);
    ids.outsiderSku = ownProduct.body.skus[0].id;
    ids.outsiderWarehouse = (await api.post('/v1/warehouses', { code: 'NOSY-WH', name: 'Nosy', province: '江苏省' }, outsider.token)).body.id;
    ids.outsiderShop = (await api.post('/v1/shops', { platform: 'douyin', name: 'Nosy shop' }, outsider.token)).body.id;

    before = await snapshotDomain(database.url);
  });

  type Attempt = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
  const attempt = (method: Attempt['method'], url: string, body?: unknown): Attempt => ({ method, url, body });

  /** Every id-taking route of issue 2, tried by the outsider with the others' ids. */
  const outsiderAttempts: [string, () => Attempt][] = [
    ['read a partnership', () => attempt('GET', `/v1/partnerships/${ids.factoryToBroker}`)],
    ['accept an invitation meant for another', () => attempt('POST', `/v1/partnerships/${ids.pendingInvite}/accept`, {})],
    ['decline an invitation meant for another', () => attempt('POST', `/v1/partnerships/${ids.pendingInvite}/decline`, {})],
    ['suspend a partnership', () => attempt('POST', `/v1/partnerships/${ids.factoryToBroker}/suspend`, {})],
    ['resume a partnership', () => attempt('POST', `/v1/partnerships/${ids.factoryToBroker}/resume`, {})],
    ['read a product', () => attempt('GET', `/v1/products/${ids.product}`)],
    ['add a SKU to a product', () => attempt('POST', `/v1/products/${ids.product}/skus`, { code: 'NOSY-2', name: 'Planted SKU' })],
    ['change a SKU', () => attempt('PATCH', `/v1/skus/${ids.sku}`, { name: 'Defaced' })],
    ['read a warehouse', () => attempt('GET', `/v1/warehouses/${ids.warehouse}`)],
    ['change a warehouse', () => attempt('PATCH', `/v1/warehouses/${ids.warehouse}`, { status: 'inactive' })],
    ['rotate a warehouse ERP secret', () => attempt('POST', `/v1/warehouses/${ids.warehouse}/rotate-erp-secret`, {})],
    ['list stock of a warehouse', () => attempt('GET', `/v1/stock-levels?warehouseId=${ids.warehouse}`)],
    ['list stock of a SKU', () => attempt('GET', `/v1/stock-levels?skuId=${ids.sku}`)],
    ['set stock', () => attempt('PUT', '/v1/stock-levels', { warehouseId: ids.warehouse, skuId: ids.sku, onHand: 0 })],
    ['set stock of a SKU in its own warehouse', () => attempt('PUT', '/v1/stock-levels', { warehouseId: ids.outsiderWarehouse, skuId: ids.sku, onHand: 0 })],
    ['set stock of its own SKU in a warehouse', () => attempt('PUT', '/v1/stock-levels', { warehouseId: ids.warehouse, skuId: ids.outsiderSku, onHand: 0 })],
    ['adjust stock', () => attempt('POST', '/v1/stock-levels/adjustments', { warehouseId: ids.warehouse, skuId: ids.sku, delta: -4321 })],
    ['read an offer', () => attempt('GET', `/v1/offers/${ids.factoryOffer}`)],
    ['reprice an offer', () => attempt('PATCH', `/v1/offers/${ids.factoryOffer}`, { price: cny(1) })],
    ['withdraw an offer', () => attempt('POST', `/v1/offers/${ids.brokerOffer}/withdraw`, {})],
    ['offer a SKU it does not own', () => attempt('POST', '/v1/offers', { skuId: ids.sku, price: cny(1) })],
    ['re-share an offer not offered to it', () => attempt('POST', '/v1/offers', { upstreamOfferId: ids.factoryOffer, price: cny(1) })],
    ['read an offer available to another', () => attempt('GET', `/v1/available-offers/${ids.brokerOffer}`)],
    ['read a shop', () => attempt('GET', `/v1/shops/${ids.shop}`)],
    ['change a shop', () => attempt('PATCH', `/v1/shops/${ids.shop}`, { status: 'disabled' })],
    ['rotate a shop webhook secret', () => attempt('POST', `/v1/shops/${ids.shop}/rotate-secret`, {})],
    ['list in a shop of another', () => attempt('POST', '/v1/listings', { shopId: ids.shop, shopSkuCode: 'NOSY', skuId: ids.outsiderSku, retailPrice: cny(1) })],
    ['list an offer made to another in its own shop', () => attempt('POST', '/v1/listings', { shopId: ids.outsiderShop, shopSkuCode: 'NOSY', offerId: ids.brokerOffer, retailPrice: cny(1) })],
    ['list a SKU of another in its own shop', () => attempt('POST', '/v1/listings', { shopId: ids.outsiderShop, shopSkuCode: 'NOSY', skuId: ids.sku, retailPrice: cny(1) })],
    ['read a listing', () => attempt('GET', `/v1/listings/${ids.listing}`)],
    ['change a listing', () => attempt('PATCH', `/v1/listings/${ids.listing}`, { retailPrice: cny(1), status: 'paused' })],
    ['delete a listing', () => attempt('DELETE', `/v1/listings/${ids.listing}`)],
    ['revoke an API key', () => attempt('POST', `/v1/api-keys/${ids.apiKey}/revoke`, {})],
  ];

  it.each(outsiderAttempts)('a competitor cannot %s: 404 and no data', async (_label, make) => {
    const { method, url, body } = make();
    const response = await api.request(method, url, { token: outsider.token, body });
    expectError(response, 404, /_not_found$/);
    // The request id is a random UUID: it may spell '9876' by chance, and it is not data of the victim.
    const text = JSON.stringify({ ...response.body, error: { ...response.body.error, requestId: undefined } });
    for (const word of SECRET_WORDS) expect(text).not.toContain(word);
  });

  /** Partners see each other's names through the partnership, but not each other's things. */
  const partnerAttempts: [string, () => [SignedUpMerchant, Attempt]][] = [
    ['the broker reads the factory’s product', () => [broker, attempt('GET', `/v1/products/${ids.product}`)]],
    ['the broker changes the factory’s SKU', () => [broker, attempt('PATCH', `/v1/skus/${ids.sku}`, { name: 'Broker brand' })]],
    ['the broker reads the factory’s warehouse', () => [broker, attempt('GET', `/v1/warehouses/${ids.warehouse}`)]],
    ['the broker sets the factory’s stock', () => [broker, attempt('PUT', '/v1/stock-levels', { warehouseId: ids.warehouse, skuId: ids.sku, onHand: 1 })]],
    ['the broker reprices the factory’s offer to it', () => [broker, attempt('PATCH', `/v1/offers/${ids.factoryOffer}`, { price: cny(1) })]],
    ['the broker withdraws the factory’s offer to it', () => [broker, attempt('POST', `/v1/offers/${ids.factoryOffer}/withdraw`, {})]],
    ['the distributor reads the broker’s offer as its seller (with its cost)', () => [distributor, attempt('GET', `/v1/offers/${ids.brokerOffer}`)]],
    ['the distributor reads the factory’s offer to the broker', () => [distributor, attempt('GET', `/v1/available-offers/${ids.factoryOffer}`)]],
    ['the distributor reads the factory–broker partnership', () => [distributor, attempt('GET', `/v1/partnerships/${ids.factoryToBroker}`)]],
    ['the distributor suspends the factory–broker partnership', () => [distributor, attempt('POST', `/v1/partnerships/${ids.factoryToBroker}/suspend`, {})]],
    ['the broker reads the distributor’s shop', () => [broker, attempt('GET', `/v1/shops/${ids.shop}`)]],
    ['the broker reads the distributor’s listing (with its retail price)', () => [broker, attempt('GET', `/v1/listings/${ids.listing}`)]],
    ['the factory reads the distributor’s listing (with its retail price)', () => [factory, attempt('GET', `/v1/listings/${ids.listing}`)]],
    ['the factory rotates the distributor’s shop secret', () => [factory, attempt('POST', `/v1/shops/${ids.shop}/rotate-secret`, {})]],
  ];

  it.each(partnerAttempts)('%s: 404 and no data', async (_label, make) => {
    const [actor, { method, url, body }] = make();
    const response = await api.request(method, url, { token: actor.token, body });
    expectError(response, 404, /_not_found$/);
    expect(JSON.stringify(response.body)).not.toContain('9876');
  });

  it('ids that are not ids, or too large for one, are 404 too, never 500', async () => {
    for (const id of ['abc', '-1', '1e3', '0x10', '99999999999999999999', '9223372036854775808', '%20']) {
      for (const path of ['partnerships', 'products', 'warehouses', 'offers', 'available-offers', 'shops', 'listings']) {
        expectError(await api.get(`/v1/${path}/${id}`, factory.token), 404, /_not_found$/);
      }
      expectError(await api.patch(`/v1/skus/${id}`, { name: 'x' }, factory.token), 404, /_not_found$/);
      expectError(await api.post(`/v1/api-keys/${id}/revoke`, {}, factory.token), 404, /_not_found$/);
    }
  });

  it('lists show each merchant only its own rows', async () => {
    const outsiderViews = await Promise.all(
      [
        '/v1/products',
        '/v1/warehouses',
        '/v1/stock-levels',
        '/v1/offers',
        '/v1/available-offers',
        '/v1/shops',
        '/v1/listings',
        '/v1/partnerships',
        '/v1/api-keys',
        '/v1/members',
        '/v1/stock-alerts',
        '/v1/webhook-subscriptions',
        '/v1/allocation-caps',
        '/v1/interception-requests',
        '/v1/quality/cancellation-rates',
      ].map((url) => api.get(url, outsider.token)),
    );
    for (const response of outsiderViews) {
      expectStatus(response, 200);
      // Every list answers one shape: a page of data and the cursor of the next.
      expect(Object.keys(response.body).sort()).toEqual(['data', 'nextCursor']);
      const text = JSON.stringify(response.body);
      for (const word of SECRET_WORDS) expect(text).not.toContain(word);
      for (const name of ['Ningbo Secret Factory', 'Quiet Broker', 'Hidden Shops', 'zhou@', 'Hidden RED store']) expect(text).not.toContain(name);
    }
  });

  it('after all those attempts nothing has changed, and the owners still have everything', async () => {
    expect(await snapshotDomain(database.url)).toEqual(before);

    expect((await api.get(`/v1/partnerships/${ids.factoryToBroker}`, factory.token)).body.status).toBe('active');
    expect((await api.get(`/v1/partnerships/${ids.pendingInvite}`, distributor.token)).body.status).toBe('invited');
    expect((await api.get(`/v1/products/${ids.product}`, factory.token)).body.skus).toEqual([expect.objectContaining({ code: 'SF-TEE-01', name: 'Secret formula tee M' })]);
    expect((await api.get(`/v1/stock-levels?warehouseId=${ids.warehouse}`, factory.token)).body.data).toEqual([expect.objectContaining({ onHand: 4321 })]);
    expect((await api.get(`/v1/offers/${ids.brokerOffer}`, broker.token)).body).toEqual(expect.objectContaining({ status: 'active', price: cny(8765), cost: cny(7654) }));
    expect((await api.get(`/v1/listings/${ids.listing}`, distributor.token)).body).toEqual(expect.objectContaining({ status: 'active', retailPrice: cny(9876) }));
    expect((await api.get(`/v1/shops/${ids.shop}`, distributor.token)).body.status).toBe('active');
    expectStatus(await api.get('/v1/products', factoryKey), 200);
  });
});
