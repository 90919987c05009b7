import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OutgoingAllowList } from '@gongxiao/core';
import { PlatformShop, ShipmentCall } from '../platform-adapter';
import { forgetYouzanTokens, youzanOutbound } from './youzan.outbound';

type Answer = { status?: number; body: unknown };

/** Youzan on 127.0.0.1: tokens always issued; the API answers what each test queues (HTTP 200 by default, as Youzan does). */
describe('Youzan outbound', () => {
  let server: Server;
  let base: string;
  const answers: Answer[] = [];
  const seen: { url: string; body: string }[] = [];
  let tokens = 0;
  const context = { timeoutMs: 2000, allowList: OutgoingAllowList.parse('127.0.0.1') };
  const shop = (id = '1', clientSecret = 's') =>
    ({ id, merchantId: id, status: 'active', integration: 'youzan', shopRef: '44152698', credentials: { clientId: 'c', clientSecret, kdtId: '44152698', apiBaseUrl: base } }) as Extract<
      PlatformShop,
      { integration: 'youzan' }
    >;
  const parcel: ShipmentCall = {
    shipmentId: '9',
    externalOrderId: 'E20261201000000000000001',
    orderShipped: true,
    carrierCode: 'SF',
    trackingNumber: 'SF1234567890123',
    shippedAt: new Date().toISOString(),
    lines: [{ lineNo: 1, shopSkuCode: 'A', externalLineId: '2873491203477823746', quantity: 1 }],
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ url: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        const answer: Answer =
          request.url === '/auth/token'
            ? { body: { success: true, code: 200, data: { access_token: `t${++tokens}`, expires: Date.now() + 3600_000 } } }
            : (answers.shift() ?? { body: { success: true, code: 200, data: { is_success: true } } });
        response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    forgetYouzanTokens();
    seen.splice(0);
    answers.splice(0);
  });

  it('confirms with the oids as written and the express id, once Youzan says success', async () => {
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toEqual({ status: 'done', statusCode: 200 });
    expect(seen[1].url).toMatch(/^\/api\/youzan\.logistics\.online\.confirm\/3\.0\.0\?access_token=t\d+$/);
    expect(seen[1].body).toBe('{"tid":"E20261201000000000000001","oids":"2873491203477823746","out_stype":"7","out_sid":"SF1234567890123","is_no_express":0}');
  });

  it('takes an HTTP 200 carrying an error for the failure it is, with Youzan’s message', async () => {
    answers.push({ body: { success: false, code: 101300015, message: '订单状态不允许发货', data: null } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toEqual({ status: 'failed', retry: false, statusCode: 200, error: expect.stringContaining('订单状态不允许发货') });
    answers.push({ body: { success: true, code: 200, data: { is_success: false } } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toMatchObject({ status: 'failed', retry: false });
  });

  it('fetches a new token once when Youzan refuses the cached one', async () => {
    answers.push({ body: { gw_err_resp: { trace_id: 'x', err_msg: 'Token 不存在', err_code: 4203 } } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toEqual({ status: 'done', statusCode: 200 });
    expect(seen.map((request) => request.url.replace(/\?.*/, ''))).toEqual(['/auth/token', '/api/youzan.logistics.online.confirm/3.0.0', '/auth/token', '/api/youzan.logistics.online.confirm/3.0.0']);
    expect(tokens).toBeGreaterThanOrEqual(2);
  });

  it('retries on a 5xx, and refuses a carrier without a known Youzan id without calling', async () => {
    answers.push({ status: 502, body: { message: 'bad gateway' } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toMatchObject({ status: 'failed', retry: true, statusCode: 502 });
    seen.splice(0);
    expect(await youzanOutbound.tellShipment(shop(), { ...parcel, carrierCode: 'JTSD' }, context)).toMatchObject({ status: 'failed', retry: false, error: expect.stringContaining('JTSD') });
    expect(seen).toEqual([]);
  });

  it('never hands one shop’s token to another shop naming the same public client id and kdt_id', async () => {
    expect(await youzanOutbound.tellShipment(shop('1', 's'), parcel, context)).toEqual({ status: 'done', statusCode: 200 });
    const victimToken = seen[1].url.match(/access_token=(\w+)/)![1];
    // Another merchant's shop with the victim's clientId + kdtId and a guessed secret asks Youzan itself.
    await youzanOutbound.tellShipment(shop('2', 'guessed'), parcel, context);
    const tokenRequests = seen.filter((request) => request.url === '/auth/token');
    expect(tokenRequests).toHaveLength(2);
    expect(JSON.parse(tokenRequests[1].body)).toMatchObject({ client_id: 'c', client_secret: 'guessed', grant_id: '44152698' });
    expect(seen[3].url).not.toContain(`access_token=${victimToken}`);
    // The same shop with a changed secret gets a new token too; the unchanged shop keeps its own.
    await youzanOutbound.tellShipment(shop('1', 'rotated'), parcel, context);
    expect(seen.filter((request) => request.url === '/auth/token')).toHaveLength(3);
    await youzanOutbound.tellShipment(shop('1', 's'), parcel, context);
    expect(seen.filter((request) => request.url === '/auth/token')).toHaveLength(3);
    expect(seen.at(-1)!.url).toContain(`access_token=${victimToken}`);
  });

  it('takes a re-sent confirmation Youzan answers “already shipped” as done, not failed', async () => {
    answers.push({ body: { success: false, code: 102570038, message: '订单已发货，请勿重复发货', data: null } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toEqual({ status: 'done', statusCode: 200, note: expect.stringContaining('已发货') });
    // Other refusals stay failures.
    answers.push({ body: { success: false, code: 102570039, message: '退款中商品不支持发货', data: null } });
    expect(await youzanOutbound.tellShipment(shop(), parcel, context)).toMatchObject({ status: 'failed', retry: false });
  });
});
