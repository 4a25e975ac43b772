import { registerAs } from '@nestjs/config';
import { getHeapStatistics } from 'node:v8';
import { IsOptional, IsUrl, Matches } from 'class-validator';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

export class CacheEnvironment {
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] },
    { message: 'REDIS_URL must be a redis:// or rediss:// URL such as redis://localhost:6379' },
  )
  REDIS_URL?: string;

  @OptionalIntegerEnv('CACHE_TTL_SECONDS', 1, 86400)
  CACHE_TTL_SECONDS?: number;

  @OptionalIntegerEnv('CACHE_STALE_SECONDS', 0, 2592000)
  CACHE_STALE_SECONDS?: number;

  @OptionalIntegerEnv('CACHE_NEGATIVE_TTL_SECONDS', 0, 3600)
  CACHE_NEGATIVE_TTL_SECONDS?: number;

  @OptionalIntegerEnv('CACHE_MIN_REVALIDATE_S', 0, 3600)
  CACHE_MIN_REVALIDATE_S?: number;

  /** 1 MB to 64 GB: below a megabyte nothing useful fits; the default derives from the heap. */
  @OptionalIntegerEnv('CACHE_MAX_BYTES', 1_000_000, 68_719_476_736)
  CACHE_MAX_BYTES?: number;

  @OptionalIntegerEnv('CACHE_REDIS_MAX_VALUE_BYTES', 1024, 536_870_912)
  CACHE_REDIS_MAX_VALUE_BYTES?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, {
    message: 'CACHE_KEY_PREFIX must be 1-64 letters, digits, colons, underscores or hyphens',
  })
  CACHE_KEY_PREFIX?: string;
}

export const cacheConfig = registerAs('cache', () => {
  const env = validateEnv(CacheEnvironment);
  return {
    redisUrl: env.REDIS_URL,
    ttlSeconds: env.CACHE_TTL_SECONDS ?? 60,
    staleSeconds: env.CACHE_STALE_SECONDS ?? 86400,
    negativeTtlSeconds: env.CACHE_NEGATIVE_TTL_SECONDS ?? 60,
    /**
     * A client's `Cache-Control: no-cache` reaches GitHub at most once per this many seconds per
     * cached entry: otherwise a loop of them costs one GitHub request each.
     */
    minRevalidateSeconds: env.CACHE_MIN_REVALIDATE_S ?? 10,
    /**
     * Bytes every in-process cache together may hold: a quarter of the heap V8 really has (the
     * pod's `--max-old-space-size`, not the machine's memory), leaving the rest for requests in
     * flight, parsing GitHub's pages and V8's own headroom.
     */
    maxBytes: env.CACHE_MAX_BYTES ?? Math.floor(getHeapStatistics().heap_size_limit / 4),
    /** Larger values are kept in memory only: one huge entry must not evict a Redis full of small ones. */
    redisMaxValueBytes: env.CACHE_REDIS_MAX_VALUE_BYTES ?? 8 * 1024 * 1024,
    keyPrefix: env.CACHE_KEY_PREFIX ?? 'gdb',
  };
});

export type CacheConfig = ReturnType<typeof cacheConfig>;
