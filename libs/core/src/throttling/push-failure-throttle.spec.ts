import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { DomainError, UnauthenticatedError } from '../errors/domain-error';
import { PushFailureThrottle } from './push-failure-throttle';

/** Counts like the Redis storage: blocked once the hits exceed the limit. */
function countingStorage(): ThrottlerStorage & { keys: string[] } {
  const hits = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    increment: (key, ttl, limit, blockDuration) => {
      keys.push(key);
      const total = (hits.get(key) ?? 0) + 1;
      hits.set(key, total);
      return Promise.resolve({ totalHits: total, timeToExpire: ttl / 1000, isBlocked: total > limit, timeToBlockExpire: total > limit ? blockDuration / 1000 : 0 });
    },
  };
}

describe('push failure throttle', () => {
  const config = Object.assign(new AppConfig(), { PUSH_FAILURES_PER_IP: 2, PUSH_FAILURE_WINDOW_SECONDS: 60 });

  it('counts only failures of authentication, then answers 429 before doing the work', async () => {
    const storage = countingStorage();
    const throttle = new PushFailureThrottle(config, storage);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new UnauthenticatedError());
    };
    for (let attempt = 0; attempt < 3; attempt++) await expect(throttle.guard('10.0.0.1', failing)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(throttle.guard('10.0.0.1', failing)).rejects.toMatchObject({ code: 'too_many_requests', retryAfterSeconds: 60 });
    expect(calls).toBe(3);
    // Another IP, and successes, are not affected and not counted.
    await expect(throttle.guard('10.0.0.2', () => Promise.resolve('ok'))).resolves.toBe('ok');
    await expect(throttle.guard('10.0.0.2', () => Promise.reject(new DomainError('invalid', 'validation_failed', 'bad')))).rejects.toMatchObject({ kind: 'invalid' });
    expect(storage.keys).toEqual(['push-failure:10.0.0.1', 'push-failure:10.0.0.1', 'push-failure:10.0.0.1']);
  });

  it('counts an IPv6 client by its /64', async () => {
    const storage = countingStorage();
    const throttle = new PushFailureThrottle(config, storage);
    await expect(throttle.guard('2001:db8:1:2::1', () => Promise.reject(new UnauthenticatedError()))).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(throttle.guard('2001:db8:1:2:ffff::9', () => Promise.reject(new UnauthenticatedError()))).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(new Set(storage.keys).size).toBe(1);
  });

  it('with a scope (a platform route: the shop id), counts failures per IP and scope: one shop failing does not block another behind the same IP', async () => {
    const storage = countingStorage();
    const throttle = new PushFailureThrottle(config, storage);
    const failing = () => Promise.reject(new UnauthenticatedError());
    for (let attempt = 0; attempt < 3; attempt++) await expect(throttle.guard('10.0.0.9', failing, '41')).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(throttle.guard('10.0.0.9', failing, '41')).rejects.toMatchObject({ code: 'too_many_requests' });
    await expect(throttle.guard('10.0.0.9', () => Promise.resolve('ok'), '42')).resolves.toBe('ok');
    // Without a scope (native pushes) the IP is counted alone, as before.
    await expect(throttle.guard('10.0.0.9', () => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(new Set(storage.keys)).toEqual(new Set(['push-failure:10.0.0.9|41']));
  });
});
