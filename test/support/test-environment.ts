import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig, signWebhook } from '@gongxiao/core';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { databaseUrl, dropDatabase, templateDatabase, TEST_DATA_ENCRYPTION_KEYS, withAdminClient } from './database-admin';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A test database whose name is chosen now and which is created (and dropped) later, by a stage. */
export interface PlannedTestDatabase extends TestDatabase {
  /** Clones the migrated template into this database. */
  create(): Promise<void>;
}

/** Names a fresh database for one test file; `create()` clones it from the migrated template (real PostgreSQL). */
export function planTestDatabase(): PlannedTestDatabase {
  const base = process.env.DATABASE_URL!;
  const name = `gongxiao_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    url: databaseUrl(base, name),
    name,
    create: async () => {
      await withAdminClient(base, (client) => client.query(`create database "${name}" template "${templateDatabase()}"`));
    },
    drop: () => withAdminClient(base, (client) => dropDatabase(client, name)),
  };
}

/** A fresh database for one test file, cloned from the migrated template (real PostgreSQL). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const database = planTestDatabase();
  await database.create();
  return database;
}

/** The environment of a test's processes: its own database and its own BullMQ prefix on the real Redis. */
export function testEnvironment(database: TestDatabase, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `gxtest-${database.name}`,
    LOG_LEVEL: 'silent',
    // Two test files run at once, each with an api and a worker: stay well under max_connections.
    DATABASE_POOL_MAX: '8',
    // Every story's requests come from 127.0.0.1 and sign up many merchants: per-IP limits and the
    // OWASP hash cost are exercised by accounts.e2e-spec.ts, which sets them back.
    AUTH_THROTTLE_PER_IP: '100000',
    PUSH_FAILURES_PER_IP: '100000',
    PASSWORD_SCRYPT_LOG_N: '14',
    // The webhook sinks of the stories listen on 127.0.0.1: the only address outgoing calls may reach besides public ones.
    OUTGOING_ALLOW_HOSTS: '127.0.0.1',
    // The key global-setup migrated the template with (the in-process api reads process.env too).
    DATA_ENCRYPTION_KEYS: process.env.DATA_ENCRYPTION_KEYS ?? TEST_DATA_ENCRYPTION_KEYS,
    ...overrides,
  };
}

/** Configuration of a test: its own database and its own BullMQ prefix on the real Redis. */
export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnvironment(database, overrides));
}

export interface HttpResult<Body = any> {
  status: number;
  body: Body;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * The real HTTP application (fastify + every global pipe, guard and filter), driven in-process.
 * It may be made before it starts (a stage hands it out when the describe block is read, and
 * starts it in beforeAll); a request before `start()` fails with a clear message.
 */
export class TestApi {
  private application: NestFastifyApplication | undefined;

  constructor(readonly config: AppConfig) {}

  static async start(config: AppConfig): Promise<TestApi> {
    return new TestApi(config).start();
  }

  get app(): NestFastifyApplication {
    if (!this.application) throw new Error('The api is not started: a stage starts it in beforeAll (call useStage in the describe block, not inside a test)');
    return this.application;
  }

  get started(): boolean {
    return this.application !== undefined;
  }

  async start(): Promise<this> {
    if (this.application) throw new Error('The api is already started');
    process.env.LOG_LEVEL = 'silent';
    const app = await createApiApp(this.config, { logs: false });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
    } catch (error) {
      await app.close().catch(() => undefined);
      throw error;
    }
    this.application = app;
    return this;
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

  /** Stops the application; nothing happens when it is not running. */
  async close(): Promise<void> {
    const app = this.application;
    this.application = undefined;
    await app?.close();
  }
}

export { signWebhook };

/** The real worker (BullMQ processors + outbox relay) in this process, on the test's queues. */
export async function startWorker(config: AppConfig) {
  const { createWorker } = await import('../../apps/worker/src/bootstrap');
  return createWorker(config, { logs: false });
}
