import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig, outboxLag, QueueName, workerHeartbeatKey } from '@gongxiao/core';

export interface CheckResult {
  status: 'up' | 'down';
  /** What the operator should do when it is down. */
  action?: string;
  [detail: string]: unknown;
}

export interface Readiness {
  status: 'ok' | 'error';
  /** The names of the checks that are down. */
  failed: string[];
  checks: Record<string, CheckResult>;
}

const TIMEOUT_MS = 2000;

/** Fails after TIMEOUT_MS, so a probe answers even when a dependency hangs. */
async function withTimeout<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What /health/ready checks: the database answers, Redis answers, the outbox is not far behind
 * (oldest unprocessed event younger than HEALTH_OUTBOX_LAG_SECONDS) and, unless
 * HEALTH_REQUIRE_WORKER=false, a worker beat within WORKER_HEARTBEAT_TTL_SECONDS.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {}

  async run(): Promise<Readiness> {
    const [database, redis] = await Promise.all([this.database(), this.redis()]);
    const checks: Record<string, CheckResult> = { database, redis };
    checks.outbox = database.status === 'up' ? await this.outbox() : { status: 'down', action: 'The outbox cannot be read while the database is down.' };
    if (this.config.HEALTH_REQUIRE_WORKER) {
      checks.worker = redis.status === 'up' ? await this.worker() : { status: 'down', action: 'Worker heartbeats cannot be read while Redis is down.' };
    }
    const failed = Object.keys(checks).filter((name) => checks[name].status === 'down');
    return { status: failed.length === 0 ? 'ok' : 'error', failed, checks };
  }

  private async database(): Promise<CheckResult> {
    try {
      await withTimeout('PostgreSQL', this.orm.em.fork().getConnection().execute('select 1'));
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: (error as Error).message, action: 'Check that PostgreSQL runs and DATABASE_URL points at it.' };
    }
  }

  private async redisClient(): Promise<Redis> {
    return (await this.queue.getBackend().client) as unknown as Redis;
  }

  private async redis(): Promise<CheckResult> {
    try {
      await withTimeout(
        'Redis',
        this.redisClient().then((client) => client.ping()),
      );
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: (error as Error).message, action: 'Check that Redis runs and REDIS_URL points at it.' };
    }
  }

  private async outbox(): Promise<CheckResult> {
    try {
      const lag = await withTimeout('PostgreSQL', outboxLag(this.orm.em.fork() as EntityManager));
      const thresholdSeconds = this.config.HEALTH_OUTBOX_LAG_SECONDS;
      const details = { pending: lag.pending, oldestAgeSeconds: Math.round(lag.oldestAgeSeconds), thresholdSeconds };
      if (lag.oldestAgeSeconds <= thresholdSeconds) return { status: 'up', ...details };
      return { status: 'down', ...details, action: 'Events wait too long to be processed: check that workers run and keep up (queue dashboard, worker logs); add workers.' };
    } catch (error) {
      return { status: 'down', message: (error as Error).message, action: 'The outbox could not be read: check PostgreSQL.' };
    }
  }

  private async worker(): Promise<CheckResult> {
    try {
      const client = await this.redisClient();
      const key = workerHeartbeatKey(this.config.QUEUE_PREFIX);
      const [lastBeat, ttl] = await withTimeout('Redis', Promise.all([client.get(key), client.pttl(key)]));
      if (lastBeat) return { status: 'up', lastBeat, expiresInMs: ttl };
      return {
        status: 'down',
        action: `No worker beat within ${this.config.WORKER_HEARTBEAT_TTL_SECONDS} s: start a worker (npm run start:worker) on this REDIS_URL and QUEUE_PREFIX, or set HEALTH_REQUIRE_WORKER=false.`,
      };
    } catch (error) {
      return { status: 'down', message: (error as Error).message, action: 'Worker heartbeats could not be read: check Redis.' };
    }
  }
}
