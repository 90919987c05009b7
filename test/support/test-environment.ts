import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig, signWebhook } from '@gongxiao/core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { databaseUrl, dropDatabase, templateDatabase, withAdminClient } from './database-admin';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the migrated template (real PostgreSQL). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL!;
  const name = `gongxiao_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(base, (client) => client.query(`create database "${name}" template "${templateDatabase()}"`));
  return { url: databaseUrl(base, name), name, drop: () => withAdminClient(base, (client) => dropDatabase(client, name)) };
}

/** Configuration of a test: its own database and its own BullMQ prefix on the real Redis. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `gxtest-${database.name}`,
    LOG_LEVEL: 'silent',
    // Two test files run at once, each with an api and a worker: stay well under max_connections.
    DATABASE_POOL_MAX: '8',
    ...overrides,
  });
}

export interface HttpResult<Body = any> {
  status: number;
  body: Body;
  headers: Record<string, string | string[] | number | undefined>;
}

/** The real HTTP application (fastify + every global pipe, guard and filter), driven in-process. */
export class TestApi {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(config: AppConfig): Promise<TestApi> {
    process.env.LOG_LEVEL = 'silent';
    const app = await createApiApp(config, { logs: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApi(app);
  }

  async request<Body = any>(method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}): Promise<HttpResult<Body>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const response = await this.app.inject({ method: method as 'GET', url, headers, payload });
    let body: unknown = response.body;
    try {
      body = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.statusCode, body: body as Body, headers: response.headers };
  }

  get = <Body = any>(url: string, token?: string) => this.request<Body>('GET', url, { token });
  post = <Body = any>(url: string, body: unknown, token?: string, headers?: Record<string, string>) => this.request<Body>('POST', url, { token, body, headers });
  put = <Body = any>(url: string, body: unknown, token?: string) => this.request<Body>('PUT', url, { token, body });
  patch = <Body = any>(url: string, body: unknown, token?: string) => this.request<Body>('PATCH', url, { token, body });
  delete = <Body = any>(url: string, token?: string) => this.request<Body>('DELETE', url, { token });

  /** A push signed as a shop would sign it. */
  signedPost<Body = any>(url: string, body: unknown, secret: string, options: { timestamp?: number; signature?: string } = {}): Promise<HttpResult<Body>> {
    const rawBody = JSON.stringify(body);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    return this.request<Body>('POST', url, {
      rawBody,
      headers: {
        'content-type': 'application/json',
        'x-gongxiao-timestamp': timestamp,
        'x-gongxiao-signature': options.signature ?? signWebhook(secret, timestamp, rawBody),
      },
    });
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

export { signWebhook };

/** The real worker (BullMQ processors + outbox relay) in this process, on the test's queues. */
export async function startWorker(config: AppConfig) {
  const { createWorker } = await import('../../apps/worker/src/bootstrap');
  return createWorker(config, { logs: false });
}
