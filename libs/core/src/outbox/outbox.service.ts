import { sqlExec, sqlRows } from '../database/sql';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { sqlAffected } from '../database/sql';
import { eventIdsOf, OutboxEventPayloads, OutboxEventType, OutboxJobData } from '../queues/job-catalog';
import { outboxMarkProcessedSql } from './outbox-sql';

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
    // Four arrays, not four parameters an event: a recompute telling 20,000 shops stays one statement
    // (PostgreSQL takes at most 65,535 parameters a statement), and a short one to parse.
    await sqlExec(em, `insert into outbox_event (type, merchant_id, aggregate_id, payload) select * from unnest(?::text[], ?::bigint[], ?::text[], ?::jsonb[])`, [
      events.map((event) => event.type),
      events.map((event) => event.merchantId),
      events.map((event) => event.aggregateId),
      events.map((event) => JSON.stringify(event.payload)),
    ]);
  }

  /** Which of these events are still to be handled (neither processed nor failed). */
  async pendingEventIds(em: EntityManager, eventIds: string[]): Promise<Set<string>> {
    const rows = await sqlRows<{ id: string }>(em, `select id::text from outbox_event where id = any(?::bigint[]) and processed_at is null and failed_at is null`, [eventIds]);
    return new Set(rows.map((row) => row.id));
  }

  /** Marks these events done (those not done already), in the caller's transaction or on their own. */
  async markAllProcessed(em: EntityManager, eventIds: string[]): Promise<void> {
    if (eventIds.length > 0) await sqlExec(em, outboxMarkProcessedSql('?::bigint[]'), [eventIds]);
  }

  /** Marks the event done, in the consumer's transaction. False when it was already done. */
  async markProcessed(em: EntityManager, eventId: string): Promise<boolean> {
    return (await sqlAffected(em, 'update outbox_event set processed_at = now() where id = ? and processed_at is null', [eventId])) > 0;
  }

  /**
   * Coalescing: marks other pending events of one type processed, in the consumer's transaction,
   * and returns their payloads, so one job does the work of many (the others then find nothing to do).
   */
  async takePending<Type extends OutboxEventType>(em: EntityManager, type: Type, exceptEventId: string, limit = 1000, only?: { key: string; value: string }): Promise<OutboxEventPayloads[Type][]> {
    return (await this.takePendingEvents(em, type, limit, only, exceptEventId)).map((event) => event.payload);
  }

  /**
   * Batching: this job's events (one, or the group the relay handed it) and other pending events of
   * their type, up to `limit`, are handled by one call of `work` in one transaction (this job's
   * first). When that fails, everything it did is undone (the other events are left to their own
   * jobs) and this job's events are handled one at a time, each in a transaction of its own; the
   * job then fails (to be retried) for those that still fail, and later batches leave them out, so
   * one bad event never holds up the rest. An event whose work throws `UnrecoverableError` fails for
   * good alone: the job goes on, and fails only for the events a retry may still carry through. Does nothing when every event of the job was already
   * handled (by another batch).
   */
  async processBatch<Type extends OutboxEventType>(
    em: EntityManager,
    job: OutboxJobData<Type>,
    limit: number,
    work: (em: EntityManager, payloads: OutboxEventPayloads[Type][]) => Promise<void>,
  ): Promise<void> {
    const ownIds = eventIdsOf(job);
    // Under load most jobs find their events already handled by another job's batch: one read, no transaction.
    if ((await sqlRows(em, 'select 1 from outbox_event where id = any(?::bigint[]) and processed_at is null limit 1', [ownIds])).length === 0) return;
    let taken = 0;
    try {
      await em.transactional(async (tx) => {
        const own = await this.markOwn<Type>(tx, ownIds);
        if (own.length === 0) return;
        const others = limit > own.length ? await this.takePendingEvents(tx, job.type, limit - own.length) : [];
        taken = own.length + others.length;
        await work(
          tx,
          [...own, ...others].map((event) => event.payload),
        );
      });
      return;
    } catch (error) {
      if (taken <= 1) {
        await this.noteFailure(em, ownIds, error as Error);
        throw error;
      }
      this.logger.warn({ type: job.type, eventId: job.eventId, batch: taken, err: (error as Error).message }, 'batch failed; its events are handled one by one');
    }
    let failure: Error | undefined;
    for (const eventId of ownIds) {
      try {
        await em.transactional(async (tx) => {
          const [own] = await this.markOwn<Type>(tx, [eventId]);
          if (own) await work(tx, [own.payload]);
        });
      } catch (error) {
        if (error instanceof UnrecoverableError) {
          // This event can never succeed: it fails for good on its own, and takes none of the
          // job's other events down with it (they are retried, or done).
          await this.markFailed(em, [eventId], error.message);
          this.logger.warn({ type: job.type, eventId, err: error.message }, 'outbox event failed for good');
          continue;
        }
        await this.noteFailure(em, [eventId], error as Error);
        failure ??= error as Error;
      }
    }
    if (failure) throw failure;
  }

  private async markOwn<Type extends OutboxEventType>(em: EntityManager, eventIds: string[]): Promise<{ id: string; payload: OutboxEventPayloads[Type] }[]> {
    return sqlRows<{ id: string; payload: OutboxEventPayloads[Type] }>(
      em,
      'update outbox_event set processed_at = now() where id = any(?::bigint[]) and processed_at is null and failed_at is null returning id::text, payload',
      [eventIds],
    );
  }

  /** An event that failed is left out of other jobs' batches (its own job retries it with backoff). */
  private async noteFailure(em: EntityManager, eventIds: string[], error: Error): Promise<void> {
    await sqlExec(em, 'update outbox_event set last_error = ? where id = any(?::bigint[]) and processed_at is null', [String(error.message).slice(0, 2000), eventIds]).catch(() => undefined);
  }

  private async takePendingEvents<Type extends OutboxEventType>(
    em: EntityManager,
    type: Type,
    limit: number,
    only?: { key: string; value: string },
    exceptEventId?: string,
  ): Promise<{ id: string; payload: OutboxEventPayloads[Type] }[]> {
    return sqlRows<{ id: string; payload: OutboxEventPayloads[Type] }>(
      em,
      `update outbox_event set processed_at = now()
        where id in (select id from outbox_event where type = ? and processed_at is null and failed_at is null and last_error is null and id <> coalesce(?::bigint, 0)
                        and (?::text is null or payload ->> ?::text = ?::text)
                      order by id limit ? for update skip locked)
        returning id::text, payload`,
      [type, exceptEventId ?? null, only?.key ?? null, only?.key ?? null, only?.value ?? null, limit],
    );
  }

  /** True when an event of this type for this aggregate is still waiting to be processed. */
  async hasPending(em: EntityManager, type: OutboxEventType, aggregateId: string): Promise<boolean> {
    const rows = await sqlRows(em, `select 1 from outbox_event where type = ? and aggregate_id = ? and processed_at is null and failed_at is null limit 1`, [type, aggregateId]);
    return rows.length > 0;
  }

  async markFailed(em: EntityManager, eventIds: string[], error: string): Promise<void> {
    await sqlExec(em, 'update outbox_event set failed_at = now(), last_error = ? where id = any(?::bigint[]) and processed_at is null and failed_at is null', [error.slice(0, 2000), eventIds]);
  }
}
