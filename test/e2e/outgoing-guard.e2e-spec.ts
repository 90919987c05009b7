import { MikroORM } from '@mikro-orm/core';
import dns from 'node:dns';
import diagnostics from 'node:diagnostics_channel';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { NewWebhookDelivery, WebhooksService } from '@gongxiao/webhooks';
import { expectError, expectStatus, signUp, SignedUpMerchant, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';
import { closedLoopbackUrl, eventually, WebhookSink } from '../support/webhook-sink';

/**
 * Outgoing calls never turn inward. A merchant cannot register an ERP endpoint, a shop callback or a
 * webhook subscription that points at loopback, private, link-local or metadata addresses, however
 * the address is spelled; and a delivery to a name that resolves to one is refused before any socket
 * connects. Nothing here sends traffic anywhere but loopback: registration is refused before a URL
 * is stored (no worker could call it), and names are resolved by a stub.
 */

/** Spelled so that WHATWG URL (what node:http parses with) reads them as blocked addresses. */
const BLOCKED_LITERALS = [
  'http://127.0.0.2:8080/erp',
  'http://0x7f000001:5432/',
  'http://[::1]:8080/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::ffff:127.0.0.2]/',
  'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.100.100.200/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://10.0.0.8:8080/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://[fe80::1]/',
  'http://0.0.0.0:8080/',
  'http://localhost:8080/',
  'http://user:secret@erp.example.com/',
  'https://erp.example.com:22/',
];
/** Spellings the URL format check refuses before the guard even looks (still a 400 naming the field). */
const MALFORMED_LITERALS = ['http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0/', 'http://127.0.0.1.:8080/', 'ftp://erp.example.com/'];

describe('outgoing calls: blocked destinations are refused at registration', () => {
  // The production default: nothing allowed.
  const { api, database } = useStage({ config: { OUTGOING_ALLOW_HOSTS: '' } });
  let supplier: SignedUpMerchant;
  let warehouseId: string;
  let shopId: string;

  const storedUrls = () =>
    withDatabase(database.url, async (client) => {
      const { rows } = await client.query<{ url: string }>(
        `select erp_webhook_url as url from warehouse where erp_webhook_url is not null
         union all select callback_url from shop where callback_url is not null
         union all select url from webhook_subscription`,
      );
      return rows.map((row) => row.url);
    });

  beforeAll(async () => {
    supplier = await signUp(api, 'Guarded Supplier', 'Gu Ard', `guard-${Date.now()}@example.com`);
    const warehouse = await api.post('/v1/warehouses', { code: 'GW-1', name: 'Guarded warehouse', province: '浙江省' }, supplier.token);
    expectStatus(warehouse, 201);
    warehouseId = warehouse.body.id;
    const shop = await api.post('/v1/shops', { platform: 'youzan', name: 'Guarded shop' }, supplier.token);
    expectStatus(shop, 201);
    shopId = shop.body.id;
  });

  it.each(BLOCKED_LITERALS)('refuses %s as an ERP endpoint, a shop callback and a subscription, storing nothing', async (url) => {
    const attempts = [
      {
        response: await api.post('/v1/warehouses', { code: `GW-${Date.now()}`, name: 'ERP', province: '浙江省', receiveMode: 'erp_webhook', erpWebhookUrl: url }, supplier.token),
        field: 'erpWebhookUrl',
      },
      { response: await api.patch(`/v1/warehouses/${warehouseId}`, { receiveMode: 'erp_webhook', erpWebhookUrl: url }, supplier.token), field: 'erpWebhookUrl' },
      { response: await api.post('/v1/shops', { platform: 'youzan', name: 'Callback shop', callbackUrl: url }, supplier.token), field: 'callbackUrl' },
      { response: await api.patch(`/v1/shops/${shopId}`, { callbackUrl: url }, supplier.token), field: 'callbackUrl' },
      { response: await api.post('/v1/webhook-subscriptions', { url, events: ['stock.low'] }, supplier.token), field: 'url' },
    ];
    for (const { response, field } of attempts) expectError(response, 400, /^(blocked_destination|validation_failed)$/, field);
    expect(await storedUrls()).toEqual([]);
  });

  it('answers blocked_destination for the spellings that are well-formed URLs', async () => {
    for (const url of BLOCKED_LITERALS) {
      expectError(await api.post('/v1/webhook-subscriptions', { url, events: ['stock.low'] }, supplier.token), 400, 'blocked_destination', 'url');
    }
  });

  it.each(MALFORMED_LITERALS)('refuses the odd spelling %s too', async (url) => {
    expectError(await api.post('/v1/webhook-subscriptions', { url, events: ['stock.low'] }, supplier.token), 400, /^(blocked_destination|validation_failed)$/, 'url');
    expectError(await api.patch(`/v1/shops/${shopId}`, { callbackUrl: url }, supplier.token), 400, /^(blocked_destination|validation_failed)$/, 'callbackUrl');
    expect(await storedUrls()).toEqual([]);
  });

  it('accepts a public name (checked again when the worker resolves it)', async () => {
    const subscription = await api.post('/v1/webhook-subscriptions', { url: 'https://erp.example.com/hooks', events: ['stock.low'] }, supplier.token);
    expectStatus(subscription, 201);
    expect(await storedUrls()).toEqual(['https://erp.example.com/hooks']);
  });
});

describe('outgoing calls: a delivery connects only to addresses it may reach', () => {
  // The stage allows 127.0.0.1 (its sinks) and nothing else.
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' } });
  const { api } = stage;
  /** Names the stub resolver knows; every other name resolves as usual. */
  const STUB_NAMES: Record<string, string> = { 'erp.blocked.test': '127.0.0.2', 'metadata.blocked.test': '169.254.169.254', 'sink.allowed.test': '127.0.0.1', 'erp.loopback.test': '127.0.0.1' };
  const connectionAttempts: string[] = [];
  const recordAttempts = ({ socket }: { socket: Socket }) => socket.on('connectionAttempt', (address: string, port: number) => connectionAttempts.push(`${address}:${port}`));
  let sink: WebhookSink;
  /** Listens on 127.0.0.2 (loopback, never allowed): nothing may reach it. */
  let trap: Server;
  let trapConnections = 0;
  let trapPort: number;
  let supplier: SignedUpMerchant;
  let warehouseId: string;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    trap = createServer((socket) => {
      trapConnections++;
      socket.destroy();
    });
    await new Promise<void>((done) => trap.listen(0, '127.0.0.2', done));
    trapPort = (trap.address() as AddressInfo).port;
    const realLookup = dns.lookup.bind(dns) as (...args: unknown[]) => void;
    jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
      const address = STUB_NAMES[hostname];
      if (!address) return realLookup(hostname, options, callback);
      const answer = { address, family: 4 };
      return (options as { all?: boolean }).all ? callback(null, [answer]) : callback(null, address, 4);
    }) as never);
    diagnostics.subscribe('net.client.socket', recordAttempts as never);
    supplier = await signUp(api, 'Delivering Supplier', 'De Liver', `deliver-${Date.now()}@example.com`);
    const warehouse = await api.post('/v1/warehouses', { code: 'DW-1', name: 'ERP warehouse', province: '江苏省', receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') }, supplier.token);
    expectStatus(warehouse, 201);
    warehouseId = warehouse.body.id;
  });

  afterAll(async () => {
    diagnostics.unsubscribe('net.client.socket', recordAttempts as never);
    jest.restoreAllMocks();
    await sink?.close();
    await new Promise((done) => trap?.close(done));
  });

  /** Subject ids are numeric (the list filters on them). */
  let subjectCounter = Date.now() * 100;
  const nextSubject = () => String(++subjectCounter);

  /** Schedules a delivery to `url` as if it had been stored before (the worker re-checks every URL). */
  const deliver = async (tag: string, url: string) => {
    const delivery: NewWebhookDelivery = {
      merchantId: supplier.merchantId,
      targetKind: 'warehouse_erp',
      targetId: warehouseId,
      eventType: 'fulfillment_order.created',
      subjectId: tag,
      dedupKey: `test:guard:${tag}`,
      url,
      data: { tag },
    };
    await stage.worker
      .get(MikroORM)
      .em.fork()
      .transactional((em) => stage.worker.get(WebhooksService).scheduleAll(em as never, [delivery]));
    const listed = await api.get(`/v1/webhook-deliveries?subjectId=${encodeURIComponent(tag)}`, supplier.token);
    expectStatus(listed, 200);
    return listed.body.data[0].id as string;
  };
  const settled = (id: string, statuses: string[]) =>
    eventually(
      async () => {
        const record = await api.get(`/v1/webhook-deliveries/${id}`, supplier.token);
        return statuses.includes(record.body.status) && record.body.attempts > 0 ? record.body : undefined;
      },
      20_000,
      `delivery ${id} ${statuses.join(' or ')}`,
    );

  it('refuses a name that resolves to a blocked address at once, without opening a connection', async () => {
    const tagged = [
      { tag: nextSubject(), url: `http://erp.blocked.test:${trapPort}/erp` },
      { tag: nextSubject(), url: `http://metadata.blocked.test:${trapPort}/latest/meta-data/` },
      { tag: nextSubject(), url: `http://127.0.0.2:${trapPort}/erp` },
      { tag: nextSubject(), url: `http://[::ffff:7f00:2]:${trapPort}/erp` },
    ];
    for (const { tag, url } of tagged) {
      const record = await settled(await deliver(tag, url), ['failed']);
      expect(record).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^blocked_destination\b/) });
      expect(record.lastError).not.toMatch(/127\.0\.0\.2|169\.254|resolves/);
    }
    expect(dns.lookup).toHaveBeenCalledWith('erp.blocked.test', expect.anything(), expect.any(Function));
    expect(dns.lookup).toHaveBeenCalledWith('metadata.blocked.test', expect.anything(), expect.any(Function));
    expect(connectionAttempts.filter((attempt) => attempt.startsWith('127.0.0.2:') || attempt.startsWith('169.254.') || attempt.includes('7f00:2'))).toEqual([]);
    expect(trapConnections).toBe(0);
  });

  it('still delivers to the allowed loopback sink, by address or by a name that resolves to it', async () => {
    const byAddress = await settled(await deliver(nextSubject(), sink.url('/erp-allowed')), ['delivered']);
    expect(byAddress).toMatchObject({ status: 'delivered', lastStatusCode: 200, lastError: null });
    const byName = await settled(await deliver(nextSubject(), sink.url('/erp-by-name').replace('127.0.0.1', 'sink.allowed.test')), ['delivered']);
    expect(byName).toMatchObject({ status: 'delivered', lastStatusCode: 200 });
    expect(sink.on('/erp-allowed')).toHaveLength(1);
    expect(sink.on('/erp-by-name')).toHaveLength(1);
    // The connection spy sees real connections (so its silence above means something).
    expect(connectionAttempts).toContain(`127.0.0.1:${new URL(sink.url('/')).port}`);
  });

  it('shows the merchant one generic message for a refused connection, and the status for an HTTP answer; redirects are not followed', async () => {
    const refused = await settled(await deliver(nextSubject(), await closedLoopbackUrl('/erp')), ['retrying', 'failed']);
    expect(refused).toMatchObject({ lastStatusCode: null, lastError: 'The endpoint could not be reached' });
    expect(JSON.stringify(refused)).not.toMatch(/ECONNREFUSED|connect /);

    sink.answerOn('/erp-500', 500);
    const answered = await settled(await deliver(nextSubject(), sink.url('/erp-500')), ['retrying', 'failed', 'delivered']);
    expect(answered).toMatchObject({ lastStatusCode: 500, lastError: 'The endpoint answered HTTP 500' });

    sink.answerOn('/erp-redirect', 302, 302, 302);
    const redirected = await settled(await deliver(nextSubject(), sink.url('/erp-redirect')), ['retrying', 'failed']);
    expect(redirected).toMatchObject({ lastStatusCode: 302, lastError: 'The endpoint answered HTTP 302' });
  });

  it('refuses even the loopback sink, by address or by a name resolving to 127.0.0.1, under the production default (nothing allowed)', async () => {
    await stage.stopWorker();
    await stage.startWorker({ OUTGOING_ALLOW_HOSTS: '' });
    const sinkPort = new URL(sink.url('/')).port;
    const before = connectionAttempts.length;
    for (const url of [sink.url('/erp-default'), sink.url('/erp-default').replace('127.0.0.1', 'erp.loopback.test')]) {
      const record = await settled(await deliver(nextSubject(), url), ['failed']);
      expect(record).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^blocked_destination\b/) });
    }
    expect(sink.on('/erp-default')).toEqual([]);
    expect(connectionAttempts.slice(before).filter((attempt) => attempt.endsWith(`:${sinkPort}`))).toEqual([]);
  });
});
