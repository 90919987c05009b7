import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TEST_DATA_ENCRYPTION_KEYS } from '../support/database-admin';
import { useStage } from '../support/stage';
import { signWebhook } from '../support/test-environment';
import { WorkerProcess } from '../support/worker-process';

/**
 * The api and the worker run as real processes logging at debug level while credentials and secrets
 * are created, used, rotated and mistyped; none of them appears in either log afterwards.
 */
describe('secrets never reach the logs', () => {
  // A data encryption key of this run only: every secret and contact written here is encrypted under it.
  const dataKey = randomBytes(32).toString('base64');
  const stage = useStage({
    api: 'process',
    worker: 'process',
    config: { LOG_LEVEL: 'debug', OUTBOX_POLL_MS: '50', DATABASE_POOL_MAX: '4', DATA_ENCRYPTION_KEYS: `${TEST_DATA_ENCRYPTION_KEYS},logs:${dataKey}`, DATA_ENCRYPTION_KEY_ID: 'logs' },
  });
  let api: WorkerProcess;
  let worker: WorkerProcess;
  let receiver: Server;
  let base: string;
  /** Signatures the worker put on what it sent (derived from secrets: never to be logged either). */
  const sentSignatures: string[] = [];

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      if (request.headers['x-gongxiao-signature']) sentSignatures.push(String(request.headers['x-gongxiao-signature']).replace(/^v1=/, ''));
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    api = stage.apiProcess;
    worker = stage.worker;
    base = stage.apiUrl;
  });

  afterAll(() => {
    receiver?.close();
  });

  it('logs requests, and never a password, token, API key, webhook secret or data encryption key', async () => {
    const password = 'Sup3r secret passphrase 42';
    const secrets: string[] = [password, 'Wrong passphrase typed 99', dataKey, TEST_DATA_ENCRYPTION_KEYS.split(':')[1], Buffer.from(dataKey, 'base64').toString('hex')];
    const factory = await call('POST', '/v1/auth/sign-up', { merchantName: 'Log Factory', ownerName: 'Li', email: 'li@logs.example', password });
    expect(factory.status).toBe(201);
    secrets.push(factory.body.token);
    const login = await call('POST', '/v1/auth/login', { email: 'li@logs.example', password });
    expect(login.status).toBe(200);
    secrets.push(login.body.token);
    expect((await call('POST', '/v1/auth/login', { email: 'li@logs.example', password: 'Wrong passphrase typed 99' })).status).toBe(401);
    const token = login.body.token as string;

    const key = await call('POST', '/v1/api-keys', { name: 'ERP', scopes: ['catalog:read'] }, bearer(token));
    secrets.push(key.body.key);
    expect((await call('GET', '/v1/warehouses', undefined, bearer(key.body.key))).status).toBe(200);
    const warehouse = await call(
      'POST',
      '/v1/warehouses',
      { code: 'ERP-1', name: 'ERP warehouse', province: '浙江省', receiveMode: 'erp_webhook', erpWebhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/erp` },
      bearer(token),
    );
    expect(warehouse.status).toBe(201);
    secrets.push(warehouse.body.erpWebhookSecret);
    const subscription = await call('POST', '/v1/webhook-subscriptions', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, events: ['stock.low'] }, bearer(token));
    secrets.push(subscription.body.secret);

    // An invite code is a credential too: a reseller joins with it, another merchant accepts it, someone mistypes it.
    const invite = await call('POST', '/v1/partner-invites', { maxUses: 5 }, bearer(token));
    expect(invite.status).toBe(201);
    secrets.push(invite.body.code);
    const joined = await call('POST', `/v1/partner-invites/${invite.body.code}/join`, { merchantName: 'Log Reseller', ownerName: 'Xu', email: 'xu@logs.example', password });
    expect(joined.status).toBe(201);
    secrets.push(joined.body.token);
    const other = await call('POST', '/v1/auth/sign-up', { merchantName: 'Log Shopkeeper', ownerName: 'He', email: 'he@logs.example', password });
    secrets.push(other.body.token);
    expect((await call('POST', `/v1/partner-invites/${invite.body.code.toLowerCase()}/accept`, undefined, bearer(other.body.token))).status).toBe(200);
    secrets.push(invite.body.code.toLowerCase());
    const mistyped = `${invite.body.code.slice(0, 19)}${invite.body.code.endsWith('A') ? 'B' : 'A'}`;
    expect((await call('POST', `/v1/partner-invites/${mistyped}/join`, { merchantName: 'Typo', ownerName: 'Ty', email: 'ty@logs.example', password })).status).toBe(404);
    secrets.push(mistyped);
    expect(api.logs).toContain('/v1/partner-invites/[redacted]/join');

    const shop = await call('POST', '/v1/shops', { platform: 'youzan', name: 'Log shop' }, bearer(token));
    secrets.push(shop.body.webhookSecret);
    const rotated = await call('POST', `/v1/shops/${shop.body.id}/rotate-secret`, undefined, bearer(token));
    secrets.push(rotated.body.webhookSecret);
    // The merchant sells its own SKU, shipped from the ERP warehouse: the worker signs a delivery to it.
    const product = await call('POST', '/v1/products', { name: 'Own goods', skus: [{ code: 'OWN-1', name: 'Own goods 1' }] }, bearer(token));
    expect((await call('PUT', '/v1/stock-levels', { warehouseId: warehouse.body.id, skuId: product.body.skus[0].id, onHand: 10 }, bearer(token))).status).toBe(200);
    expect(
      (await call('POST', '/v1/listings', { shopId: shop.body.id, shopSkuCode: 'OWN', skuId: product.body.skus[0].id, retailPrice: { amount: 990, currency: 'CNY' } }, bearer(token))).status,
    ).toBe(201);
    // A signed push (its signature is derived from the secret: it must not be logged either).
    const order = {
      externalOrderId: 'LOG-1',
      currency: 'CNY',
      consignee: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 1 号' },
      lines: [{ shopSkuCode: 'OWN', quantity: 1, unitPrice: 990 }],
    };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(rotated.body.webhookSecret, timestamp, JSON.stringify(order));
    secrets.push(signature.replace(/^v1=/, ''));
    const push = await call('POST', `/v1/shops/${shop.body.id}/orders`, order, { 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signature });
    expect(push.status).toBe(202);
    expect((await call('POST', '/v1/auth/logout', undefined, bearer(factory.body.token))).status).toBeLessThan(300);
    // People come and go: an owner-issued reset token, the new password set with it, a password changed.
    const staffPassword = 'Staff first passphrase 7';
    const staff = await call('POST', '/v1/members', { email: 'wu@logs.example', name: 'Wu', role: 'operator', password: staffPassword }, bearer(token));
    expect(staff.status).toBe(201);
    secrets.push(staffPassword);
    const reset = await call('POST', `/v1/members/${staff.body.id}/password-reset`, undefined, bearer(token));
    expect(reset.status).toBe(200);
    const resetPassword = 'Staff chosen passphrase 8';
    secrets.push(reset.body.token, resetPassword);
    expect((await call('POST', '/v1/auth/password-reset/confirm', { token: reset.body.token, newPassword: resetPassword })).status).toBe(204);
    expect((await call('POST', '/v1/auth/password-reset', { email: 'wu@logs.example' })).status).toBe(202);
    const staffLogin = await call('POST', '/v1/auth/login', { email: 'wu@logs.example', password: resetPassword });
    expect(staffLogin.status).toBe(200);
    secrets.push(staffLogin.body.token);
    const changedPassword = 'Staff changed passphrase 9';
    secrets.push(changedPassword);
    expect((await call('PUT', '/v1/members/me/password', { currentPassword: resetPassword, newPassword: changedPassword }, bearer(staffLogin.body.token))).status).toBe(200);
    // The worker routed the order and signed its delivery to the ERP.
    const deadline = Date.now() + 20_000;
    while (sentSignatures.length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    expect(sentSignatures.length).toBeGreaterThan(0);
    secrets.push(...sentSignatures);
    await new Promise((done) => setTimeout(done, 500));

    expect(secrets.every((secret) => typeof secret === 'string' && secret.length >= 16)).toBe(true);
    const logs = `${api.logs}\n${worker.logs}`;
    // The logs are real: requests and the worker's routing appear in them.
    expect(api.logs).toContain('/v1/auth/login');
    expect(api.logs).toContain(`/v1/shops/${shop.body.id}/orders`);
    for (const secret of secrets) expect([secret.slice(0, 6), logs.includes(secret)]).toEqual([secret.slice(0, 6), false]);
  });
});
