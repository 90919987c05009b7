import { EntityManager } from '@mikro-orm/postgresql';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, lastValueFrom } from 'rxjs';
import { ConflictError, RequestWithActor, sqlExec, sqlOne, ValidationFailedError } from '@gongxiao/core';

interface StoredResponse {
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
}

/**
 * Retried POSTs: the same Idempotency-Key with the same body answers the first response again;
 * with another body it is a 409. Keys are scoped to the acting merchant.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly em: EntityManager) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithActor & { rawBody?: Buffer }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return next.handle();
    return from(this.handle(context, next, request, key));
  }

  private async handle(context: ExecutionContext, next: CallHandler, request: FastifyRequest & RequestWithActor & { rawBody?: Buffer }, key: string): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw ValidationFailedError.field('Idempotency-Key', 'must be 1-200 visible ASCII characters');
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const merchantId = request.actor!.merchantId;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n`)
      .update(request.rawBody ?? JSON.stringify(request.body ?? null))
      .digest('hex');
    const claimed = await sqlOne(
      this.em,
      // A claim whose request never recorded its answer (the process died) may be taken again after a minute.
      `insert into idempotency_record (merchant_id, idempotency_key, request_hash) values (?, ?, ?)
       on conflict (merchant_id, idempotency_key) do update set created_at = now()
         where idempotency_record.status_code is null and idempotency_record.request_hash = excluded.request_hash
           and idempotency_record.created_at < now() - interval '60 seconds'
       returning 1 as claimed`,
      [merchantId, key, requestHash],
    );
    if (!claimed) {
      const stored = (await sqlOne<StoredResponse>(this.em, 'select request_hash, status_code, response_body from idempotency_record where merchant_id = ? and idempotency_key = ?', [
        merchantId,
        key,
      ]))!;
      if (stored.request_hash !== requestHash) {
        throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request: use a new key for a new request.', [
          { field: 'Idempotency-Key', reason: 'already used with another body' },
        ]);
      }
      if (stored.status_code === null) {
        throw new ConflictError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running: retry in a moment.');
      }
      void reply.status(stored.status_code);
      return lastValueFrom(of(stored.response_body));
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      await sqlExec(this.em, 'update idempotency_record set status_code = ?, response_body = ?::jsonb where merchant_id = ? and idempotency_key = ?', [
        reply.statusCode,
        JSON.stringify(body ?? null),
        merchantId,
        key,
      ]);
      return body;
    } catch (error) {
      await sqlExec(this.em, 'delete from idempotency_record where merchant_id = ? and idempotency_key = ?', [merchantId, key]);
      throw error;
    }
  }
}
