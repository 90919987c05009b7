import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { AppConfig, eventIdsOf, OutboxJobData, OutboxService, QueueName, RetryShortly } from '@gongxiao/core';
import { JobRegistry } from './job-registry';
import { workerErrorWarning } from './worker-errors';

/** One BullMQ worker per queue; every job is an outbox event handed to its handler. */
@Injectable()
abstract class OutboxEventProcessor extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);

  constructor(
    private readonly registry: JobRegistry,
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
    private readonly outbox: OutboxService,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job<OutboxJobData>, token?: string): Promise<void> {
    try {
      await this.registry.run(job);
    } catch (error) {
      if (!(error instanceof RetryShortly) || !token) throw error;
      // Waiting in line is not a failure: the job is delayed without spending an attempt.
      await job.moveToDelayed(Date.now() + error.afterMs, token);
      throw new DelayedError(error.message);
    }
  }

  private readonly warnRedisError = workerErrorWarning(this.logger, this.constructor.name);

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.warnRedisError(error);
  }

  /** When BullMQ gives up on a job, the outbox row says so (and the relay stops re-enqueueing it). */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<OutboxJobData> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn({ jobId: job.id, type: job.data.type, attempt: job.attemptsMade, final, err: error.message }, 'job failed');
    if (!final) return;
    try {
      await this.outbox.markFailed(this.orm.em.fork() as EntityManager, eventIdsOf(job.data), error.message);
    } catch (markError) {
      this.logger.error({ err: markError, eventId: job.data.eventId }, 'could not mark outbox event failed; the relay will retry it');
    }
  }
}

@Processor(QueueName.Routing)
export class RoutingProcessor extends OutboxEventProcessor {}

@Processor(QueueName.Dispatch)
export class DispatchProcessor extends OutboxEventProcessor {}

@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends OutboxEventProcessor {}

@Processor(QueueName.Availability)
export class AvailabilityProcessor extends OutboxEventProcessor {}

@Processor(QueueName.AfterSales)
export class AfterSalesProcessor extends OutboxEventProcessor {}

@Processor(QueueName.Settlement)
export class SettlementProcessor extends OutboxEventProcessor {}

/** Uploads are long and memory-hungry: two at a time per worker, whatever WORKER_CONCURRENCY says. */
@Processor(QueueName.Files)
export class FilesProcessor extends OutboxEventProcessor {
  override onApplicationBootstrap(): void {
    this.worker.concurrency = 2;
  }
}

/**
 * BullMQ worker options from the validated configuration, set on every processor before
 * @nestjs/bullmq creates its worker (decorator options are otherwise fixed at import time). The
 * lock and stalled-check settings decide how soon the jobs of a worker that died run again: the
 * outbox relay cannot re-enqueue them while BullMQ still holds them as active.
 */
export function configureProcessors(config: AppConfig): void {
  // maxStalledCount: a job whose worker died several times over is still retried, not failed.
  const options = { lockDuration: config.WORKER_LOCK_SECONDS * 1000, stalledInterval: config.WORKER_STALLED_CHECK_SECONDS * 1000, maxStalledCount: 10 };
  Processor(QueueName.Routing, options)(RoutingProcessor);
  Processor(QueueName.Dispatch, options)(DispatchProcessor);
  Processor(QueueName.Webhooks, options)(WebhooksProcessor);
  Processor(QueueName.Availability, options)(AvailabilityProcessor);
  Processor(QueueName.AfterSales, options)(AfterSalesProcessor);
  Processor(QueueName.Settlement, options)(SettlementProcessor);
  Processor(QueueName.Files, options)(FilesProcessor);
}
