import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { PERMISSIONS } from '@gongxiao/core';
import { nextPeriod, periodOf, postEntries } from '@gongxiao/settlement';
import { expectStatus, signUp, SignedUpMerchant, snapshotDomain, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { AppRoute, enumerateRoutes, routerRoutes } from '../support/routes';
import { importFinished, uploadSheet, workbookOf } from '../support/sheet-uploads';
import { useStage } from '../support/stage';
import { HttpResult, signWebhook, TestApi, testConfig } from '../support/test-environment';
import { closedLoopbackUrl, eventually } from '../support/webhook-sink';

/** Routes anyone may call without a bearer credential. Adding a public route means adding it here. */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  'POST /v1/auth/login',
  'POST /v1/auth/sign-up',
  'POST /v1/auth/password-reset',
  'POST /v1/auth/password-reset/confirm',
  'POST /v1/partner-invites/:invite/join',
  'POST /v1/shops/:shopId/orders',
  'POST /v1/shops/:shopId/orders/:externalOrderId/cancel',
  'POST /v1/shops/:shopId/reviews',
  'POST /v1/shops/:shopId/webhooks/:integration',
];

/** Operator routes (metrics, queue dashboard) are served outside the controllers, behind OPERATOR_TOKEN. */
const OPERATOR_TOKEN = 'sweep-operator-token-0123456789';
const OPERATOR_ROUTE = /^[A-Z]+ \/(metrics|admin\/queues)(\/|$)/;
/** The web console's static files (no data: every screen asks the api with the member's token), and / redirecting to it. */
const CONSOLE_ROUTE = /^GET \/(console(\/|\*|$)|$)/;

/** Bodies no write route accepts: the answer is a 4xx, never a 500, and nothing is written. */
const MALFORMED_BODIES: { name: string; raw: string; contentType?: string }[] = [
  { name: 'an array', raw: '[]' },
  { name: 'an array of objects', raw: '[{"quantity":1}]' },
  { name: 'a string', raw: '"text"' },
  { name: 'a number', raw: '123' },
  { name: 'null', raw: 'null' },
  { name: 'truncated JSON', raw: '{"a":' },
  { name: 'an unknown field', raw: '{"zzz":1}' },
  { name: 'a NUL byte and an unknown field', raw: '{"reason":"a\\u0000b","zzz":1}' },
  { name: 'a prototype key', raw: '{"__proto__":{"admin":true},"zzz":1}' },
  { name: 'an enormous number', raw: '{"quantity":1e400,"zzz":1}' },
  { name: 'deep nesting', raw: `${'{"a":'.repeat(200)}1${'}'.repeat(200)}` },
  { name: 'a form body', raw: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'plain text', raw: '{}', contentType: 'text/plain' },
];

/**
 * Every route of the application, enumerated from its controllers, is called without credentials,
 * with a key whose scopes do not reach it, by a merchant it does not belong to, and with malformed
 * bodies: each answers 401/403/404 (or 400 for the bodies), never 500, never another merchant's data,
 * and writes nothing.
 */
describe('security sweep', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '1', OPERATOR_TOKEN } });
  let network: OrderNetwork;
  let outsider: SignedUpMerchant;
  let routes: AppRoute[];
  /** A real id for every route parameter (the network's, never the outsider's). */
  const ids: Record<string, string> = {};
  let externalOrderId: string;
  let apiKey: string;
  let inviteCode: string;

  const key = (route: AppRoute) => `${route.method} ${route.path}`;
  const urlOf = (route: AppRoute) => route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(ids[name] ?? '1'));
  const call = (route: AppRoute, options: { token?: string; raw?: string; contentType?: string } = {}): Promise<HttpResult> =>
    api.request(route.method, urlOf(route), {
      token: options.token,
      ...(options.raw !== undefined
        ? { rawBody: options.raw, headers: { 'content-type': options.contentType ?? 'application/json' } }
        : route.method === 'GET' || route.method === 'DELETE'
          ? {}
          : { body: {} }),
    });
  const settled = () => waitUntilSettled(database.url);

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 100 });
    outsider = await signUp(api, 'Nosy Competitor', 'Feng', `nosy-${Date.now()}@example.com`);
    routes = enumerateRoutes(api.app);

    // One of everything, so that every id-taking route has a real target.
    const order = shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    externalOrderId = order.externalOrderId;
    const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(receipt, 202);
    const routed = await eventually(
      async () => {
        const response = await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token);
        return response.body.status === 'routed' && response.body;
      },
      20_000,
      'the order routed',
    );
    const fo = (await api.get('/v1/fulfillment-orders', network.factory.token)).body.data[0];
    const shipment = await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF300000000001' }, network.factory.token);
    expectStatus(shipment, 201);
    const batch = await api.post(`/v1/warehouses/${fo.warehouseId}/order-sheet-batches`, {}, network.factory.token);
    expectStatus(batch, 201);
    const subscription = await api.post('/v1/webhook-subscriptions', { url: await closedLoopbackUrl('/hook'), events: ['return.updated'] }, network.factory.token);
    const opened = await api.post(`/v1/channel-orders/${routed.id}/returns`, { kind: 'return_and_refund', reason: 'sweep', lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expectStatus(opened, 201);
    expectStatus(await api.post(`/v1/channel-orders/${routed.id}/cancel`, { lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token), 200);
    const interception = (await api.get('/v1/interception-requests', network.factory.token)).body.data[0];
    const cap = await api.put('/v1/allocation-caps', { buyerMerchantId: network.broker.merchantId, fixed: 50 }, network.factory.token);
    const keyResponse = await api.post('/v1/api-keys', { name: 'catalog reader', scopes: ['catalog:read'] }, network.distributor.token);
    expectStatus(keyResponse, 201);
    apiKey = keyResponse.body.key;
    const listing = (await api.get('/v1/listings', network.distributor.token)).body.data[0];
    const partnership = (await api.get('/v1/partnerships', network.factory.token)).body.data[0];
    const invite = await api.post('/v1/partner-invites', { maxUses: 10 }, network.factory.token);
    expectStatus(invite, 201);
    inviteCode = invite.body.code;
    // A ledger entry of the factory's hop to the broker, as settlement posts it, opens their statement.
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    await em.transactional((tx) =>
      postEntries(tx, [
        {
          sourceKey: 'sweep:goods:1',
          kind: 'goods',
          direction: 'charge',
          sellerMerchantId: network.factory.merchantId,
          buyerMerchantId: network.broker.merchantId,
          currency: 'CNY',
          amount: 3000n,
          occurredAt: new Date(),
          externalOrderId,
          skuCode: 'TSHIRT-M',
          quantity: 1,
          unitPriceAmount: 3000n,
        },
      ]),
    );
    const statement = (await api.get('/v1/statements', network.factory.token)).body.data[0];
    const delivery = await eventually(async () => (await api.get('/v1/webhook-deliveries', network.factory.token)).body.data[0], 20_000, 'a webhook delivery');
    const member = await api.post('/v1/members', { email: `sweep-staff-${Date.now()}@example.com`, name: 'Sweep staff', role: 'warehouse', password: 'staff passphrase 2026' }, network.factory.token);
    expectStatus(member, 201);
    Object.assign(ids, {
      memberId: String(member.body.id),
      capId: cap.body?.id ?? '1',
      apiKeyId: keyResponse.body.id,
      offerId: network.offers.factoryTshirt,
      channelOrderId: String(routed.id),
      // A line of that order (correcting its customization: 404 for others, 409 for its own distributor, as it is routed).
      lineId: String(routed.lines[0].id),
      fulfillmentOrderId: String(fo.id),
      shipmentId: String(shipment.body.id),
      batchId: String(batch.body.id),
      interceptionId: String(interception.id),
      listingId: String(listing.id),
      partnershipId: String(partnership.id),
      // The id (revoke) or the code (join, accept). A code is a capability: whoever holds it may join, so the sweep's
      // callers hold a well-formed one never issued (and revoke, given no id, answers 404 too).
      invite: 'QQQQQQQQQQQQQQQQQQQQ',
      productId: (await api.get('/v1/products', network.factory.token)).body.data[0].id,
      returnId: String(opened.body.returns[0].id),
      shopId: network.shop.id,
      // A platform's route on the network's native shop: refused (integration_mismatch) for every caller.
      integration: 'shopify',
      externalOrderId,
      skuId: network.skus.tshirt,
      warehouseId: network.warehouses.zhejiang,
      deliveryId: String(delivery.id),
      subscriptionId: String(subscription.body.id),
      ruleId: String(
        (await api.post('/v1/quality/delisting-rules', { target: 'offers', metric: 'return_rate', thresholdPercent: 50, minOrders: 1000, windowDays: 30, action: 'warn_only' }, network.factory.token))
          .body.id,
      ),
      // Nothing fires here, so no delisting exists: every caller gets a 404 for this one.
      delistingId: '1',
      // No offer is made to order here, so no production run exists: every caller gets a 404 for this one.
      runId: '1',
      statementId: String(statement.id),
      // No statement is settled here, so no invoice request exists: every caller gets a 404 for this one.
      invoiceRequestId: '1',
      kind: 'tracking_backfill',
      // Next month has not begun: closing it is refused for anyone, so the sweep writes nothing.
      period: nextPeriod(periodOf(new Date(), 'Asia/Shanghai')).slice(0, 7),
    });
    await settled();
    const exported = await api.post(`/v1/statements/${statement.id}/exports`, { format: 'csv' }, network.factory.token);
    expectStatus(exported, 202);
    const orderSheetExport = await api.post('/v1/fulfillment-orders/exports', { status: 'shipped' }, network.factory.token);
    expectStatus(orderSheetExport, 202);
    const mapping = encodeURIComponent(JSON.stringify({ orderNumber: 'Order', amount: 'Amount' }));
    const reconciliation = await api.request('POST', `/v1/statements/${statement.id}/reconciliations?mapping=${mapping}`, {
      token: network.factory.token,
      rawBody: `Order,Amount\n${externalOrderId},1.00\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expectStatus(reconciliation, 201);
    Object.assign(ids, {
      statementId: statement.id,
      exportId: exported.body.id,
      orderSheetExportId: orderSheetExport.body.id,
      reconciliationId: reconciliation.body.id,
      importId: await rejectedBackfill(api, network.factory.token),
      counterpartyMerchantId: network.broker.merchantId,
    });
    await settled();
  }, 120_000);

  afterAll(async () => {});

  it('finds every route, and only the allow-listed ones are public', () => {
    expect(routes.length).toBeGreaterThan(80);
    // The controllers' routes are exactly what the server answers, apart from the API documentation.
    // and the operator routes (checked below) and CORS preflights (OPTIONS *, answered by @fastify/cors).
    const served = routerRoutes(api.app).filter((route) => !/^GET \/docs(\/|-|$)/.test(route) && !OPERATOR_ROUTE.test(route) && !CONSOLE_ROUTE.test(route) && route !== 'OPTIONS *');
    expect(served.sort()).toEqual(routes.map(key).sort());
    expect(
      routes
        .filter((route) => route.isPublic)
        .map(key)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
    // Every parameter of every route has a real id to aim at.
    expect([...new Set(routes.flatMap((route) => route.params))].filter((name) => !(name in ids))).toEqual([]);
  });

  it('answers 401 to every operator route without the operator token, even with a merchant’s', async () => {
    const operatorRoutes = routerRoutes(api.app).filter((route) => OPERATOR_ROUTE.test(route));
    expect(operatorRoutes).toEqual(expect.arrayContaining(['GET /metrics', 'GET /admin/queues']));
    for (const route of operatorRoutes) {
      const [method, path] = route.split(' ');
      // The dashboard's static files (a wildcard) are asked for by a name that exists.
      const url = path.replace(/:(\w+)/g, '1').replace(/\*$/, 'static/favicon-32x32.png');
      for (const token of [undefined, network.factory.token, 'not-the-operator-token']) {
        const response = await api.request(method, url, { token, ...(method === 'GET' ? {} : { body: {} }) });
        expect([route, response.status]).toEqual([route, 401]);
      }
    }
  });

  it('answers 401 to every other route without a credential, or with a bad one', async () => {
    for (const route of routes.filter((item) => !item.isPublic)) {
      for (const token of [undefined, 'not-a-token', 'gxk_0000000000000000000000000000']) {
        const response = await call(route, { token });
        expect([key(route), response.status, response.body?.error?.code]).toEqual([key(route), 401, 'unauthenticated']);
      }
    }
  });

  it('answers 403 when the key’s scopes do not reach the route', async () => {
    const scoped = routes.filter((route) => !route.isPublic && route.permissions.some((permission) => permission !== 'catalog:read'));
    expect(scoped.length).toBeGreaterThan(60);
    for (const route of scoped) {
      const response = await call(route, { token: apiKey });
      expect([key(route), response.status, response.body?.error?.code]).toEqual([key(route), 403, 'forbidden']);
    }
    // Every permission is required somewhere, so no scope is decorative.
    const used = new Set(routes.flatMap((route) => route.permissions));
    expect(PERMISSIONS.filter((permission) => !used.has(permission))).toEqual([]);
  });

  it('never lets a merchant outside the chain reach or change another merchant’s things', async () => {
    const before = await snapshotDomain(database.url);
    const secrets = [network.shop.secret, apiKey, inviteCode, 'Yiwu Sunrise Factory', 'TSHIRT-M', '张三', '13800138000', 'SF300000000001'];
    // A parameter that names no one's thing (the kind of an upload template) is the same for every merchant.
    const owned = (route: AppRoute) => route.params.some((name) => name !== 'kind');
    for (const route of routes.filter((item) => !item.isPublic && owned(item))) {
      const response = await call(route, { token: outsider.token });
      expect([key(route), [400, 403, 404].includes(response.status)]).toEqual([key(route), true]);
      const text = JSON.stringify(response.body);
      for (const secret of secrets) expect([key(route), text.includes(secret)]).toEqual([key(route), false]);
    }
    // Lists show the outsider nothing of the network.
    for (const route of routes.filter((item) => !item.isPublic && item.method === 'GET' && item.params.length === 0 && !item.path.endsWith('.xlsx'))) {
      const response = await call(route, { token: outsider.token });
      expect([key(route), response.status < 500]).toEqual([key(route), true]);
      const text = JSON.stringify(response.body);
      for (const secret of secrets) expect([key(route), text.includes(secret)]).toEqual([key(route), false]);
    }
    expect(await snapshotDomain(database.url)).toEqual(before);
  });

  it('answers malformed bodies on every write route with a 4xx, never a 500, and writes nothing', async () => {
    const tokenFor = (route: AppRoute) => (/channel-orders|listings|shops|returns/.test(route.path) ? network.distributor.token : network.factory.token);
    const writes = routes.filter((route) => route.takesBody);
    expect(writes.length).toBeGreaterThan(30);
    const before = await snapshotDomain(database.url);
    const failures: string[] = [];
    for (const route of writes) {
      for (const body of MALFORMED_BODIES) {
        const response = await call(route, { token: tokenFor(route), raw: body.raw, contentType: body.contentType });
        if (response.status < 400 || response.status >= 500) failures.push(`${key(route)} with ${body.name}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshotDomain(database.url)).toEqual(before);
  });

  describe('webhook ingress', () => {
    const pushUrl = () => `/v1/shops/${network.shop.id}/orders`;
    const orderCount = async () => (await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from channel_order`))).rows[0].n as number;

    it('refuses a bad signature, a stale timestamp, a body signed for other content, an oversized body and a wrong content type, storing nothing', async () => {
      const before = await orderCount();
      const order = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
      expect((await api.signedPost(pushUrl(), order, 'whsec_not_the_secret')).body.error.code).toBe('unauthenticated');
      const stale = await api.signedPost(pushUrl(), order, network.shop.secret, { timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect([stale.status, stale.body.error.code]).toEqual([401, 'timestamp_out_of_tolerance']);
      // A signature lifted from one request does not carry another body.
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signWebhook(network.shop.secret, timestamp, JSON.stringify(order));
      const tampered = await api.request('POST', pushUrl(), {
        rawBody: JSON.stringify({ ...order, externalOrderId: `${order.externalOrderId}-X` }),
        headers: { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signature },
      });
      expect(tampered.status).toBe(401);
      const huge = { ...order, remarks: 'x'.repeat(1_100_000) };
      expect((await api.signedPost(pushUrl(), huge, network.shop.secret)).status).toBe(413);
      const text = await api.request('POST', pushUrl(), {
        rawBody: 'externalOrderId=1',
        headers: { 'content-type': 'text/plain', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': 'v1=00' },
      });
      expect(text.status).toBe(415);
      expect(await orderCount()).toBe(before);
    });

    it('sees a shop disabled, enabled or given a new secret at once (its facts are kept a second for pushes)', async () => {
      const owner = network.distributor.token;
      const pushWith = (secret: string) => api.signedPost(pushUrl(), shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), secret);
      expect((await pushWith(network.shop.secret)).status).toBe(202);
      expectStatus(await api.patch(`/v1/shops/${network.shop.id}`, { status: 'disabled' }, owner), 200);
      const refused = await pushWith(network.shop.secret);
      expect([refused.status, refused.body.error.code]).toEqual([403, 'shop_disabled']);
      expectStatus(await api.patch(`/v1/shops/${network.shop.id}`, { status: 'active' }, owner), 200);
      expect((await pushWith(network.shop.secret)).status).toBe(202);
      const rotated = await api.post(`/v1/shops/${network.shop.id}/rotate-secret`, {}, owner);
      expectStatus(rotated, 200);
      expect((await pushWith(rotated.body.webhookSecret)).status).toBe(202);
      // The previous secret keeps working for a day, so pushes in flight still verify.
      expect((await pushWith(network.shop.secret)).status).toBe(202);
      expect((await pushWith('whsec_never_issued')).status).toBe(401);
    });

    it('answers a replayed request with the first answer and stores nothing more', async () => {
      const order = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const rawBody = JSON.stringify(order);
      const headers = { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signWebhook(network.shop.secret, timestamp, rawBody) };
      const first = await api.request('POST', pushUrl(), { rawBody, headers });
      expect(first.status).toBe(202);
      const before = await orderCount();
      const replays = await Promise.all([1, 2, 3].map(() => api.request('POST', pushUrl(), { rawBody, headers })));
      expect(replays.map((replay) => [replay.status, replay.body.id])).toEqual([1, 2, 3].map(() => [200, first.body.id]));
      expect(await orderCount()).toBe(before);
    });

    it('limits signed requests per shop and minute with 429 and Retry-After, other shops unaffected', async () => {
      const limited = await TestApi.start(testConfig(database, { SHOP_RATE_LIMIT_PER_MINUTE: '5', QUEUE_PREFIX: `gxtest-ratelimit-${Date.now()}` }));
      try {
        // Stay inside one minute's window.
        if (Date.now() % 60_000 > 55_000) await new Promise((done) => setTimeout(done, 60_000 - (Date.now() % 60_000) + 100));
        const push = (shop: { id: string; secret: string }) => limited.signedPost(`/v1/shops/${shop.id}/orders`, shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), shop.secret);
        const accepted = [];
        for (let index = 0; index < 5; index++) accepted.push((await push(network.shop)).status);
        expect(accepted).toEqual([202, 202, 202, 202, 202]);
        const before = await orderCount();
        const refused = await push(network.shop);
        expect([refused.status, refused.body.error.code]).toEqual([429, 'shop_rate_limited']);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(await orderCount()).toBe(before);
        // A flood without the secret does not spend a shop's allowance; the other shop still gets through.
        for (let index = 0; index < 10; index++) expect((await push({ id: network.shop2.id, secret: 'whsec_forged' })).status).toBe(401);
        expect((await push(network.shop2)).status).toBe(202);
      } finally {
        await limited.close();
      }
    });
  });

  it('shares each shop’s allowance between api processes (through Redis, within a tenth of a second)', async () => {
    const config = testConfig(database, { SHOP_RATE_LIMIT_PER_MINUTE: '6', QUEUE_PREFIX: `gxtest-ratelimit-shared-${Date.now()}` });
    const [one, two] = [await TestApi.start(config), await TestApi.start(config)];
    try {
      if (Date.now() % 60_000 > 55_000) await new Promise((done) => setTimeout(done, 60_000 - (Date.now() % 60_000) + 100));
      const push = (api: TestApi) => api.signedPost(`/v1/shops/${network.shop2.id}/orders`, shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), network.shop2.secret);
      const settle = () => new Promise((done) => setTimeout(done, 400));
      for (let index = 0; index < 3; index++) expect((await push(one)).status).toBe(202);
      await settle();
      for (let index = 0; index < 3; index++) expect((await push(two)).status).toBe(202);
      await settle();
      // Each process took 3 of the 6: the first has learned of the other's and refuses the 7th.
      const refused = await push(one);
      expect([refused.status, refused.body.error.code]).toEqual([429, 'shop_rate_limited']);
      expect((await push(two)).status).toBe(429);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('never shows a secret again after creating it', async () => {
    const shops = await api.get('/v1/shops', network.distributor.token);
    const shop = await api.get(`/v1/shops/${network.shop.id}`, network.distributor.token);
    const keys = await api.get('/v1/api-keys', network.distributor.token);
    for (const response of [shops, shop, keys]) {
      expectStatus(response, 200);
      expect(JSON.stringify(response.body)).not.toContain(network.shop.secret);
      expect(JSON.stringify(response.body)).not.toContain(apiKey);
    }
    const invites = await api.get('/v1/partner-invites', network.factory.token);
    expectStatus(invites, 200);
    expect(JSON.stringify(invites.body)).not.toContain(inviteCode);
    const warehouses = await api.get('/v1/warehouses', network.factory.token);
    expect(JSON.stringify(warehouses.body)).not.toMatch(/whsec_[A-Za-z0-9]{8,}/);
  });
});

/** An upload of the factory's (a tracking backfill of one row for an order that does not exist: rejected), finished, for the sweep to aim importId at. */
async function rejectedBackfill(api: TestApi, token: string): Promise<string> {
  const answer = await uploadSheet(
    api,
    token,
    'tracking_backfill',
    await workbookOf([
      ['发货单号', '快递公司', '快递单号'],
      ['999999999', 'SF', 'SF1234567890123'],
    ]),
  );
  expectStatus(answer, 202);
  await importFinished(api, token, answer.body.id);
  return answer.body.id as string;
}
