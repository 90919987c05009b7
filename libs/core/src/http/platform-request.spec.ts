import dns from 'node:dns';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OutgoingAllowList } from '../outgoing/allow-list';
import { PLATFORM_ANSWER_LIMIT, platformRequest } from './platform-request';
import { ENDPOINT_BLOCKED, ENDPOINT_UNREACHABLE } from './signed-post';

const loopback = OutgoingAllowList.parse('127.0.0.1');

describe('platformRequest', () => {
  let server: Server;
  let base: string;
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let answer: (url: string) => { status: number; body: string; delayMs?: number } = () => ({ status: 200, body: '{}' });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const { status, body, delayMs } = answer(request.url ?? '');
        setTimeout(() => response.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => seen.splice(0));
  afterEach(() => jest.restoreAllMocks());

  it('sends the method, path, query, headers and body as given and returns the answer text', async () => {
    answer = () => ({ status: 201, body: '{"id":2873491203477823746}' });
    const outcome = await platformRequest('PUT', `${base}/wp-json/wc/v3/orders/7?oauth_nonce=a%20b`, { 'content-type': 'application/json', 'x-token': 't' }, '{"status":"completed"}', 2000, loopback);
    expect(outcome).toEqual({ ok: true, statusCode: 201, body: '{"id":2873491203477823746}' });
    expect(seen).toEqual([expect.objectContaining({ method: 'PUT', url: '/wp-json/wc/v3/orders/7?oauth_nonce=a%20b', body: '{"status":"completed"}' })]);
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 't', 'content-length': '22' });
  });

  it('sends a GET without a body', async () => {
    answer = () => ({ status: 200, body: '[]' });
    expect(await platformRequest('GET', `${base}/x`, {}, undefined, 2000, loopback)).toEqual({ ok: true, statusCode: 200, body: '[]' });
    expect(seen[0]).toMatchObject({ method: 'GET', body: '' });
    expect(seen[0].headers['content-length']).toBeUndefined();
  });

  it('keeps a 4xx or 5xx answer with its status and the platform message', async () => {
    answer = () => ({ status: 422, body: '{"errors":{"line_items":["is invalid"]}}' });
    expect(await platformRequest('POST', `${base}/y`, {}, '{}', 2000, loopback)).toEqual({
      ok: false,
      statusCode: 422,
      error: 'The platform answered HTTP 422',
      body: '{"errors":{"line_items":["is invalid"]}}',
    });
  });

  it('cuts a huge answer at the limit', async () => {
    answer = () => ({ status: 200, body: 'x'.repeat(PLATFORM_ANSWER_LIMIT + 5000) });
    const outcome = await platformRequest('GET', `${base}/big`, {}, undefined, 5000, loopback);
    expect(outcome.ok && outcome.body.length).toBe(PLATFORM_ANSWER_LIMIT);
  });

  it('gives up on a platform that does not answer in time, with the generic text', async () => {
    answer = () => ({ status: 200, body: '{}', delayMs: 400 });
    const outcome = await platformRequest('GET', `${base}/slow`, {}, undefined, 100, loopback);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: ENDPOINT_UNREACHABLE });
  });

  it.each(['http://127.0.0.1:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/', 'http://10.0.0.1/admin/api/2025-07/fulfillments.json'])(
    'refuses %s without a lookup when loopback is not allowed',
    async (url) => {
      const lookup = jest.spyOn(dns, 'lookup');
      expect(await platformRequest('POST', url, {}, '{}', 1000, OutgoingAllowList.none)).toMatchObject({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, blocked: true });
      expect(lookup).not.toHaveBeenCalled();
    },
  );

  it('refuses a name that resolves to a blocked address', async () => {
    jest
      .spyOn(dns, 'lookup')
      .mockImplementation(((_hostname: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
        callback(null, [{ address: '169.254.169.254', family: 4 }])) as never);
    const outcome = await platformRequest('GET', 'http://shop.myshopify.test/admin', {}, undefined, 1000, OutgoingAllowList.none);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, blocked: true });
  });
});
