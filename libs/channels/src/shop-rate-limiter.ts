import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';
import { AppConfig, createRedisClient, RateLimitedError } from '@gongxiao/core';

/** How often each api process adds its counts to the shared ones in Redis (and reads the others'). */
const FLUSH_MS = 100;
/** A shop that pushed within this long has its shared count kept fresh. */
const ACTIVE_MS = 5000;

interface ShopWindow {
  /** The minute this count is for. */
  window: number;
  /** This shop's requests in the window across every api process, as Redis last said. */
  shared: number;
  /** Requests this process took since its last report to Redis. */
  pending: number;
  /** When this process last took one (ms). */
  lastTaken: number;
}

/**
 * Signed pushes per shop and minute (one fixed window per minute, shared by every api process
 * through Redis). Over the limit: 429 with the seconds to wait. A push never waits for Redis: each
 * process counts locally and, while a shop is pushing, adds its counts to the shared ones every
 * FLUSH_MS and reads the others' back, so several processes together may let through a few more
 * than the limit (what the others took within one FLUSH_MS). While Redis is away each process still
 * enforces the limit on what it sees itself: orders must not be refused because Redis is away.
 */
@Injectable()
export class ShopRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('rate-limit');
  private client: Redis | Cluster | undefined;
  private readonly shops = new Map<string, ShopWindow>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Its own connection, opened on first use (the worker never uses it), failing at once while Redis is away. */
  private connection(): Redis | Cluster {
    if (!this.client) {
      this.client = createRedisClient(this.config, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: 1000,
        keepAlive: 10_000,
        lazyConnect: true,
      });
      this.client.on('error', () => undefined);
      void this.client.connect().catch(() => undefined);
    }
    return this.client;
  }

  /** At most one warning a minute, however many reports fail. */
  private lastWarning = 0;
  private warnUnshared(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err: error }, 'shop rate limits not shared: Redis unavailable (each api process counts on its own)');
  }

  onModuleDestroy(): void {
    this.closed = true;
    clearTimeout(this.flushTimer);
    this.client?.disconnect();
  }

  take(shopId: string): void {
    const limit = this.config.SHOP_RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return;
    const window = Math.floor(Date.now() / 60_000);
    let count = this.shops.get(shopId);
    if (!count || count.window !== window) {
      count = { window, shared: 0, pending: 0, lastTaken: 0 };
      this.shops.set(shopId, count);
    }
    if (count.shared + count.pending >= limit) {
      const retryAfter = 60 - Math.floor((Date.now() % 60_000) / 1000);
      throw new RateLimitedError('shop_rate_limited', `Shop ${shopId} sent more than ${limit} signed requests this minute. Retry in ${retryAfter} s; nothing of this request was stored.`, retryAfter, [
        { field: 'shopId', reason: `at most ${limit} requests per minute` },
      ]);
    }
    count.pending++;
    count.lastTaken = Date.now();
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    }, FLUSH_MS).unref();
  }

  /** Adds this process's counts to the shared ones and reads the totals back, in one round trip. */
  private async flush(): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / 60_000);
    const reports: { shopId: string; count: ShopWindow; amount: number }[] = [];
    for (const [shopId, count] of this.shops) {
      if (count.window !== window) this.shops.delete(shopId);
      else if (count.pending > 0 || now - count.lastTaken < ACTIVE_MS) reports.push({ shopId, count, amount: count.pending });
    }
    if (reports.length === 0) return;
    const client = this.connection();
    if (client.status !== 'ready') {
      // Still connecting, or away: counts stay local and are reported once it is ready.
      if (client.status === 'end') {
        // It gave up reconnecting: start a new connection.
        this.warnUnshared(new Error('Redis connection ended'));
        client.disconnect();
        this.client = undefined;
      }
      this.scheduleFlush();
      return;
    }
    const batch = client.multi();
    for (const report of reports) {
      // Beside the environment's queues, not among them (`<prefix>:*` is BullMQ's); one hash tag, so that
      // one MULTI may hold every shop's key on a Redis Cluster too.
      const key = `ratelimit:{${this.config.QUEUE_PREFIX}}:shop:${report.shopId}:${window}`;
      // Nothing new to add: only read the others' count (never creating the key).
      if (report.amount === 0) batch.get(key).get(key);
      else batch.incrby(key, report.amount).expire(key, 120);
    }
    try {
      const results = (await batch.exec()) ?? [];
      reports.forEach((report, index) => {
        const [error, total] = results[index * 2] ?? [new Error('no reply')];
        if (error) throw error;
        report.count.pending -= report.amount;
        report.count.shared = Number(total ?? 0);
      });
    } catch (error) {
      // Counts stay local until Redis is back; they are reported then (within their minute).
      this.warnUnshared(error);
    }
    this.scheduleFlush();
  }
}
