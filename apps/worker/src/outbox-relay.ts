import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { Client } from 'pg';
import { AppConfig, JOB_ROUTES, jobIdForEvent, OutboxEventType, OutboxJobData, QueueName, sqlExec, sqlRows } from '@gongxiao/core';

const BATCH = 500;
/** After a drain that found events, the relay waits this long before the next one. */
const GATHER_MS = 10;

interface ClaimedEvent {
  id: string;
  type: OutboxEventType;
  merchant_id: string | null;
  payload: Record<string, unknown>;
  /** The job of the group the event was handed to before (a single event's is `evt-<id>`). */
  job_id: string | null;
  /** Times enqueued, this time included. */
  enqueue_count: number;
}

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

  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Routing) routing: Queue,
    @InjectQueue(QueueName.Dispatch) dispatch: Queue,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    @InjectQueue(QueueName.Availability) availability: Queue,
    @InjectQueue(QueueName.AfterSales) afterSales: Queue,
  ) {
    this.queues = new Map([
      [QueueName.Routing, routing],
      [QueueName.Dispatch, dispatch],
      [QueueName.Webhooks, webhooks],
      [QueueName.Availability, availability],
      [QueueName.AfterSales, afterSales],
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
    const events = await sqlRows<ClaimedEvent>(
      em,
      `update outbox_event set enqueued_at = now(), enqueue_count = enqueue_count + 1
        where id in (
          select id from outbox_event
           where processed_at is null and failed_at is null
             and (enqueued_at is null or enqueued_at < now() - make_interval(secs => ?))
           order by id limit ? for update skip locked)
        returning id, type, merchant_id, payload, job_id, enqueue_count`,
      [this.config.OUTBOX_REDELIVER_SECONDS, BATCH],
    );
    if (events.length === 0) return 0;
    events.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    const byQueue = new Map<QueueName, { name: string; data: OutboxJobData; opts: JobsOptions }[]>();
    const groups: ClaimedEvent[][] = [];
    const open = new Map<OutboxEventType, ClaimedEvent[]>();
    const redelivered = new Map<string, ClaimedEvent[]>();
    for (const event of events) {
      const route = JOB_ROUTES[event.type];
      if (!route) {
        this.logger.error({ eventId: event.id, type: event.type }, 'outbox event of unknown type');
        continue;
      }
      // A redelivered event goes to the job it went to before (a no-op while that job still exists):
      // its group's, or its own.
      if (event.job_id || event.enqueue_count > 1) {
        event.job_id ??= jobIdForEvent(String(event.id));
        const again = redelivered.get(event.job_id);
        if (again) again.push(event);
        else groups.push(redelivered.set(event.job_id, [event]).get(event.job_id)!);
        continue;
      }
      // Types with a group go to one job per `group` events (in id order); others one job each.
      const current = open.get(event.type);
      if (route.group && current && current.length < route.group) {
        current.push(event);
        continue;
      }
      const group = [event];
      groups.push(group);
      if (route.group) open.set(event.type, group);
    }
    const jobIdOf = (group: ClaimedEvent[]) => group[0].job_id ?? jobIdForEvent(String(group[0].id), String(group[group.length - 1].id));
    for (const group of groups) {
      const [first] = group;
      const route = JOB_ROUTES[first.type];
      const releaseAt = typeof first.payload.releaseAt === 'string' ? Date.parse(first.payload.releaseAt) : NaN;
      const delay = Math.max(route.coalesceMs ?? 0, Number.isFinite(releaseAt) ? releaseAt - Date.now() : 0);
      const jobs = byQueue.get(route.queue) ?? [];
      jobs.push({
        name: first.type,
        data: {
          eventId: String(first.id),
          type: first.type,
          merchantId: first.merchant_id === null ? null : String(first.merchant_id),
          payload: first.payload as never,
          ...(group.length > 1 ? { more: group.slice(1).map((event) => ({ eventId: String(event.id), payload: event.payload as never })) } : {}),
        },
        opts: {
          jobId: jobIdOf(group),
          attempts: route.attempts,
          backoff: { type: 'exponential', delay: route.backoffMs },
          ...(delay > 0 ? { delay } : {}),
        },
      });
      byQueue.set(route.queue, jobs);
    }
    // Events of a new group remember their job before it exists: a redelivery goes to that job again.
    const first = groups.filter((group) => group.length > 1 && !group[0].job_id).flatMap((group) => group.map((event) => ({ id: event.id, jobId: jobIdOf(group) })));
    if (first.length > 0) {
      await sqlExec(em, `update outbox_event o set job_id = j.job_id from unnest(?::bigint[], ?::text[]) as j(id, job_id) where o.id = j.id`, [
        first.map((event) => event.id),
        first.map((event) => event.jobId),
      ]);
    }
    try {
      // A redelivered event's job that already finished (kept a while by BullMQ) would make the
      // re-add a no-op: such a job is removed first, so that the event runs again.
      for (const group of groups.filter((candidate) => redelivered.has(jobIdOf(candidate)))) {
        const queue = this.queues.get(JOB_ROUTES[group[0].type].queue)!;
        const job = await queue.getJob(jobIdOf(group));
        if (job && (await job.isCompleted() || await job.isFailed())) await job.remove();
      }
      await Promise.all([...byQueue].map(([queue, jobs]) => this.queues.get(queue)!.addBulk(jobs)));
    } catch (error) {
      // Redis is away: give the rows back so they are enqueued as soon as it returns.
      await sqlExec(em, `update outbox_event set enqueued_at = null where id = any(?::bigint[])`, [events.map((event) => event.id)]);
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
