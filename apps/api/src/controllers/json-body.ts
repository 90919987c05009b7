import { FastifyRequest } from 'fastify';
import { DomainError } from '@gongxiao/core';

/** Signed pushes are JSON: another content type is a 415, before anything else is looked at. */
export function assertJsonBody(request: FastifyRequest): void {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== '' && type !== 'application/json') {
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', `Send the body as application/json, not ${type.slice(0, 60)}.`, [
      { field: 'content-type', reason: 'must be application/json' },
    ]);
  }
}
