import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorage } from '@nestjs/throttler';
import Redis, { Cluster } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { createRedisClient } from '../queues/redis-client';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttler's counters in Redis, shared by every api process, under `<QUEUE_PREFIX>:throttle:`
 * (so environments sharing a Redis, and parallel test files, never mix). While Redis is away the
 * limits are not enforced (logins must not all fail because Redis restarts): a warning a minute says so.
 */
export class ThrottleStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('throttle');
  private readonly redis: Redis | Cluster;
  private readonly storage: ThrottlerStorageRedisService;
  private lastWarning = 0;

  constructor(config: AppConfig) {
    this.redis = createRedisClient(config, {
      keyPrefix: `${config.QUEUE_PREFIX}:throttle:`,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 1000,
      lazyConnect: true,
    });
    this.redis.on('error', () => undefined);
    void this.redis.connect().catch(() => undefined);
    this.storage = this.redis instanceof Cluster ? new ThrottlerStorageRedisService(this.redis) : new ThrottlerStorageRedisService(this.redis);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.storage.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err: error }, 'Redis is unreachable: sign-up, login and push-failure limits are not enforced until it is back');
      }
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect(false);
  }
}
