import { sqlExec, sqlRows } from '../database/sql';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sqlAffected } from '../database/sql';
import { OutboxEventPayloads, OutboxEventType } from '../queues/job-catalog';

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
    const rows = await sqlRows<{ payload: OutboxEventPayloads[Type] }>(
      em,
      `update outbox_event set processed_at = now()
        where id in (select id from outbox_event where type = ? and processed_at is null and failed_at is null and id <> ?
                        and (?::text is null or payload ->> ?::text = ?::text)
                      order by id limit ? for update skip locked)
        returning payload`,
      [type, exceptEventId, only?.key ?? null, only?.key ?? null, only?.value ?? null, limit],
    );
    return rows.map((row) => row.payload);
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
