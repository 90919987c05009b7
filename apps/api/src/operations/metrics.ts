import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ALL_QUEUES, AppConfig, outboxLag } from '@gongxiao/core';
import { routingExceptionCounts } from '@gongxiao/orders';
import { failingWebhookDeliveryCounts } from '@gongxiao/webhooks';
import { operatorOnly } from './operator-auth';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Queue figures read from Redis at scrape time (the api sees every worker's queues, so the worker needs no listener). */
function queueGauges(registry: Registry, queues: Queue[]): void {
  new Gauge({
    name: 'gongxiao_queue_jobs',
    help: 'Jobs per BullMQ queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'gongxiao_queue_oldest_waiting_job_age_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      for (const queue of queues) {
        const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
        this.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      }
    },
  });
}

/** Outbox lag read from PostgreSQL at scrape time. */
function outboxGauges(registry: Registry, orm: MikroORM): void {
  let last: Promise<{ pending: number; oldestAgeSeconds: number }> | null = null;
  // Both gauges are collected in one scrape: read once.
  const read = () => (last ??= outboxLag(orm.em.fork() as EntityManager).finally(() => setTimeout(() => (last = null), 100)));
  new Gauge({
    name: 'gongxiao_outbox_pending_events',
    help: 'Outbox events neither processed nor failed',
    registers: [registry],
    async collect() {
      this.set((await read()).pending);
    },
  });
  new Gauge({
    name: 'gongxiao_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unprocessed outbox event',
    registers: [registry],
    async collect() {
      this.set((await read()).oldestAgeSeconds);
    },
  });
}

/**
 * Failures read from their owners' tables at scrape time: gauges of what is failing now, the same
 * whichever worker (or how many) did the work, and kept across restarts.
 */
function failureGauges(registry: Registry, orm: MikroORM): void {
  new Gauge({
    name: 'gongxiao_webhook_deliveries_failing',
    help: 'Webhook deliveries whose last attempt failed (retrying) or that were given up (failed, until retention prunes them)',
    labelNames: ['status', 'target_kind'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const status of ['retrying', 'failed']) for (const targetKind of ['warehouse_erp', 'shop_callback']) this.set({ status, target_kind: targetKind }, 0);
      for (const row of await failingWebhookDeliveryCounts(orm.em.fork() as EntityManager)) this.set({ status: row.status, target_kind: row.targetKind }, row.count);
    },
  });
  new Gauge({
    name: 'gongxiao_routing_exceptions',
    help: 'Shop orders held as routing exceptions now, by exception code',
    labelNames: ['code'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await routingExceptionCounts(orm.em.fork() as EntityManager)) this.set({ code: row.code }, row.count);
    },
  });
}

/**
 * Prometheus metrics at /metrics, behind OPERATOR_TOKEN (off when it is unset): HTTP latency by
 * method, route template (never the raw URL: bounded cardinality) and status; BullMQ depth and age
 * per queue; outbox lag; failing webhook deliveries and routing exceptions; the process's own default metrics. One registry per app (tests run several).
 */
export function installMetrics(app: NestFastifyApplication, config: AppConfig): void {
  if (!config.OPERATOR_TOKEN) return;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'gongxiao_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  queueGauges(
    registry,
    ALL_QUEUES.map((name) => app.get<Queue>(getQueueToken(name))),
  );
  outboxGauges(registry, app.get(MikroORM));
  failureGauges(registry, app.get(MikroORM));

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  fastify.get('/metrics', { onRequest: operatorOnly(config.OPERATOR_TOKEN) }, async (_request, reply) => {
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
