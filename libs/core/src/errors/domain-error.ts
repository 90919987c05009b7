/**
 * Errors raised inside libs/. They carry a stable machine code and a kind; the api's exception
 * filter maps the kind to an HTTP status, the worker decides retry or give up from it.
 */
export type DomainErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'duplicate' | 'too_large' | 'unprocessable' | 'unsupported_media_type' | 'rate_limited' | 'unavailable';

export interface ErrorDetail {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, details: ErrorDetail[]) {
    super('invalid', 'validation_failed', message, details);
  }

  static field(field: string, reason: string, code = 'validation_failed'): DomainError {
    return new DomainError('invalid', code, `${field}: ${reason}`, [{ field, reason }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id: string) {
    super('not_found', `${resource.replace(/ /g, '_')}_not_found`, `No ${resource} ${JSON.stringify(id)} exists for your merchant.`);
  }
}

/** What `lookup` finds, or null when it is not found; any other failure (the database away) stays a failure, for the caller's retry. */
export function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  return lookup.catch((error: unknown) => (error instanceof NotFoundError ? null : Promise.reject(error)));
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super('conflict', code, message, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Send "Authorization: Bearer <api key or login token>".') {
    super('unauthenticated', 'unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', 'forbidden', message);
  }
}

/** Too many requests: the client may try again after `retryAfterSeconds` (sent as Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
    details: ErrorDetail[] = [],
  ) {
    super('rate_limited', code, message, details);
  }
}

/**
 * The request was well formed but its content cannot be used as it is (an uploaded file with bad
 * rows): 422, with every problem in `details`.
 */
export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super('unprocessable', code, message, details);
  }
}

/** A state machine refused a move: names the current state. */
export class IllegalTransitionError extends ConflictError {
  constructor(resource: string, from: string, action: string) {
    super(`${resource.replace(/ /g, '_')}_illegal_transition`, `Cannot ${action} a ${resource} that is ${from}.`, [{ field: 'status', reason: `current status is ${from}` }]);
  }
}

export const HTTP_STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  too_large: 413,
  unprocessable: 422,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/**
 * Turns a "not found" from another context into this context's own error (e.g. a field-level 400
 * naming the id), and lets every other failure through unchanged: a database outage stays a 503,
 * never a 404.
 */
export async function whenNotFound<T>(work: Promise<T>, replacement: (error: DomainError) => Error): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') throw replacement(error);
    throw error;
  }
}
