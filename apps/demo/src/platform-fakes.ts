import { createServer, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { oauthSignature } from '@gongxiao/channels';

/** A request a fake platform received: method, path (without query), query, headers and body. */
export interface PlatformRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: any;
  status: number;
}

type Answer = { status: number; body: unknown };
type Route = (request: PlatformRequestRecord, url: URL) => Answer | undefined;

/**
 * A platform on 127.0.0.1 that records every request and answers as the platform's documentation
 * shows. `failNext(path, status, body)` makes the next request on a path (without query) answer so.
 */
export class FakePlatform {
  readonly received: PlatformRequestRecord[] = [];
  private readonly failures = new Map<string, Answer[]>();
  private readonly lostAnswers = new Map<string, Answer[]>();
  private failure: ((request: PlatformRequestRecord) => Answer | undefined) | null = null;
  private server!: Server;

  protected constructor(private readonly route: Route) {}

  protected static async listen<T extends FakePlatform>(fake: T): Promise<T> {
    fake.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => fake.answer(request.method ?? 'GET', request.url ?? '/', request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  failNext(path: string, status: number, body: unknown): void {
    this.failures.set(path, [...(this.failures.get(path) ?? []), { status, body }]);
  }

  /** The next request on a path is carried out, but its answer is lost: it answers `status` instead (a gateway timing out after the platform acted). */
  loseNextAnswer(path: string, status: number, body: unknown): void {
    this.lostAnswers.set(path, [...(this.lostAnswers.get(path) ?? []), { status, body }]);
  }

  /** Every request is first offered to `decide`: an answer it gives is sent instead of the platform's (null: none). */
  failWhen(decide: ((request: PlatformRequestRecord) => Answer | undefined) | null): void {
    this.failure = decide;
  }

  on(method: string, pathPattern: RegExp): PlatformRequestRecord[] {
    return this.received.filter((request) => request.method === method && pathPattern.test(request.path));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(method: string, rawUrl: string, headers: IncomingHttpHeaders, rawBody: string, response: ServerResponse): void {
    const url = new URL(rawUrl, 'http://127.0.0.1');
    let body: unknown = rawBody;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      /* kept as text */
    }
    const record: PlatformRequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, rawBody, body, status: 0 };
    const failed = this.failures.get(url.pathname)?.shift() ?? this.failure?.(record);
    const routed = failed ?? this.route(record, url) ?? { status: 404, body: { errors: 'Not Found' } };
    const answer = (failed ? undefined : this.lostAnswers.get(url.pathname)?.shift()) ?? routed;
    record.status = answer.status;
    this.received.push(record);
    response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  }
}

/** A fulfillment order line item the fake Shopify holds for an order. */
export interface FakeFulfillmentOrder {
  id: number;
  status: string;
  lineItems: { id: number; lineItemId: number; quantity: number; fulfillable: number }[];
}

/** A fulfillment as Shopify's REST Admin reference shows it (GET orders/{id}/fulfillments.json). */
export interface FakeFulfillment {
  id: number;
  order_id: number;
  status: string;
  tracking_company: string | null;
  tracking_number: string | null;
  tracking_numbers: string[];
  line_items: { id: number; quantity: number }[];
  created_at: string;
}

/** Shopify's REST Admin API: fulfillment orders and fulfillments of an order, creating fulfillments, inventory levels; X-Shopify-Access-Token checked. */
export class FakeShopify extends FakePlatform {
  readonly fulfillmentOrders = new Map<string, FakeFulfillmentOrder[]>();
  /** The fulfillments created, by order id. */
  readonly fulfillments = new Map<string, FakeFulfillment[]>();

  static start(accessToken: string, apiVersion = '2026-10'): Promise<FakeShopify> {
    const prefix = `/admin/api/${apiVersion}/`;
    const fake: FakeShopify = new FakeShopify((request) => {
      if (request.headers['x-shopify-access-token'] !== accessToken) return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
      const path = request.path.startsWith(prefix) ? request.path.slice(prefix.length) : '';
      const orderId = path.match(/^orders\/(\d+)\/fulfillment_orders\.json$/)?.[1];
      if (request.method === 'GET' && orderId) {
        const orders = fake.fulfillmentOrders.get(orderId) ?? [];
        return {
          status: 200,
          body: {
            fulfillment_orders: orders.map((order) => ({
              id: order.id,
              order_id: Number(orderId),
              status: order.status,
              request_status: 'unsubmitted',
              supported_actions: ['create_fulfillment'],
              line_items: order.lineItems.map((item) => ({
                id: item.id,
                fulfillment_order_id: order.id,
                line_item_id: item.lineItemId,
                quantity: item.quantity,
                fulfillable_quantity: item.fulfillable,
              })),
            })),
          },
        };
      }
      const fulfilledOrderId = path.match(/^orders\/(\d+)\/fulfillments\.json$/)?.[1];
      if (request.method === 'GET' && fulfilledOrderId) return { status: 200, body: { fulfillments: fake.fulfillments.get(fulfilledOrderId) ?? [] } };
      if (request.method === 'POST' && path === 'fulfillments.json') return fake.createFulfillment(request.body?.fulfillment);
      if (request.method === 'POST' && path === 'inventory_levels/set.json') {
        return { status: 200, body: { inventory_level: { ...request.body, updated_at: new Date().toISOString() } } };
      }
      return undefined;
    });
    return FakePlatform.listen(fake);
  }

  /** POST fulfillments.json: takes the units from the fulfillment order line items (422 past what is left) and keeps the fulfillment on its order. */
  private createFulfillment(fulfillment: any): { status: number; body: unknown } {
    const lineItems: { id: number; quantity: number }[] = [];
    let orderId = '0';
    for (const group of fulfillment?.line_items_by_fulfillment_order ?? []) {
      for (const [order, fulfillmentOrders] of this.fulfillmentOrders) {
        for (const fulfillmentOrder of fulfillmentOrders.filter((candidate) => candidate.id === group.fulfillment_order_id)) {
          orderId = order;
          for (const item of group.fulfillment_order_line_items) {
            const line = fulfillmentOrder.lineItems.find((candidate) => candidate.id === item.id);
            if (!line || line.fulfillable < item.quantity) return { status: 422, body: { errors: ['Invalid fulfillment order line item quantity requested.'] } };
            line.fulfillable -= item.quantity;
            lineItems.push({ id: line.lineItemId, quantity: item.quantity });
          }
        }
      }
    }
    const number = fulfillment?.tracking_info?.number ?? null;
    const created: FakeFulfillment = {
      id: 255858046 + [...this.fulfillments.values()].flat().length,
      order_id: Number(orderId),
      status: 'success',
      tracking_company: fulfillment?.tracking_info?.company ?? null,
      tracking_number: number,
      tracking_numbers: number ? [number] : [],
      line_items: lineItems,
      created_at: new Date().toISOString(),
    };
    this.fulfillments.set(orderId, [...(this.fulfillments.get(orderId) ?? []), created]);
    return { status: 201, body: { fulfillment: created } };
  }
}

/** The WooCommerce REST API (wc/v3) over plain HTTP: OAuth 1.0a one-legged signatures checked; orders and product batches. */
export class FakeWooCommerce extends FakePlatform {
  readonly orders = new Map<string, { id: number; status: string; meta_data: { id?: number; key: string; value: unknown }[] }>();

  static start(consumerKey: string, consumerSecret: string): Promise<FakeWooCommerce> {
    const fake: FakeWooCommerce = new FakeWooCommerce((request) => {
      const { oauth_signature: signature, ...parameters } = request.query;
      const expected = oauthSignature(request.method, `${fake.baseUrl}${request.path}`, parameters, consumerSecret);
      if (request.query.oauth_consumer_key !== consumerKey) return { status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } } };
      if (signature !== expected)
        return { status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } } };
      const path = request.path.replace(/^\/wp-json\/wc\/v3\//, '');
      const orderId = path.match(/^orders\/(\d+)$/)?.[1];
      if (orderId) {
        const order = fake.orders.get(orderId);
        if (!order) return { status: 404, body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } } };
        if (request.method === 'PUT') {
          if (request.body?.status) order.status = request.body.status;
          for (const entry of request.body?.meta_data ?? []) {
            const existing = order.meta_data.find((meta) => meta.key === entry.key);
            if (existing) existing.value = entry.value;
            else order.meta_data.push({ id: order.meta_data.length + 1000, key: entry.key, value: entry.value });
          }
        }
        return { status: 200, body: order };
      }
      if (request.method === 'POST' && /^products\/(\d+\/variations\/)?batch$/.test(path)) {
        return {
          status: 200,
          body: { update: (request.body?.update ?? []).map((item: { id: number; stock_quantity: number }) => ({ id: item.id, stock_quantity: item.stock_quantity, manage_stock: true })) },
        };
      }
      return undefined;
    });
    return FakePlatform.listen(fake);
  }
}

/** Youzan's open API: silent tokens, logistics confirmation and quantity updates; HTTP 200 with the outcome inside, as Youzan answers. */
export class FakeYouzan extends FakePlatform {
  tokensIssued = 0;

  static start(clientId: string, clientSecret: string, kdtId: string): Promise<FakeYouzan> {
    const fake: FakeYouzan = new FakeYouzan((request) => {
      if (request.method === 'POST' && request.path === '/auth/token') {
        const body = request.body ?? {};
        if (body.client_id !== clientId || body.client_secret !== clientSecret) return { status: 200, body: { success: false, code: 1103, data: null, message: 'Client 不存在' } };
        if (body.authorize_type !== 'silent' || String(body.grant_id) !== kdtId) return { status: 200, body: { success: false, code: 1100, data: null, message: '授权失败' } };
        fake.tokensIssued++;
        return { status: 200, body: { success: true, code: 200, message: null, data: { access_token: `token-${fake.tokensIssued}`, expires: Date.now() + 7 * 24 * 3600_000, scope: 'trade item' } } };
      }
      const api = request.path.match(/^\/api\/([a-z.]+)\/(\d+\.\d+\.\d+)$/);
      if (request.method !== 'POST' || !api) return { status: 200, body: { gw_err_resp: { trace_id: 'yz7-fake', err_msg: '非法请求地址', err_code: 4001 } } };
      if (!request.query.access_token) return { status: 200, body: { gw_err_resp: { trace_id: 'yz7-fake', err_msg: '非法的请求凭证', err_code: 4201 } } };
      if (!/^token-\d+$/.test(request.query.access_token)) return { status: 200, body: { gw_err_resp: { trace_id: 'yz7-fake', err_msg: 'Token 不存在', err_code: 4203 } } };
      if (api[1] === 'youzan.logistics.online.confirm' || api[1] === 'youzan.item.quantity.update')
        return { status: 200, body: { success: true, code: 200, data: { is_success: true }, message: 'successful' } };
      return { status: 200, body: { gw_err_resp: { trace_id: 'yz7-fake', err_msg: '非法的API', err_code: 4005 } } };
    });
    return FakePlatform.listen(fake);
  }
}
