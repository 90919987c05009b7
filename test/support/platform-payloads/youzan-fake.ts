import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the fake Youzan open API received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/**
 * A loopback stand-in for the Youzan open API (open.youzanyun.com): POST /auth/token (silent
 * authorization) and POST /api/youzan.trade.get/4.0.0, answering as Youzan documents it, recording
 * every request. Trades are given as raw full_order_info JSON text, so ids above 2^53 stay exact.
 */
export class FakeYouzan {
  readonly requests: RecordedRequest[] = [];
  readonly trades = new Map<string, string>();
  readonly token = 'yz-token-5f3c2a';

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeYouzan> {
    const holder: { fake?: FakeYouzan } = {};
    const server = createServer((request, response) => void holder.fake!.answer(request).then(({ status, body }) => response.writeHead(status, { 'content-type': 'application/json' }).end(body)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeYouzan(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.fake;
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', this.url);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, body });
    if (url.pathname === '/auth/token') {
      return { status: 200, body: JSON.stringify({ success: true, code: 200, message: 'success', data: { expires: Date.now() + 7 * 86_400_000, scope: 'trade', access_token: this.token } }) };
    }
    if (url.pathname === '/api/youzan.trade.get/4.0.0') {
      if (url.searchParams.get('access_token') !== this.token) return { status: 200, body: JSON.stringify({ success: false, code: 4201, message: 'access_token 无效' }) };
      const tid = (JSON.parse(body) as { tid?: string }).tid ?? '';
      const trade = this.trades.get(tid);
      if (!trade) return { status: 200, body: JSON.stringify({ success: false, code: 101300001, message: '订单不存在' }) };
      return { status: 200, body: `{"trace_id":"yz7-0a1b","code":200,"success":true,"message":"successful","data":{"full_order_info":${trade},"refund_order":[],"delivery_order":[]}}` };
    }
    return { status: 404, body: JSON.stringify({ success: false, code: 404, message: 'not found' }) };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
