import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { httpConfig } from '../config/http.config';
import { EdgeThrottle, throttleKey } from './edge-throttle';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';
import { ThrottleCountsModule } from './throttle-counts.module';
import { UpstreamBudgetModule } from './upstream-budget/upstream-budget.module';

/**
 * Per-client limits on our own API (`THROTTLE_LIMIT` requests per `THROTTLE_TTL_SECONDS`, by
 * client IP, all routes together), so one runaway dashboard cannot starve the others. Counts are
 * kept in memory and, with REDIS_URL, shared between replicas every THROTTLE_SYNC_MS: a limit on
 * abuse, approximate by the bound docs/throttling.md states, not a quota. Probes and `/metrics`
 * are exempt (`@SkipThrottle`).
 */
@Module({
  imports: [
    UpstreamBudgetModule,
    ThrottleCountsModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottleCountsModule],
      inject: [httpConfig.KEY, FixedWindowThrottlerStorage],
      useFactory: (http: ConfigType<typeof httpConfig>, storage: FixedWindowThrottlerStorage) => ({
        throttlers: [{ ttl: http.throttleTtlSeconds * 1000, limit: http.throttleLimit }],
        storage,
        // One budget per client across every route, as THROTTLE_LIMIT is documented: the
        // library's default key also names the route (a client got the limit once per route)
        // and is hashed with SHA-256 on every request, 2 % of a cached answer's CPU.
        generateKey: (_context, tracker, throttlerName) => throttleKey(throttlerName, tracker),
        errorMessage: 'Too many requests from this client; see Retry-After.',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }, EdgeThrottle],
  exports: [EdgeThrottle],
})
export class ThrottlingModule {}
