import { sqlExec, sqlRows } from '../database/sql';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { sqlAffected } from '../database/sql';
import { OutboxEventPayloads, OutboxEventType, OutboxJobData } from '../queues/job-catalog';

export interface NewOutboxEvent<Type extends OutboxEventType = OutboxEventType> {
  type: Type;
  merchantId: string | null;
  aggregateId: string;
  payload: OutboxEventPayloads[Type];
}

/**
 * Writes domain events in the caller's transaction (transactional outbox). A statement trigger
 * NOTIFYs the relay on commit, which turns the rows into BullMQ jobs. Consumers mark the row
 * processed in the same transaction as their effect, so a lost job is re-enqueued and a
 * repeated job does nothing.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger('outbox');

  async append(em: EntityManager, events: NewOutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const values = events.map(() => '(?, ?, ?, ?::jsonb)').join(', ');
    const params = events.flatMap((event) => [event.type, event.merchantId, event.aggregateId, JSON.stringify(event.payload)]);
    await sqlExec(em, `insert into outbox_event (type, merchant_id, aggregate_id, payload) values ${values}`, params);
  }

  /** Marks the event done, in the consumer's transaction. False when it was already done. */
  async markProcessed(em: EntityManager, eventId: string): Promise<boolean> {
    return (await sqlAffected(em, 'update outbox_event set processed_at = now() where id = ? and processed_at is null', [eventId])) > 0;
  }

  /**
   * Coalescing: marks other pending events of one type processed, in the consumer's transaction,
   * and returns their payloads, so one job does the work of many (the others then find nothing to do).
   */
  async takePending<Type extends OutboxEventType>(
    em: EntityManager,
    type: Type,
    exceptEventId: string,
    limit = 1000,
    only?: { key: string; value: string },
  ): Promise<OutboxEventPayloads[Type][]> {
    return (await this.takePendingEvents(em, type, exceptEventId, limit, only)).map((event) => event.payload);
  }

  /**
   * Batching: this job's event and up to `limit - 1` other pending events of its type are handled
   * by one call of `work`, in one transaction (this job's payload first). When a batch of
   * several fails, the others are handed back to their own jobs and this job's event is tried
   * alone, so one event that cannot be handled never holds up the rest. Does nothing when this
   * job's event was already handled (by another job's batch).
   */
  async processBatch<Type extends OutboxEventType>(
    em: EntityManager,
    job: OutboxJobData<Type>,
    limit: number,
    work: (em: EntityManager, payloads: OutboxEventPayloads[Type][]) => Promise<void>,
  ): Promise<void> {
    // Under load most jobs find their event already handled by another job's batch: one read, no transaction.
    if ((await sqlRows(em, 'select 1 from outbox_event where id = ? and processed_at is null', [job.eventId])).length === 0) return;
    await em.transactional(async (tx) => {
      if (!(await this.markProcessed(tx, job.eventId))) return;
      const others = limit > 1 ? await this.takePendingEvents(tx, job.type, job.eventId, limit - 1) : [];
      if (others.length === 0) return work(tx, [job.payload]);
      await sqlExec(tx, 'savepoint outbox_batch');
      try {
        await work(tx, [job.payload, ...others.map((event) => event.payload)]);
        await sqlExec(tx, 'release savepoint outbox_batch');
      } catch (error) {
        this.logger.warn({ type: job.type, eventId: job.eventId, batch: others.length + 1, err: (error as Error).message }, 'batch failed; its events are handled one by one');
        await sqlExec(tx, 'rollback to savepoint outbox_batch');
        await sqlExec(tx, 'update outbox_event set processed_at = null where id = any(?::bigint[])', [others.map((event) => event.id)]);
        await work(tx, [job.payload]);
      }
    });
  }

  private async takePendingEvents<Type extends OutboxEventType>(
    em: EntityManager,
    type: Type,
    exceptEventId: string,
    limit: number,
    only?: { key: string; value: string },
  ): Promise<{ id: string; payload: OutboxEventPayloads[Type] }[]> {
    const rows = await sqlRows<{ id: string; payload: OutboxEventPayloads[Type] }>(
      em,
      `update outbox_event set processed_at = now()
        where id in (select id from outbox_event where type = ? and processed_at is null and failed_at is null and id <> ?
                        and (?::text is null or payload ->> ?::text = ?::text)
                      order by id limit ? for update skip locked)
        returning id::text, payload`,
      [type, exceptEventId, only?.key ?? null, only?.key ?? null, only?.value ?? null, limit],
    );
    return rows;
  }

  /** True when an event of this type for this aggregate is still waiting to be processed. */
  async hasPending(em: EntityManager, type: OutboxEventType, aggregateId: string): Promise<boolean> {
    const rows = await sqlRows(em, `select 1 from outbox_event where type = ? and aggregate_id = ? and processed_at is null and failed_at is null limit 1`, [type, aggregateId]);
    return rows.length > 0;
  }

  async markFailed(em: EntityManager, eventId: string, error: string): Promise<void> {
    await sqlExec(em, 'update outbox_event set failed_at = now(), last_error = ? where id = ? and processed_at is null', [error.slice(0, 2000), eventId]);
  }
}
