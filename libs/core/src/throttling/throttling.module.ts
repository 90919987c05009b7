import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AccountThrottleGuard, emailOfRequest } from './account-throttle.guard';
import { PushFailureThrottle } from './push-failure-throttle';
import { ThrottleStorage } from './throttle-storage';

/**
 * @nestjs/throttler with its counters in Redis. Two throttlers, applied only where
 * AccountThrottleGuard is used: `ip` (AUTH_THROTTLE_PER_IP) and `email` (AUTH_THROTTLE_PER_EMAIL,
 * skipped when the body names no email), both per AUTH_THROTTLE_WINDOW_SECONDS.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const ttl = config.AUTH_THROTTLE_WINDOW_SECONDS * 1000;
        return {
          setHeaders: false,
          storage: new ThrottleStorage(config),
          throttlers: [
            { name: 'ip', ttl, limit: config.AUTH_THROTTLE_PER_IP, blockDuration: ttl },
            {
              name: 'email',
              ttl,
              limit: config.AUTH_THROTTLE_PER_EMAIL,
              blockDuration: ttl,
              getTracker: (request: Record<string, unknown>) => emailOfRequest(request),
              skipIf: (context) => emailOfRequest(context.switchToHttp().getRequest<Record<string, unknown>>()) === '',
            },
          ],
        };
      },
    }),
  ],
  providers: [AccountThrottleGuard, PushFailureThrottle],
  exports: [AccountThrottleGuard, PushFailureThrottle, ThrottlerModule],
})
export class ThrottlingModule {}
