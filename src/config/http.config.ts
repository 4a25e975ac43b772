import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
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
  };
});

export type HttpConfig = ReturnType<typeof httpConfig>;
