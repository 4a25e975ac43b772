import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';

/**
 * Per-client limits on our own API (`THROTTLE_LIMIT` requests per `THROTTLE_TTL_SECONDS`, by
 * client IP), so one runaway dashboard cannot starve the others. Counts are per replica, in
 * memory: a limit on abuse, not a quota. Probes and `/metrics` are exempt (`@SkipThrottle`).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (http: ConfigType<typeof httpConfig>) => ({
        throttlers: [{ ttl: http.throttleTtlSeconds * 1000, limit: http.throttleLimit }],
        storage: new FixedWindowThrottlerStorage(),
        errorMessage: 'Too many requests from this client; see Retry-After.',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
