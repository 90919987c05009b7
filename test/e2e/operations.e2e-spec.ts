import { getQueueToken } from '@nestjs/bullmq';
import { MikroORM } from '@mikro-orm/core';
import { Queue } from 'bullmq';
import { AppConfig, ORDER_SHEET_CUT_JOB, QueueName, SWEEP_JOB } from '@gongxiao/core';
import { Retention } from '../../apps/worker/src/retention';
import { expectStatus, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

const OPERATOR_TOKEN = 'operator-token-for-the-tests-0123456789';
const CONSOLE = 'https://console.example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

/**
 * An operator runs the service: probes tell a live process from a ready one, requests carry ids the
 * client sees, metrics and the queue dashboard answer only the operator, sweeps run once across
 * workers, and old rows are pruned.
 */
describe('operations', () => {
  const stage = useStage({
    worker: 'in-process',
    config: { OPERATOR_TOKEN, CORS_ORIGINS: `${CONSOLE}, https://other-console.example.com`, WORKER_HEARTBEAT_TTL_SECONDS: '2', SWEEP_INTERVAL_SECONDS: '1' },
  });
  const { api } = stage;
  const operator = { authorization: `Bearer ${OPERATOR_TOKEN}` };

  describe('request ids', () => {
    it('generates a UUID per request and echoes it in the x-request-id header', async () => {
      const first = await api.get('/health/live');
      const second = await api.get('/health/live');
      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('keeps a sane x-request-id from the caller and replaces a forged one', async () => {
      const kept = await api.request('GET', '/health/live', { headers: { 'x-request-id': 'trace-4f1c2a9b' } });
      expect(kept.headers['x-request-id']).toBe('trace-4f1c2a9b');
      const forged = await api.request('GET', '/health/live', { headers: { 'x-request-id': 'x\n{"level":60} fake log line' } });
      expect(forged.headers['x-request-id']).toMatch(UUID);
    });

    it('puts the request id in every error body', async () => {
      const unauthenticated = await api.request('GET', '/v1/warehouses', { headers: { 'x-request-id': 'trace-error-0001' } });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.body.error.requestId).toBe('trace-error-0001');
      const badJson = await api.request('POST', '/v1/auth/login', { rawBody: '{"email":', headers: { 'content-type': 'application/json' } });
      expect(badJson.status).toBe(400);
      expect(badJson.body.error.requestId).toBe(badJson.headers['x-request-id']);
      const notFound = await api.get('/v1/no-such-route');
      expect(notFound.body.error).toMatchObject({ code: 'route_not_found', requestId: notFound.headers['x-request-id'] });
    });
  });

  describe('health', () => {
    it('answers live without asking any dependency, and ready with every check up while a worker runs', async () => {
      expect(await api.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
      const ready = await eventually(async () => {
        const response = await api.get('/health/ready');
        return response.status === 200 && response;
      });
      expect(ready.body).toMatchObject({ status: 'ok', failed: [], checks: { database: { status: 'up' }, redis: { status: 'up' }, outbox: { status: 'up' }, worker: { status: 'up' } } });
      expect((await api.get('/health')).status).toBe(200);
    });
  });

  describe('metrics and the queue dashboard', () => {
    it('refuses /metrics without the operator token', async () => {
      expect((await api.get('/metrics')).status).toBe(401);
      expect((await api.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    });

    it('shows HTTP latency by route template, queue depth and outbox lag to the operator', async () => {
      await api.get('/v1/channel-orders/12345');
      const response = await api.request('GET', '/metrics', { headers: operator });
      expect(response.status).toBe(200);
      const text = String(response.body);
      expect(text).toContain('gongxiao_http_request_duration_seconds_bucket');
      expect(text).toMatch(/gongxiao_http_request_duration_seconds_count\{method="GET",route="\/v1\/channel-orders\/:channelOrderId",status="401"\} \d+/);
      expect(text).not.toContain('12345');
      for (const queue of Object.values(QueueName)) expect(text).toContain(`gongxiao_queue_jobs{queue="${queue}",state="waiting"}`);
      expect(text).toContain('gongxiao_queue_oldest_waiting_job_age_seconds{queue="routing"}');
      expect(text).toMatch(/gongxiao_outbox_pending_events \d+/);
      expect(text).toMatch(/gongxiao_outbox_oldest_pending_age_seconds [\d.]+/);
      expect(text).toContain('gongxiao_webhook_deliveries_failing{status="failed",target_kind="shop_callback"} 0');
      expect(text).toContain('# TYPE gongxiao_routing_exceptions gauge');
    });

    it('shows the queue dashboard with basic auth or the Bearer token only', async () => {
      const anonymous = await api.get('/admin/queues');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
      expect((await api.request('GET', '/admin/queues', { headers: { authorization: basic('wrong') } })).status).toBe(401);
      const page = await api.request('GET', '/admin/queues', { headers: { authorization: basic(OPERATOR_TOKEN) } });
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain('<html');
      const queues = await api.request('GET', '/admin/queues/api/queues', { headers: operator });
      expect(queues.status).toBe(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
    });
  });

  describe('security headers and CORS', () => {
    it('sends helmet’s headers', async () => {
      const response = await api.get('/health/live');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(String(response.headers['content-security-policy'])).toContain("default-src 'self'");
      // Every answer carries them, the refusals too: an unknown path, an unsigned push, a page of the console.
      for (const other of [await api.get('/v1/no-such-thing'), await api.post('/v1/shops/1/orders', {}), await api.get('/console/')]) {
        for (const header of ['x-content-type-options', 'strict-transport-security', 'x-frame-options', 'content-security-policy', 'referrer-policy']) {
          expect({ header, value: other.headers[header] }).toEqual({ header, value: response.headers[header] });
        }
      }
      expect(String(response.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    });

    it('lets an allowed origin call from a browser and refuses any other', async () => {
      const preflight = (origin: string) =>
        api.request('OPTIONS', '/v1/warehouses', { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
      const allowed = await preflight(CONSOLE);
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe(CONSOLE);
      expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
      const refused = await preflight('https://evil.example.com');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('renders the API documentation with and without the trailing slash, its scripts allowed by the CSP', async () => {
      for (const path of ['/docs', '/docs/']) {
        const page = await api.get(path);
        expect([path, page.status]).toEqual([path, 200]);
        const html = String(page.body);
        expect(html).toContain('swagger-ui');
        // Every script is a same-origin file (script-src 'self' allows no inline script), and each one loads.
        expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
        for (const [, src] of html.matchAll(/<script src="([^"]+)"/g)) {
          const url = new URL(src, `http://localhost${path}`);
          expect([url.pathname, (await api.get(url.pathname)).status]).toEqual([url.pathname, 200]);
        }
      }
    });
  });

  describe('sweeps and retention', () => {
    it('keeps one sweep scheduler however many workers run, and sweeps run', async () => {
      await stage.startWorker();
      const queue = api.app.get<Queue>(getQueueToken(QueueName.Maintenance));
      const schedulers = await queue.getJobSchedulers();
      // The sweep, and the order-sheet cutter (every minute).
      expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual([ORDER_SHEET_CUT_JOB, 'sweep']);
      expect(schedulers.find((scheduler) => scheduler.key === 'sweep')!.every).toBe(1000);
      const sweeps = async () => (await queue.getJobs(['completed'])).filter((job) => job.name === SWEEP_JOB);
      await eventually(async () => (await sweeps()).length >= 4, 15_000, 'four sweeps completed');
      // One job per interval across both workers: every sweep job has its own slot of the schedule, an interval
      // after the one before (a second scheduler would add jobs between them). Two sweeps may still run at once when one
      // outlasts its interval on a loaded machine; every step of a sweep is safe twice at once.
      // A scheduler's job is named after the instant it is due: `repeat:sweep:<millis>`.
      const slots = (await sweeps()).map((job) => Number(String(job.id).split(':').pop()));
      expect(new Set(slots).size).toBe(slots.length);
      const sorted = [...slots].sort((a, b) => a - b);
      expect(sorted.slice(1).filter((slot, index) => slot - sorted[index] < 900)).toEqual([]);
    });

    it('prunes rows past their retention age in batches, and keeps recent ones', async () => {
      // The workers' own sweeps (every second here) would prune first: stop them, and prune by hand.
      await stage.stopWorker();
      const merchant = await signUp(api, 'Retention Co', 'Wu', `retention-${Date.now()}@example.com`);
      await withDatabase(stage.database.url, async (client) => {
        const member = (await client.query<{ id: string }>(`select id::text from member where merchant_id = $1`, [merchant.merchantId])).rows[0].id;
        await client.query(`insert into outbox_event (type, aggregate_id, payload, created_at, processed_at)
          select 'test.old', 'a' || n, '{}', now() - interval '30 days', now() - interval '30 days' from generate_series(1, 7) n`);
        await client.query(`insert into outbox_event (type, aggregate_id, payload, created_at, processed_at, failed_at) values
          ('test.recent', 'r', '{}', now() - interval '1 day', now() - interval '1 day', null),
          ('test.failed', 'f', '{}', now() - interval '30 days', null, now() - interval '30 days')`);
        await client.query(
          `insert into idempotency_record (merchant_id, idempotency_key, request_hash, created_at) values
          ($1, 'old-1', 'h', now() - interval '3 days'), ($1, 'old-2', 'h', now() - interval '3 days'), ($1, 'recent', 'h', now() - interval '1 hour')`,
          [merchant.merchantId],
        );
        await client.query(
          `insert into webhook_delivery (merchant_id, target_kind, target_id, event_type, event_id, subject_id, dedup_key, url, payload, status, created_at)
           select $1, 'shop_callback', 1, 'test', gen_random_uuid(), 's', 'retention-' || n, 'http://127.0.0.1:9/x', '{}', s, c
             from (values (1, 'delivered', now() - interval '20 days'), (2, 'failed', now() - interval '20 days'), (3, 'retrying', now() - interval '20 days'),
                          (4, 'delivered', now() - interval '1 day')) v(n, s, c)`,
          [merchant.merchantId],
        );
        await client.query(
          `insert into stock_update_request (merchant_id, idempotency_key, request_hash, created_at) values
          ($1, 'stock-old-1', 'h', now() - interval '8 days'), ($1, 'stock-old-2', 'h', now() - interval '10 days'), ($1, 'stock-recent', 'h', now() - interval '6 days')`,
          [merchant.merchantId],
        );
        await client.query(
          `insert into member_session (member_id, merchant_id, token_hash, created_at, expires_at) values
          ($1, $2, 'old-session', now() - interval '30 days', now() - interval '20 days')`,
          [member, merchant.merchantId],
        );
      });

      // Batches of 3: the seven old outbox events take three statements.
      const retention = new Retention(api.app.get(MikroORM), Object.assign(new AppConfig(), stage.config, { RETENTION_BATCH_SIZE: 3 }));
      const counts = await retention.prune();
      expect(counts).toMatchObject({ outboxEvents: 7, webhookDeliveries: 2, sessions: 1, idempotencyRecords: 2, stockUpdateRequests: 2 });

      await withDatabase(stage.database.url, async (client) => {
        const left = async (sql: string, params: unknown[] = []) => (await client.query<{ n: string }>(sql, params)).rows[0].n;
        expect(await left(`select count(*)::text n from outbox_event where type like 'test.%'`)).toBe('2');
        expect(await left(`select count(*)::text n from idempotency_record where merchant_id = $1`, [merchant.merchantId])).toBe('1');
        expect(await left(`select string_agg(idempotency_key, ',') n from stock_update_request where merchant_id = $1`, [merchant.merchantId])).toBe('stock-recent');
        expect(await left(`select string_agg(status, ',' order by status) n from webhook_delivery where dedup_key like 'retention-%'`)).toBe('delivered,retrying');
        expect(await left(`select count(*)::text n from member_session where merchant_id = $1`, [merchant.merchantId])).toBe('1');
      });
      // The owner's login session (recent) still works.
      expectStatus(await api.get('/v1/warehouses', merchant.token), 200);
    });
  });

  describe('without a worker (stopped above)', () => {
    it('answers ready with 503 naming the worker check once no worker beats', async () => {
      const response = await eventually(
        async () => {
          const ready = await api.get('/health/ready');
          return ready.status === 503 && ready;
        },
        10_000,
        'ready to fail',
      );
      expect(response.body).toMatchObject({ status: 'error', failed: ['worker'], checks: { worker: { status: 'down', action: expect.stringContaining('start a worker') } } });
      expect((await api.get('/health/live')).status).toBe(200);
    });
  });
});

describe('operations without an operator token', () => {
  const { api } = useStage({ config: { HEALTH_REQUIRE_WORKER: 'false' } });

  it('serves neither metrics nor the queue dashboard, and is ready without a worker when told so', async () => {
    expect((await api.request('GET', '/metrics', { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).status).toBe(404);
    expect((await api.get('/admin/queues')).status).toBe(404);
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.worker).toBeUndefined();
  });

  it('sends no CORS header to any origin when CORS_ORIGINS is empty', async () => {
    const response = await api.request('OPTIONS', '/v1/warehouses', { headers: { origin: CONSOLE, 'access-control-request-method': 'GET' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('operations logs', () => {
  const stage = useStage({ api: 'process', config: { LOG_LEVEL: 'info' } });

  it('logs requests with their request id, and never a health probe', async () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/health/ready?verbose=1']) await fetch(`${stage.apiUrl}${path}`);
    const logged = await fetch(`${stage.apiUrl}/v1/warehouses`, { headers: { 'x-request-id': 'trace-logged-0042' } });
    expect(logged.status).toBe(401);
    expect(logged.headers.get('x-request-id')).toBe('trace-logged-0042');
    // Without a worker (none runs here), ready names the worker check.
    const ready = await fetch(`${stage.apiUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { failed: string[] }).failed).toEqual(['worker']);
    const logs = await eventually(async () => stage.apiProcess.logs.includes('trace-logged-0042') && stage.apiProcess.logs, 5000, 'the request logged');
    const lines = logs.split('\n').filter((line) => line.startsWith('{'));
    const requestLine = lines.find((line) => line.includes('trace-logged-0042'))!;
    expect(JSON.parse(requestLine)).toMatchObject({ req: { id: 'trace-logged-0042', url: '/v1/warehouses' } });
    expect(lines.filter((line) => line.includes('"url":"/health'))).toEqual([]);
  });
});
