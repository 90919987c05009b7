import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { OUTBOX_EVENT_TYPES, OutboxEventType, OutboxJobData, OutboxJobHandler } from '@gongxiao/core';

export const OUTBOX_JOB_HANDLERS = Symbol('OUTBOX_JOB_HANDLERS');

/**
 * Every outbox event type has exactly one handler (checked at start-up). Each job runs in its own
 * forked entity manager — never the global one.
 */
@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<OutboxEventType, OutboxJobHandler>();

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
    await RequestContext.create(this.orm.em, () => handler.handle(job.data));
  }
}
