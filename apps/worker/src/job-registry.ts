import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { OUTBOX_EVENT_TYPES, OutboxEventType, OutboxJobData, OutboxJobHandler } from '@gongxiao/core';

export const OUTBOX_JOB_HANDLERS = Symbol('OUTBOX_JOB_HANDLERS');

/** How a type's runs go in this process: the last one's duration, and how long one has been running (none in flight: undefined). */
export interface RunStats {
  lastMs?: number;
  runningForMs?: number;
}

/**
 * Every outbox event type has exactly one handler (checked at start-up). Each job runs in its own
 * forked entity manager — never the global one.
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<OutboxEventType, OutboxJobHandler>();
  /** Per type, how long its last run took and when each run in flight began (performance.now()). */
  private readonly runs = new Map<string, { lastMs?: number; starts: Set<number> }>();

  constructor(
    @Inject(OUTBOX_JOB_HANDLERS) handlers: OutboxJobHandler[],
    private readonly orm: MikroORM,
  ) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.eventType)) throw new Error(`Two handlers for outbox event ${handler.eventType}`);
      this.handlers.set(handler.eventType, handler);
    }
    const missing = OUTBOX_EVENT_TYPES.filter((type) => !this.handlers.has(type));
    if (missing.length > 0) throw new Error(`No handler for outbox event(s): ${missing.join(', ')}`);
  }

  async run(job: Job<OutboxJobData>): Promise<void> {
    const handler = this.handlers.get(job.data.type);
    if (!handler) throw new Error(`No handler for outbox event ${job.data.type}`);
    const runs = this.runs.get(job.data.type) ?? this.runs.set(job.data.type, { starts: new Set() }).get(job.data.type)!;
    const started = performance.now();
    runs.starts.add(started);
    try {
      await RequestContext.create(this.orm.em, () => handler.handle(job.data));
    } finally {
      runs.starts.delete(started);
      runs.lastMs = performance.now() - started;
    }
  }

  /** Per type, how long its last run in this process took and how long the oldest one in flight has been running (the relay's coalescing windows follow them). */
  runStats(): Map<string, RunStats> {
    const now = performance.now();
    return new Map([...this.runs].map(([type, { lastMs, starts }]) => [type, { lastMs, runningForMs: starts.size > 0 ? now - Math.min(...starts) : undefined }]));
  }
}
