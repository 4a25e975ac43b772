import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { normalizeIp } from '@nestjs/throttler';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';

/** ThrottlerModule's only throttler is unnamed, which the library calls `default`. */
const THROTTLER = 'default';

/** Sets a response header; Fastify's reply and Node's response both have one of these. */
export interface ResponseHeaders {
  header(name: string, value: string): unknown;
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

  constructor(
    @Inject(httpConfig.KEY) http: ConfigType<typeof httpConfig>,
    private readonly storage: FixedWindowThrottlerStorage,
  ) {
    this.ttlMs = http.throttleTtlSeconds * 1000;
    this.limit = http.throttleLimit;
  }

  /** Counts one request of `ip`; true, with the guard's headers set, while it is within the limit. */
  admit(ip: string, reply: ResponseHeaders): boolean {
    // The guard's key: `${throttler}:${tracker}`, the tracker being the client's (IPv6 /64) address.
    const key = `${THROTTLER}:${normalizeIp(ip)}`;
    const count = this.storage.count(key, this.ttlMs, this.limit, this.ttlMs, THROTTLER);
    if (count.isBlocked) {
      return false;
    }
    reply.header('x-ratelimit-limit', String(this.limit));
    reply.header('x-ratelimit-remaining', String(Math.max(0, this.limit - count.totalHits)));
    reply.header('x-ratelimit-reset', String(count.timeToExpire));
    return true;
  }
}
