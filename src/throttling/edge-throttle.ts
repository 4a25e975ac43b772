import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { normalizeIp } from '@nestjs/throttler';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';

/** ThrottlerModule's only throttler is unnamed, which the library calls `default`. */
const THROTTLER = 'default';

/** A client's key, for the guard (ThrottlingModule's `generateKey`) and the edge alike. */
export function throttleKey(throttlerName: string, tracker: string): string {
  return `${throttlerName}:${tracker}`;
}

/**
 * The per-client limit for answers given before Nest's guards run (the edge cache): the same
 * window, key, limit and `X-RateLimit-*` headers as ThrottlerGuard, so a client cannot tell, nor
 * get more, by asking for cached answers. A client over its limit is not answered here: its
 * request goes on to the guard, which answers the 429 (and, blocked already, counts nothing more).
 */
@Injectable()
export class EdgeThrottle {
  private readonly ttlMs: number;
  private readonly limit: number;
  private readonly limitText: string;

  constructor(
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
    private readonly storage: FixedWindowThrottlerStorage,
  ) {
    this.ttlMs = http.throttleTtlSeconds * 1000;
    this.limit = http.throttleLimit;
    this.limitText = String(this.limit);
  }

  /**
   * Counts one request of `ip`: the guard's `X-RateLimit-*` headers (flat, as `writeHead` takes
   * them) while it is within the limit, undefined once it is over.
   */
  admit(ip: string): readonly string[] | undefined {
    // The guard's tracker: the client's address (an IPv6 client's /64).
    const key = throttleKey(THROTTLER, normalizeIp(ip));
    const count = this.storage.count(key, this.ttlMs, this.limit, this.ttlMs, THROTTLER);
    if (count.isBlocked) {
      return undefined;
    }
    return [
      'x-ratelimit-limit',
      this.limitText,
      'x-ratelimit-remaining',
      String(Math.max(0, this.limit - count.totalHits)),
      'x-ratelimit-reset',
      String(count.timeToExpire),
    ];
  }
}
