import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a caller's own `x-request-id` may look like to be kept: a short token, no spaces or separators that could forge a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id of one request: the caller's `x-request-id` when it is a sane token (so a trace spans the
 * proxy, the console and us), else a new UUID. It is put on the raw request too, where the request
 * logger (pino-http) reads it, so the log line, the response header and an error body agree.
 */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  (request as IncomingMessage & { id?: string }).id = id;
  return id;
}
