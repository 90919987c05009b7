/**
 * SQL fragments for statements that write outbox rows together with their change (core owns
 * `outbox_event`). A context whose hot path is one statement (ingest: the order, its lines and its
 * event in one CTE) composes these instead of naming the table itself; every other write goes
 * through `OutboxService`.
 */

/**
 * `insert into outbox_event (…) <select>`: the select yields, in order, the event type, the
 * merchant id, the aggregate id (text) and the payload (jsonb).
 */
export function outboxInsertSql(select: string): string {
  return `insert into outbox_event (type, merchant_id, aggregate_id, payload) ${select}`;
}

/** Marks outbox events processed: `ids` is an SQL expression of a bigint array (e.g. `?::bigint[]`). */
export function outboxMarkProcessedSql(ids: string): string {
  return `update outbox_event set processed_at = now() where id = any(${ids}) and processed_at is null`;
}
