import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from '../errors/domain-error';

/** The email a sign-up, login or password-reset request names, normalised; '' when none. */
export function emailOfRequest(request: { body?: unknown }): string {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 200) : '';
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new RateLimitedError('too_many_requests', `Too many attempts: wait ${retryAfterSeconds} s before trying again.`, Math.max(1, retryAfterSeconds));

/**
 * Limits sign-up, login and password reset per client IP and per email (the throttlers of
 * ThrottlingModule), counted per route; every attempt counts, right or wrong. Over a limit: 429
 * `too_many_requests` with Retry-After until the block ends — a right password then is refused too.
 */
@Injectable()
export class AccountThrottleGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyAttempts(detail.timeToBlockExpire);
  }
}
