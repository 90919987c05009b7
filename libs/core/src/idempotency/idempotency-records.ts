import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlOne } from '../database/sql';

/**
 * Idempotency records (core owns `idempotency_record`): the first answer to a retried request,
 * kept per merchant and key. Used by the api's Idempotency-Key interceptor and by any context whose
 * clients retry with an id of their own (a shop's cancellation id). Keys of different uses must not
 * collide: callers that are not the interceptor put a space in theirs (header keys never contain one).
 */
export interface StoredAnswer<Body = unknown> {
  requestHash: string;
  statusCode: number | null;
  responseBody: Body;
}

/**
 * Claims a key for a request: true when this request is the first (or takes over a claim whose
 * request never recorded its answer after `reclaimAfterSeconds`). A concurrent claim of the same key
 * waits on the row until the first transaction ends.
 */
export async function claimIdempotencyKey(em: EntityManager, merchantId: string, key: string, requestHash: string, options: { reclaimAfterSeconds?: number } = {}): Promise<boolean> {
  const reclaim = options.reclaimAfterSeconds;
  const claimed = await sqlOne(
    em,
    reclaim === undefined
      ? `insert into idempotency_record (merchant_id, idempotency_key, request_hash) values (?, ?, ?) on conflict do nothing returning 1 as claimed`
      : `insert into idempotency_record (merchant_id, idempotency_key, request_hash) values (?, ?, ?)
         on conflict (merchant_id, idempotency_key) do update set created_at = now()
           where idempotency_record.status_code is null and idempotency_record.request_hash = excluded.request_hash
             and idempotency_record.created_at < now() - make_interval(secs => ${Number(reclaim)})
         returning 1 as claimed`,
    [merchantId, key, requestHash],
  );
  return Boolean(claimed);
}

export async function storedIdempotentAnswer<Body = unknown>(em: EntityManager, merchantId: string, key: string): Promise<StoredAnswer<Body> | undefined> {
  const row = await sqlOne<{ request_hash: string; status_code: number | null; response_body: Body }>(
    em,
    'select request_hash, status_code, response_body from idempotency_record where merchant_id = ? and idempotency_key = ?',
    [merchantId, key],
  );
  return row && { requestHash: row.request_hash, statusCode: row.status_code, responseBody: row.response_body };
}

export async function recordIdempotentAnswer(em: EntityManager, merchantId: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await sqlExec(em, 'update idempotency_record set status_code = ?, response_body = ?::jsonb where merchant_id = ? and idempotency_key = ?', [
    statusCode,
    JSON.stringify(body ?? null),
    merchantId,
    key,
  ]);
}

/** Gives a claimed key back (its request failed): a retry may claim it again. */
export async function releaseIdempotencyKey(em: EntityManager, merchantId: string, key: string): Promise<void> {
  await sqlExec(em, 'delete from idempotency_record where merchant_id = ? and idempotency_key = ?', [merchantId, key]);
}
