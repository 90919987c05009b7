import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { AppConfig, claimOutboxEventsForRelay, QueueName, recordOutboxJobIds, releaseOutboxClaims } from '@gongxiao/core';
import { JobRegistry } from './job-registry';
import { planRelayJobs, RelayJob } from './relay-grouping';

const BATCH = 500;
/** After a drain that found events, the relay waits this long before the next one. */
const GATHER_MS = 10;

/**
 * Turns committed outbox rows into BullMQ jobs. Woken at once by NOTIFY on commit, and polls as a
 * safety net. An event enqueued but not processed after OUTBOX_REDELIVER_SECONDS is enqueued again
 * under the same job id (a no-op while the job still exists; a new job after Redis lost it), so
 * Redis never holds the only copy of work. Several relays may run: rows are claimed with SKIP LOCKED.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');
  private readonly queues: Map<QueueName, Queue>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A NOTIFY arrived while the relay was busy: do not sleep before the next batch. */
  private notified = false;
  private listener: Client | null = null;
  /** Per coalescing type, when this relay last planned its run (see planRelayJobs). */
  private readonly lastCoalescedRuns = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    @InjectQueue(QueueName.Routing) routing: Queue,
    @InjectQueue(QueueName.Dispatch) dispatch: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    @InjectQueue(QueueName.Availability) availability: Queue,
    @InjectQueue(QueueName.AfterSales) afterSales: Queue,
    @InjectQueue(QueueName.Settlement) settlement: Queue,
    @InjectQueue(QueueName.Files) files: Queue,
  ) {
    this.queues = new Map([
      [QueueName.Routing, routing],
      [QueueName.Dispatch, dispatch],
      [QueueName.Webhooks, webhooks],
      [QueueName.Availability, availability],
      [QueueName.AfterSales, afterSales],
      [QueueName.Settlement, settlement],
      [QueueName.Files, files],
    ]);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Claims and enqueues one batch; returns how many events it enqueued. */
  async drainOnce(): Promise<number> {
    const em = this.orm.em.fork() as EntityManager;
    const events = await claimOutboxEventsForRelay(em, this.config.OUTBOX_REDELIVER_SECONDS, BATCH);
    if (events.length === 0) return 0;
    // The runs of this process tell how long a coalescing type takes (another worker's runs are not seen: its relay plans by its own).
    const plan = planRelayJobs(events, Date.now(), this.lastCoalescedRuns, this.registry.runStats());
    for (const event of plan.unknown) this.logger.error({ eventId: event.id, type: event.type }, 'outbox event of unknown type');
    await recordOutboxJobIds(em, plan.newGroupMembers);
    try {
      // A redelivered event's job that already finished (kept a while by BullMQ) would make the
      // re-add a no-op: such a job is removed first, so that the event runs again.
      for (const job of plan.jobs.filter((candidate) => plan.redeliveredJobIds.has(String(candidate.opts.jobId)))) {
        const existing = await this.queues.get(job.queue)!.getJob(String(job.opts.jobId));
        if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
      }
      const byQueue = new Map<QueueName, RelayJob[]>();
      for (const job of plan.jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
      await Promise.all([...byQueue].map(([queue, jobs]) => this.queues.get(queue)!.addBulk(jobs.map(({ name, data, opts }) => ({ name, data, opts })))));
    } catch (error) {
      // Redis is away: give the rows back so they are enqueued as soon as it returns.
      await releaseOutboxClaims(
        em,
        events.map((event) => event.id),
      );
      throw error;
    }
    return events.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.notified = false;
        const enqueued = await this.drainOnce();
        failures = 0;
        if (enqueued === BATCH) continue;
        // Under load, let the next events gather for a moment, so that grouped types (routing)
        // reach a job together; after a quiet spell the next event still leaves at once.
        if (enqueued > 0) await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) this.logger.warn({ err: (error as Error).message, failures }, 'outbox relay could not enqueue; retrying');
      }
      await this.sleep(failures > 0 ? Math.min(5000, 250 * failures) : this.config.OUTBOX_POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.notified = false;
        this.wake = null;
        resolve();
      };
      this.wake = done;
      timer = setTimeout(done, ms);
    });
  }

  /** LISTEN for commits of new outbox rows; reconnects after errors (polling covers the gap). */
  private async listen(): Promise<void> {
    while (this.running) {
      const client = new Client({ connectionString: this.config.DATABASE_URL });
      try {
        await client.connect();
        this.listener = client;
        client.on('notification', () => {
          this.notified = true;
          this.wake?.();
        });
        await client.query('listen gongxiao_outbox');
        await new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
      } catch {
        /* retried below */
      }
      await client.end().catch(() => undefined);
      if (this.running) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
