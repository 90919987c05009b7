import { useMemo, useRef } from 'react';
import { idempotencyKey } from './client';
import { isApiError } from './errors';

export interface IdempotencyKey {
  /** The key of the current attempt: the same on a retried click after an answer was lost. */
  current: () => string;
  /** After the attempt ended: a success or a refusal by the api starts a new key; a lost answer keeps it. */
  settle: (failure?: unknown) => void;
}

/**
 * One Idempotency-Key per open dialog or form, kept across retries so a click repeated after a lost
 * answer (network failure) cannot create a second object. Renewed after success, and after the api
 * refused the request (the next attempt, with other values, is a new request: reusing the key would be
 * refused as idempotency_key_reused) — except while the first request is still running.
 */
export function useIdempotencyKey(): IdempotencyKey {
  const key = useRef<string>(null);
  return useMemo(
    () => ({
      current: () => (key.current ??= idempotencyKey()),
      settle: (failure?: unknown) => {
        if (failure === undefined || (isApiError(failure) && failure.code !== 'idempotency_request_in_progress')) key.current = null;
      },
    }),
    [],
  );
}
