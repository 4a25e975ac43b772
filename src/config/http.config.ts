import { registerAs } from '@nestjs/config';
import { IsOptional, Matches, Validate } from 'class-validator';
import { parseTrustProxy, TrustProxy, TrustProxyRule } from './trust-proxy';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

export class HttpEnvironment {
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma list of origins such as https://dash.example.com',
  })
  CORS_ORIGINS?: string;

  @OptionalIntegerEnv('THROTTLE_LIMIT', 1, 1000000)
  THROTTLE_LIMIT?: number;

  @OptionalIntegerEnv('THROTTLE_TTL_SECONDS', 1, 86400)
  THROTTLE_TTL_SECONDS?: number;

  @OptionalIntegerEnv('THROTTLE_SYNC_MS', 10, 10000)
  THROTTLE_SYNC_MS?: number;

  @OptionalIntegerEnv('SHUTDOWN_TIMEOUT_MS', 0, 120000)
  SHUTDOWN_TIMEOUT_MS?: number;

  /** Which proxies' `X-Forwarded-For` to believe: a hop count, or addresses/CIDRs (trust-proxy.ts). */
  @IsOptional()
  @Validate(TrustProxyRule)
  TRUST_PROXY?: string;

  @OptionalIntegerEnv('CLIENT_UPSTREAM_LIMIT', 1, 100000)
  CLIENT_UPSTREAM_LIMIT?: number;

  @OptionalIntegerEnv('CLIENT_UPSTREAM_WINDOW_S', 1, 86400)
  CLIENT_UPSTREAM_WINDOW_S?: number;
}

export const httpConfig = registerAs('http', () => {
  const env = validateEnv(HttpEnvironment);
  return {
    /** Origins allowed by CORS; empty = no CORS headers at all (browsers then refuse cross-origin reads). */
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',') : [],
    throttleLimit: env.THROTTLE_LIMIT ?? 600,
    throttleTtlSeconds: env.THROTTLE_TTL_SECONDS ?? 60,
    /**
     * How often each replica shares its throttling counts through Redis. Shorter tightens the
     * limit across replicas (docs/throttling.md) at one Redis call per interval per replica.
     */
    throttleSyncMs: env.THROTTLE_SYNC_MS ?? 250,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS ?? 10000,
    /** Fastify's `trustProxy`: off (the socket's address is the client) unless TRUST_PROXY says. */
    trustProxy: parseTrustProxy(env.TRUST_PROXY) satisfies TrustProxy,
    /**
     * GitHub requests one client's requests may cause per window (misses, revalidations, every
     * page of a fan-out): 100 per 600 s is at most 600 an hour, 12 % of one token's 5,000
     * (docs/throttling.md).
     */
    clientUpstreamLimit: env.CLIENT_UPSTREAM_LIMIT ?? 100,
    clientUpstreamWindowSeconds: env.CLIENT_UPSTREAM_WINDOW_S ?? 600,
  };
});

export type HttpConfig = ReturnType<typeof httpConfig>;
