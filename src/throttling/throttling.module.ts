import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';

/**
 * Per-client limits on our own API (`THROTTLE_LIMIT` requests per `THROTTLE_TTL_SECONDS`, by
 * client IP, all routes together), so one runaway dashboard cannot starve the others. Counts are
 * per replica, in memory: a limit on abuse, not a quota. Probes and `/metrics` are exempt
 * (`@SkipThrottle`).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [httpConfig.KEY],
      useFactory: (http: ConfigType<typeof httpConfig>) => ({
        throttlers: [{ ttl: http.throttleTtlSeconds * 1000, limit: http.throttleLimit }],
        storage: new FixedWindowThrottlerStorage(),
        // One budget per client across every route, as THROTTLE_LIMIT is documented: the
        // library's default key also names the route (a client got the limit once per route)
        // and is hashed with SHA-256 on every request, 2 % of a cached answer's CPU.
        generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
        errorMessage: 'Too many requests from this client; see Retry-After.',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
