import { BullModule, getQueueToken } from '@nestjs/bullmq';
// Not exported by the package's index; pinned with @nestjs/bullmq (11.0.5). Its shutdown hook closes every @Processor worker.
import { BullExplorer } from '@nestjs/bullmq/dist/bull.explorer';
import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { throttledWarning } from '../logging/throttled-warning';
import { ALL_QUEUES } from './job-catalog';
import { createRedisClient, queuePrefix, redisClusterNodes, redisConnectionOptions } from './redis-client';

/** How long a shutdown waits for the workers to close before it closes the shared connection anyway. */
const WORKER_CLOSE_GRACE_MS = 15_000;

/**
 * On a Redis Cluster, the one Cluster connection every queue of the process shares (each worker
 * duplicates it for its blocking reads), closed once the queues are; on one server, null: BullMQ
 * opens its own connections from the options.
 */
@Injectable()
class QueueConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('queues');
  private readonly warnQueueError = throttledWarning(this.logger, 10_000);
  readonly cluster: Cluster | null;

  constructor(
    config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    this.cluster = redisClusterNodes(config) ? (createRedisClient(config, { maxRetriesPerRequest: null }) as Cluster) : null;
    // Without a listener an unreachable node would be an unhandled 'error' event; ioredis reconnects by itself.
    this.cluster?.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'Redis Cluster connection error'));
  }

  /**
   * A queue whose Redis is away emits an error per failed command (BullMQ prints each one when nobody
   * listens): one warning per queue error burst, at most every 10 s; ioredis reconnects by itself.
   */
  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).on('error', (error: Error) => this.warnQueueError({ queue: name, err: error.message }, 'queue cannot reach Redis; retrying'));
    }
  }

  /**
   * Workers first (they finish their running jobs on it), then the queues, then the connection. A
   * worker whose blocking read sat on a node that died may never finish closing: after
   * WORKER_CLOSE_GRACE_MS this goes on with the rest, but BullMQ's own shutdown hook still waits for
   * that worker, so such a process ends by the orchestrator's SIGKILL (its unfinished jobs are handed
   * out again by the stalled check and the outbox).
   */
  async onApplicationShutdown(): Promise<void> {
    if (!this.cluster) return;
    const explorer = this.moduleRef.get(BullExplorer, { strict: false, each: false });
    let grace: NodeJS.Timeout | undefined;
    const closed = await Promise.race([explorer.onApplicationShutdown().then(() => true), new Promise<false>((done) => (grace = setTimeout(() => done(false), WORKER_CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    if (!closed) this.logger.warn({ graceMs: WORKER_CLOSE_GRACE_MS }, 'workers did not close in time on the Redis Cluster; closing the connection under them');
    for (const name of ALL_QUEUES) await this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).close();
    this.cluster.disconnect();
  }
}

/** Provides the shared connection to each queue's options factory. */
@Module({ providers: [QueueConnection], exports: [QueueConnection] })
class QueueConnectionModule {}

/**
 * BullMQ on Redis: one queue per kind of work, with a prefix per environment (and per queue on a
 * Redis Cluster, so that each queue's keys share a hash slot: see `queuePrefix`).
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnectionOptions(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: {
          removeOnComplete: { age: 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
        },
      }),
    }),
    ...ALL_QUEUES.map((name) =>
      BullModule.registerQueueAsync({
        name,
        imports: [QueueConnectionModule],
        inject: [AppConfig, QueueConnection],
        useFactory: (config: AppConfig, connection: QueueConnection) => ({
          prefix: queuePrefix(config, name),
          ...(connection.cluster ? { connection: connection.cluster } : {}),
        }),
      }),
    ),
  ],
  exports: [BullModule],
})
export class QueuesModule {}
