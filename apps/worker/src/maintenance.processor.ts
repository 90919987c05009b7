import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { AppConfig, ORDER_SHEET_CUT_JOB, QueueName, SWEEP_JOB } from '@gongxiao/core';
import { OrderSheetCuts } from './order-sheet-cuts';
import { Retention } from './retention';
import { Sweeper } from './sweeper';
import { workerErrorWarning } from './worker-errors';

/** How often a worker checks that the sweep scheduler still exists. */
const SCHEDULER_CHECK_MS = 30_000;

/**
 * The maintenance queue: scheduled work that is not an outbox event (so it is not in the JobRegistry).
 * Every worker upserts the same job schedulers at start-up — one per environment whatever the number
 * of workers — and BullMQ makes one sweep job per interval, and one order-sheet cut per minute, which
 * one worker runs. A failed cut is kept (capped) as a failed job; the next minute's cut takes what it left.
 */
@Injectable()
@Processor(QueueName.Maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('maintenance');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly config: AppConfig,
    private readonly sweeper: Sweeper,
    private readonly retention: Retention,
    private readonly orderSheetCuts: OrderSheetCuts,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    // Redis may lose its keys (the outbox re-creates jobs, not schedulers): put the scheduler back when it is gone.
    this.timer = setInterval(() => void this.ensureScheduled(), SCHEDULER_CHECK_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async schedule(): Promise<void> {
    const opts = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };
    await this.queue.upsertJobScheduler(SWEEP_JOB, { every: this.config.SWEEP_INTERVAL_SECONDS * 1000 }, { name: SWEEP_JOB, opts });
    await this.queue.upsertJobScheduler(ORDER_SHEET_CUT_JOB, { every: this.config.ORDER_SHEET_CUT_INTERVAL_SECONDS * 1000 }, { name: ORDER_SHEET_CUT_JOB, opts });
  }

  private async ensureScheduled(): Promise<void> {
    try {
      const [sweep, cut] = await Promise.all([this.queue.getJobScheduler(SWEEP_JOB), this.queue.getJobScheduler(ORDER_SHEET_CUT_JOB)]);
      if (!sweep || !cut) await this.schedule();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not check the sweep scheduler');
    }
  }

  private readonly warnRedisError = workerErrorWarning(this.logger, QueueName.Maintenance);

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.warnRedisError(error);
  }

  /** A failed sweep is logged and kept (capped) as a failed job; the next interval's runs anyway. */
  async process(job: Job): Promise<void> {
    if (job.name === ORDER_SHEET_CUT_JOB) {
      await this.orderSheetCuts.run();
      return;
    }
    if (job.name !== SWEEP_JOB) throw new Error(`Unknown maintenance job ${job.name}`);
    try {
      await this.sweeper.sweep();
      await this.retention.prune();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'sweep failed; it runs again at the next interval');
      throw error;
    }
  }
}
