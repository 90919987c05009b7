import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '../database/sql';
import { OutboxEventType } from '../queues/job-catalog';

/** An outbox row the relay claimed to enqueue. */
export interface ClaimedOutboxEvent {
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
 * Claims up to `limit` events to enqueue, in id order: those never enqueued, and those enqueued
 * more than `redeliverSeconds` ago and still not processed (their job may be gone with Redis).
 * Several relays may run: rows are claimed with SKIP LOCKED.
 */
export async function claimOutboxEventsForRelay(em: EntityManager, redeliverSeconds: number, limit: number): Promise<ClaimedOutboxEvent[]> {
  const events = await sqlRows<ClaimedOutboxEvent>(
    em,
    `update outbox_event set enqueued_at = now(), enqueue_count = enqueue_count + 1
      where id in (
        select id from outbox_event
         where processed_at is null and failed_at is null
           and (enqueued_at is null or enqueued_at < now() - make_interval(secs => ?))
         order by id limit ? for update skip locked)
      returning id, type, merchant_id, payload, job_id, enqueue_count`,
    [redeliverSeconds, limit],
  );
  return events.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** Events of a new group remember their job before it exists: a redelivery goes to that job again. */
export async function recordOutboxJobIds(em: EntityManager, jobs: { eventId: string; jobId: string }[]): Promise<void> {
  if (jobs.length === 0) return;
  await sqlExec(em, `update outbox_event o set job_id = j.job_id from unnest(?::bigint[], ?::text[]) as j(id, job_id) where o.id = j.id`, [
    jobs.map((job) => job.eventId),
    jobs.map((job) => job.jobId),
  ]);
}

/** Gives claimed events back (Redis is away): they are enqueued as soon as it returns. */
export async function releaseOutboxClaims(em: EntityManager, eventIds: string[]): Promise<void> {
  await sqlExec(em, `update outbox_event set enqueued_at = null where id = any(?::bigint[])`, [eventIds]);
}
