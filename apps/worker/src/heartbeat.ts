import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppConfig, QueueName, workerHeartbeatKey } from '@gongxiao/core';

/**
 * Says "a worker is alive" in Redis every third of WORKER_HEARTBEAT_TTL_SECONDS (a key with that
 * TTL), so /health/ready can tell when no worker runs. The key is left to expire on shutdown: another
 * worker may still be beating.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('heartbeat');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), Math.max(200, (this.config.WORKER_HEARTBEAT_TTL_SECONDS * 1000) / 3));
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    try {
      const client = (await this.queue.getBackend().client) as unknown as Redis;
      await client.set(workerHeartbeatKey(this.config.QUEUE_PREFIX), new Date().toISOString(), 'PX', this.config.WORKER_HEARTBEAT_TTL_SECONDS * 1000);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not write the worker heartbeat');
    }
  }
}
