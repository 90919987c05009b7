import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlOne } from '../database/sql';

/**
 * Retention of core's own rows (`outbox_event`, `idempotency_record`). Each call deletes one batch
 * at most (never one huge delete that holds locks and bloats the WAL); the caller repeats while a
 * batch comes back full. The rows are chosen by ctid under SKIP LOCKED, so a prune never waits on
 * a request or job that holds one of them.
 */

/** Deletes up to `batch` outbox events processed more than `olderThanDays` days ago; returns how many. */
export async function pruneProcessedOutboxEvents(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  return sqlExec(
    em,
    `delete from outbox_event where ctid = any(array(
       select ctid from outbox_event where processed_at < now() - make_interval(days => ?) limit ? for update skip locked))`,
    [olderThanDays, batch],
  );
}

/** Deletes up to `batch` idempotency records created more than `olderThanDays` days ago; returns how many. */
export async function pruneIdempotencyRecords(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  return sqlExec(
    em,
    `delete from idempotency_record where ctid = any(array(
       select ctid from idempotency_record where created_at < now() - make_interval(days => ?) limit ? for update skip locked))`,
    [olderThanDays, batch],
  );
}

export interface OutboxLag {
  /** Events neither processed nor failed. */
  pending: number;
  /** Age of the oldest of them, in seconds (0 when none waits). */
  oldestAgeSeconds: number;
}

/** How far the outbox is behind (for /health/ready and the metrics); uses the pending partial index. */
export async function outboxLag(em: EntityManager): Promise<OutboxLag> {
  const row = await sqlOne<{ pending: string; oldest_age_seconds: string | null }>(
    em,
    `select count(*)::text as pending, extract(epoch from now() - min(created_at))::text as oldest_age_seconds
       from outbox_event where processed_at is null and failed_at is null`,
  );
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.oldest_age_seconds ?? 0)) };
}
