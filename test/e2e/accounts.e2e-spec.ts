import { randomBytes, scryptSync } from 'node:crypto';
import { expectError, expectStatus, PASSWORD, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';
import { signWebhook, TestApi } from '../support/test-environment';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** A request as if from `ip` (the stage trusts X-Forwarded-For from loopback, like a proxy in front). */
const from = (api: TestApi, ip: string, url: string, body: unknown) => api.request('POST', url, { body, headers: { 'x-forwarded-for': ip } });

/**
 * Accounts an attacker cannot brute-force or enumerate: sign-up, login and password reset are
 * limited per email and per IP (429 with Retry-After), unsigned shop pushes per IP; an unknown email
 * costs what a known one does; common and short passwords are refused; old hashes are upgraded.
 */
describe('Accounts: throttled sign-up, login, password reset and push failures', () => {
  const { api } = useStage({
    worker: false,
    config: {
      TRUST_PROXY: 'loopback',
      AUTH_THROTTLE_WINDOW_SECONDS: '8',
      AUTH_THROTTLE_PER_EMAIL: '10',
      AUTH_THROTTLE_PER_IP: '30',
      PUSH_FAILURES_PER_IP: '5',
      PUSH_FAILURE_WINDOW_SECONDS: '4',
      PASSWORD_SCRYPT_LOG_N: '12',
    },
  });

  it('answers the 11th login attempt for one email inside the window with 429 and Retry-After, even with the right password, until the window passes', async () => {
    expectStatus(await from(api, '10.0.0.1', '/v1/auth/sign-up', { merchantName: 'Throttled', ownerName: 'Qin', email: 'qin@throttle.example', password: PASSWORD }), 201);
    for (let attempt = 1; attempt <= 10; attempt++) {
      // Each from another IP: the per-email limit holds however the attempts are spread.
      const wrong = await from(api, `10.1.0.${attempt}`, '/v1/auth/login', { email: 'QIN@throttle.example', password: `wrong passphrase ${attempt}` });
      expectError(wrong, 401, 'invalid_credentials');
    }
    const locked = await from(api, '10.1.0.99', '/v1/auth/login', { email: 'qin@throttle.example', password: PASSWORD });
    expectError(locked, 429, 'too_many_requests');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(8);
    await sleep(retryAfter * 1000 + 300);
    expectStatus(await from(api, '10.1.0.99', '/v1/auth/login', { email: 'qin@throttle.example', password: PASSWORD }), 200);
  }, 30_000);

  it('limits one IP across many emails, and other IPs are not affected', async () => {
    // Password-reset requests for unknown emails are cheap, so all 31 land inside the window even on a busy machine.
    for (let attempt = 1; attempt <= 30; attempt++) expect((await from(api, '10.2.0.1', '/v1/auth/password-reset', { email: `nobody-${attempt}@throttle.example` })).status).toBe(202);
    expectError(await from(api, '10.2.0.1', '/v1/auth/password-reset', { email: 'nobody-31@throttle.example' }), 429, 'too_many_requests');
    expect((await from(api, '10.2.0.2', '/v1/auth/password-reset', { email: 'nobody-31@throttle.example' })).status).toBe(202);
    // Limits are per route: the same IP may still log in.
    expectError(await from(api, '10.2.0.1', '/v1/auth/login', { email: 'nobody-31@throttle.example', password: 'whatever passphrase' }), 401, 'invalid_credentials');
  }, 30_000);

  it('throttles sign-up per email (a taken email is still named, behind the limit) and password reset requests, which always answer 202', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const again = await from(api, `10.3.0.${attempt}`, '/v1/auth/sign-up', { merchantName: 'Again', ownerName: 'Qin', email: 'qin@throttle.example', password: PASSWORD });
      expectError(again, 409, 'email_taken', 'email');
    }
    expectError(await from(api, '10.3.0.99', '/v1/auth/sign-up', { merchantName: 'Again', ownerName: 'Qin', email: 'qin@throttle.example', password: PASSWORD }), 429, 'too_many_requests');

    const known = await from(api, '10.4.0.1', '/v1/auth/password-reset', { email: 'qin@throttle.example' });
    const unknown = await from(api, '10.4.0.1', '/v1/auth/password-reset', { email: 'nobody@throttle.example' });
    expect([known.status, known.body]).toEqual([202, { accepted: true }]);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    for (let attempt = 2; attempt <= 10; attempt++) expect((await from(api, `10.4.0.${attempt}`, '/v1/auth/password-reset', { email: 'qin@throttle.example' })).status).toBe(202);
    expectError(await from(api, '10.4.0.99', '/v1/auth/password-reset', { email: 'qin@throttle.example' }), 429, 'too_many_requests');
  }, 30_000);

  it('throttles unsigned or badly signed shop pushes per IP, never correctly signed ones', async () => {
    const owner = await signUp(api, 'Push Shop Owner', 'Lu', 'lu@throttle.example');
    const shop = await api.post('/v1/shops', { platform: 'youzan', name: 'Throttled shop' }, owner.token);
    expectStatus(shop, 201);
    const url = `/v1/shops/${shop.body.id}/orders`;
    const push = (ip: string, signature?: string) => {
      const rawBody = JSON.stringify({ externalOrderId: 'T-1' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': ip, 'x-gongxiao-timestamp': timestamp };
      headers['x-gongxiao-signature'] = signature ?? signWebhook(shop.body.webhookSecret, timestamp, rawBody);
      return api.request('POST', url, { rawBody, headers });
    };
    for (let attempt = 1; attempt <= 6; attempt++) expect((await push('10.5.0.1', 'v1=00')).status).toBe(401);
    expectError(await push('10.5.0.1', 'v1=00'), 429, 'too_many_requests');
    expect(Number((await push('10.5.0.1')).headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another IP pushing correctly (here an invalid order, which is a 400, not a failure of the signature) goes on.
    for (let attempt = 1; attempt <= 10; attempt++) expect((await push('10.5.0.2')).status).toBe(400);
    await sleep(4300);
    expect((await push('10.5.0.1')).status).toBe(400);
  }, 30_000);
});

describe('Accounts: the same cost for unknown emails, passwords that are not common, hashes at OWASP cost', () => {
  const { api, database } = useStage({ worker: false, config: { PASSWORD_SCRYPT_LOG_N: '17' } });
  let merchantId: string;

  beforeAll(async () => {
    merchantId = (await signUp(api, 'Timing Factory', 'Zhao', 'zhao@timing.example')).merchantId;
  }, 30_000);

  it('stores the scrypt parameters in the hash, at N=2^17, r=8, p=1', async () => {
    const { rows } = await withDatabase(database.url, (client) => client.query(`select password_hash from member where email = 'zhao@timing.example'`));
    expect(rows[0].password_hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
  });

  it('spends about the same time on an unknown email as on a known one (a ratio of medians, not a timed assertion)', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      expectError(await api.post('/v1/auth/login', { email, password: 'not the right passphrase' }), 401, 'invalid_credentials');
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    for (let round = 0; round < 5; round++) {
      known.push(await time('zhao@timing.example'));
      unknown.push(await time(`ghost-${round}@timing.example`));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);

  it('refuses common, short and email-bearing passwords, naming the field', async () => {
    for (const password of ['1234567890', 'password123', 'qwertyuiop', 'woaini1314', '123456789a']) {
      expectError(await api.post('/v1/auth/sign-up', { merchantName: 'Weak', ownerName: 'Ma', email: 'ma@weak.example', password }), 400, 'password_too_common', 'password');
    }
    expectError(await api.post('/v1/auth/sign-up', { merchantName: 'Weak', ownerName: 'Ma', email: 'ma@weak.example', password: 'short1' }), 400, /validation_failed|password_too_short/, 'password');
    expectError(await api.post('/v1/auth/sign-up', { merchantName: 'Weak', ownerName: 'Ma', email: 'mayun@weak.example', password: 'mayun-secret-2026' }), 400, 'password_contains_email', 'password');
    const { rows } = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from member where email like '%@weak.example'`));
    expect(rows[0].n).toBe(0);
  });

  it('rehashes a low-cost legacy hash at the next successful login', async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('legacy passphrase 2019', salt, 32).toString('base64')}`;
    await withDatabase(database.url, (client) =>
      client.query(`insert into member (merchant_id, email, name, role, password_hash) values ($1, 'old@timing.example', 'Old', 'operator', $2)`, [merchantId, legacy]),
    );
    expectError(await api.post('/v1/auth/login', { email: 'old@timing.example', password: 'legacy passphrase 2018' }), 401, 'invalid_credentials');
    const stored = async () => (await withDatabase(database.url, (client) => client.query(`select password_hash from member where email = 'old@timing.example'`))).rows[0].password_hash as string;
    expect(await stored()).toBe(legacy);
    expectStatus(await api.post('/v1/auth/login', { email: 'old@timing.example', password: 'legacy passphrase 2019' }), 200);
    expect(await stored()).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
    expectStatus(await api.post('/v1/auth/login', { email: 'old@timing.example', password: 'legacy passphrase 2019' }), 200);
  }, 30_000);
});
