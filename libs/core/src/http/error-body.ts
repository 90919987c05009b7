import { DomainError, ErrorDetail, HTTP_STATUS_BY_KIND, RateLimitedError } from '../errors/domain-error';

export interface ErrorBody {
  /** `requestId` is added by the HTTP layer (the same id as the x-request-id header and the log line). */
  error: { code: string; message: string; details: ErrorDetail[]; requestId?: string };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when this is a bug or an outage worth logging with its stack. */
  unexpected: boolean;
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is larger than this endpoint accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: 'Content-Length does not match the body.' },
};

/** PostgreSQL refusing a value the validation let through (e.g. a NUL character inside a text). */
const INVALID_INPUT_SQL_STATES: Record<string, [string, string]> = {
  '22P05': ['invalid_characters', 'A text contains a character that cannot be stored (such as \\u0000). Remove it and send again.'],
  '22021': ['invalid_characters', 'A text contains an invalid character sequence. Send UTF-8 text without NUL characters.'],
  '22003': ['number_out_of_range', 'A number is out of the accepted range.'],
  '22007': ['invalid_timestamp', 'A date or time is not in a form we accept: send ISO-8601 like 2026-11-22T10:00:00+08:00.'],
  '22008': ['invalid_timestamp', 'A date or time is out of range.'],
};

function body(code: string, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

const DATABASE_DOWN =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|terminating connection|Knex: Timeout acquiring a connection|has encountered a connection error and is not queryable/i;

/** One error shape everywhere: maps anything thrown to a status and `{"error": {...}}`. */
export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    const retryAfter = error instanceof RateLimitedError ? String(error.retryAfterSeconds) : '5';
    const headers: Record<string, string> = error.kind === 'unavailable' || error.kind === 'rate_limited' ? { 'retry-after': retryAfter } : {};
    return { status: HTTP_STATUS_BY_KIND[error.kind], body: body(error.code, error.message, error.details), headers, unexpected: false };
  }
  const candidate = error as { code?: string; statusCode?: number; status?: number; message?: string; getStatus?: () => number; getResponse?: () => unknown };
  if (candidate?.code && Object.hasOwn(FASTIFY_CODES, candidate.code)) {
    const known = FASTIFY_CODES[candidate.code];
    return { status: known.status, body: body(known.code, known.message), headers: {}, unexpected: false };
  }
  const sqlState = (error as { code?: string; sqlState?: string })?.sqlState ?? candidate?.code;
  if (sqlState && Object.hasOwn(INVALID_INPUT_SQL_STATES, sqlState)) {
    const [code, message] = INVALID_INPUT_SQL_STATES[sqlState];
    return { status: 400, body: body(code, message), headers: {}, unexpected: false };
  }
  if (sqlState === '23505') {
    // A unique key raced by two requests at once: the loser is told, never a 500.
    return { status: 409, body: body('already_exists', 'Something with the same unique key was just created by another request. Read it, or use another key.'), headers: {}, unexpected: false };
  }
  if (sqlState && /^(08...|57P0[1-4]|53300|53400|57014)$/.test(sqlState)) {
    // The database is unreachable, restarting, out of connections, or too slow to answer in time.
    return {
      status: 503,
      body: body('service_unavailable', 'The database is briefly unavailable or overloaded. Retry in a few seconds; nothing was changed.'),
      headers: { 'retry-after': '5' },
      unexpected: true,
    };
  }
  if (sqlState === '40P01' || sqlState === '40001' || sqlState === '55P03') {
    // Two requests changed the same rows at the same moment and the database stopped one: nothing it did was kept.
    return {
      status: 409,
      body: body('concurrent_update', 'Another change to the same records happened at the same moment; nothing was changed. Retry the request.'),
      headers: { 'retry-after': '1' },
      unexpected: true,
    };
  }
  if (candidate && typeof candidate.getStatus === 'function') {
    const status = candidate.getStatus();
    if (status === 404) return { status, body: body('route_not_found', 'No such route. The API lives under /v1; see /docs.'), headers: {}, unexpected: false };
    if (status < 500) return { status, body: body(`http_${status}`, candidate.message ?? 'Request refused'), headers: {}, unexpected: false };
  }
  if (candidate?.message && /SyntaxError|Unexpected token|JSON/.test(candidate.message) && (candidate.statusCode === 400 || candidate.status === 400)) {
    return { status: 400, body: body('invalid_json', 'The body is not valid JSON.'), headers: {}, unexpected: false };
  }
  if (typeof candidate?.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    return { status: candidate.statusCode, body: body(`http_${candidate.statusCode}`, candidate.message ?? 'Request refused'), headers: {}, unexpected: false };
  }
  const text = `${candidate?.message ?? ''} ${candidate?.code ?? ''} ${(error as { name?: string })?.name ?? ''}`;
  if (DATABASE_DOWN.test(text) || /ConnectionException/.test(text)) {
    return {
      status: 503,
      body: body('service_unavailable', 'The database is briefly unavailable. Retry in a few seconds; nothing was changed.'),
      headers: { 'retry-after': '5' },
      unexpected: true,
    };
  }
  return {
    status: 500,
    body: body('internal_error', 'Something went wrong on our side; nothing you sent was at fault. Retry later, and quote the request id to support.'),
    headers: {},
    unexpected: true,
  };
}
