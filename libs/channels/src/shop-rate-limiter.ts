import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, RateLimitedError, redisConnectionOptions } from '@gongxiao/core';

/** How long a push waits for Redis to count it before it is let through uncounted. */
const COUNT_TIMEOUT_MS = 250;

/**
 * Signed pushes per shop and minute, counted in Redis (one fixed window per minute, shared by every
 * api process). Over the limit: 429 with the seconds to wait. When Redis cannot count in time the
 * push is let through: orders are written to PostgreSQL, and must not be refused because Redis is away.
 */
@Injectable()
export class ShopRateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('rate-limit');
  private client: Redis | undefined;
  private connecting: Promise<void> | undefined;

  constructor(private readonly config: AppConfig) {}

  /**
   * Its own connection, opened on first use (the worker never uses it), which fails at once while
   * Redis is away and gives up on a command after COUNT_TIMEOUT_MS instead of queueing it.
   */
  private connection(): Redis {
    if (!this.client) {
      this.client = new Redis({
        ...redisConnectionOptions(this.config.REDIS_URL),
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: COUNT_TIMEOUT_MS,
        keepAlive: 10_000,
        lazyConnect: true,
      });
      this.client.on('error', () => undefined);
      this.connecting = this.client.connect().catch(() => undefined);
    }
    return this.client;
  }

  /** At most one warning a minute, however many pushes go uncounted. */
  private lastWarning = 0;
  private warnUncounted(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ err: error }, 'shop rate limits not counted: Redis unavailable (pushes are let through)');
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }

  async take(shopId: string): Promise<void> {
    const limit = this.config.SHOP_RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return;
    const client = this.connection();
    // The first push waits (briefly) for the connection, so that counting starts with it.
    if (client.status !== 'ready') await Promise.race([this.connecting, new Promise((done) => setTimeout(done, COUNT_TIMEOUT_MS))]);
    const window = Math.floor(Date.now() / 60_000);
    const key = `${this.config.QUEUE_PREFIX}:ratelimit:shop:${shopId}:${window}`;
    let timer: NodeJS.Timeout | undefined;
    // Never rejects: a push is let through uncounted when Redis errs or is slower than the timeout.
    const counted = client
      .multi()
      .incr(key)
      .expire(key, 120)
      .exec()
      .then((result) => {
        const [error, value] = result?.[0] ?? [new Error('no reply')];
        if (error) throw error;
        return Number(value);
      })
      .catch((error: unknown) => {
        this.warnUncounted(error);
        return null;
      });
    const timeout = new Promise<null>((done) => (timer = setTimeout(() => done(null), COUNT_TIMEOUT_MS)));
    const count = await Promise.race([counted, timeout]).finally(() => clearTimeout(timer));
    if (count === null) return;
    if (count > limit) {
      const retryAfter = 60 - Math.floor((Date.now() % 60_000) / 1000);
      throw new RateLimitedError(
        'shop_rate_limited',
        `Shop ${shopId} sent more than ${limit} signed requests this minute. Retry in ${retryAfter} s; nothing of this request was stored.`,
        retryAfter,
        [{ field: 'shopId', reason: `at most ${limit} requests per minute` }],
      );
    }
  }
}
