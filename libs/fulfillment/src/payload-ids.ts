import { isId, UnrecoverableError } from '@gongxiao/core';

/**
 * The id an outbox payload names, checked: a payload without a well-formed id can never be
 * handled, so its job fails for good (UnrecoverableError) instead of being retried.
 */
export function payloadId(value: unknown, field: string, eventType: string): string {
  if (typeof value !== 'string' || !isId(value)) throw new UnrecoverableError(`Malformed ${eventType} payload: ${field} is ${JSON.stringify(value)}`);
  return value;
}
