import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { tooManyAttempts } from './account-throttle.guard';

const MAX_REMEMBERED = 10_000;

/**
 * Unsigned or badly signed shop pushes, counted per client IP (only failures count: a shop that
 * signs correctly is never slowed). An IP over PUSH_FAILURES_PER_IP is answered 429 before any
 * lookup or signature check until its block ends. A correct push never waits for Redis: the block
 * is remembered by this process, and failures (which may wait) are counted in Redis for all.
 */
@Injectable()
export class PushFailureThrottle {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
  ) {}

  /**
   * `scope` narrows the count to one target behind the IP (a platform route's shop id): platforms
   * deliver for many merchants from shared IPs, so one merchant's misconfigured shop must not block the others.
   */
  async guard<T>(clientIp: string, work: () => Promise<T>, scope?: string): Promise<T> {
    // An IPv6 client is counted by its /64, as the throttler does: one host holds a whole /64.
    const ip = scope === undefined ? normalizeIp(clientIp) : `${normalizeIp(clientIp)}|${scope.slice(0, 40)}`;
    const until = this.blockedUntil.get(ip);
    if (until !== undefined) {
      if (until > Date.now()) throw tooManyAttempts(Math.ceil((until - Date.now()) / 1000));
      this.blockedUntil.delete(ip);
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'unauthenticated' || error.kind === 'not_found')) await this.recordFailure(ip);
      throw error;
    }
  }

  private async recordFailure(ip: string): Promise<void> {
    const windowMs = this.config.PUSH_FAILURE_WINDOW_SECONDS * 1000;
    const record = await this.storage.increment(`push-failure:${ip}`, windowMs, this.config.PUSH_FAILURES_PER_IP, windowMs, 'push');
    if (!record.isBlocked) return;
    if (this.blockedUntil.size >= MAX_REMEMBERED) {
      for (const [key, until] of this.blockedUntil) if (until <= Date.now()) this.blockedUntil.delete(key);
      if (this.blockedUntil.size >= MAX_REMEMBERED) this.blockedUntil.clear();
    }
    this.blockedUntil.set(ip, Date.now() + record.timeToBlockExpire * 1000);
  }
}
