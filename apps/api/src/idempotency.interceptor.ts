import { EntityManager } from '@mikro-orm/postgresql';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, lastValueFrom } from 'rxjs';
import { claimIdempotencyKey, ConflictError, recordIdempotentAnswer, releaseIdempotencyKey, RequestWithActor, storedIdempotentAnswer, ValidationFailedError } from '@gongxiao/core';

/**
 * Retried POSTs: the same Idempotency-Key with the same body answers the first response again;
 * with another body it is a 409. Keys are scoped to the acting merchant. Multipart uploads are
 * keyed by their own handler on the file they carry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly em: EntityManager) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithActor & { rawBody?: Buffer }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return next.handle();
    // A multipart upload's body is read by its handler, after this runs: the upload keys itself on the file's digest (SheetImportsService).
    if (request.isMultipart()) return next.handle();
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
    // A claim whose request never recorded its answer (the process died) may be taken again after a minute.
    const claimed = await claimIdempotencyKey(this.em, merchantId, key, requestHash, { reclaimAfterSeconds: 60 });
    if (!claimed) {
      const stored = await storedIdempotentAnswer(this.em, merchantId, key);
      if (!stored) throw new ConflictError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running: retry in a moment.');
      if (stored.requestHash !== requestHash) {
        throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request: use a new key for a new request.', [
          { field: 'Idempotency-Key', reason: 'already used with another body' },
        ]);
      }
      if (stored.statusCode === null) {
        throw new ConflictError('idempotency_request_in_progress', 'The first request with this Idempotency-Key is still running: retry in a moment.');
      }
      void reply.status(stored.statusCode);
      return lastValueFrom(of(stored.responseBody));
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      await recordIdempotentAnswer(this.em, merchantId, key, reply.statusCode, body);
      return body;
    } catch (error) {
      await releaseIdempotencyKey(this.em, merchantId, key);
      throw error;
    }
  }
}
