import { Agent, request as httpRequest } from 'node:http';
import { signWebhook } from '@gongxiao/core';

const pushAgent = new Agent({ keepAlive: true, maxSockets: 64 });

export class DemoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} failed with HTTP ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** A small JSON client for the demo: the same HTTP API a shop, an ERP or a person would use. */
export class DemoClient {
  constructor(readonly baseUrl: string) {}

  async call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; expect?: number[] } = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    const expected = options.expect ?? [200, 201, 202];
    if (!expected.includes(response.status)) throw new DemoHttpError(response.status, body, `${method} ${path}`);
    return body as T;
  }

  /** A signed order push, exactly as a shop platform would send it. */
  pushOrder(shopId: string, secret: string, order: unknown): Promise<{ status: number; body: any }> {
    return this.signedPost(`/v1/shops/${shopId}/orders`, secret, order);
  }

  /** A POST signed with a shop's webhook secret (order pushes, cancellations). */
  signedPost(path: string, secret: string, body: unknown): Promise<{ status: number; body: any }> {
    const rawBody = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return this.rawPost(path, { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signWebhook(secret, timestamp, rawBody) }, rawBody);
  }

  /** A POST of a body exactly as given, with its headers (a platform's own webhook delivery). */
  rawPost(path: string, headers: Record<string, string>, rawBody: string): Promise<{ status: number; body: any }> {
    // Shops push many orders: plain node:http over kept-alive connections, so that the load
    // generator (the demo, the benchmark) takes as little of the machine as it can.
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${this.baseUrl}${path}`, { method: 'POST', agent: pushAgent, headers: { ...headers, 'content-length': String(Buffer.byteLength(rawBody)) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
          } catch {
            reject(new DemoHttpError(response.statusCode ?? 0, text, `POST ${path}`));
          }
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(rawBody);
    });
  }

  /** A file in a multipart form (field "file") with the form's other fields, as the console uploads it. */
  async upload<T = any>(path: string, token: string, file: Buffer, fileName: string, fields: Record<string, string>): Promise<T> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file)]), fileName);
    const response = await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await response.text();
    if (response.status !== 202) throw new DemoHttpError(response.status, text, `POST ${path}`);
    return JSON.parse(text) as T;
  }

  async download(path: string, token: string): Promise<Buffer> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new DemoHttpError(response.status, await response.text(), `GET ${path}`);
    return Buffer.from(await response.arrayBuffer());
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inPool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}
