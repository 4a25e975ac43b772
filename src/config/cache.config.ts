import { registerAs } from '@nestjs/config';
import { IsOptional, IsUrl, Matches } from 'class-validator';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

class CacheEnvironment {
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

  @OptionalIntegerEnv('CACHE_MAX_ENTRIES', 10, 10000000)
  CACHE_MAX_ENTRIES?: number;

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
    maxEntries: env.CACHE_MAX_ENTRIES ?? 5000,
    keyPrefix: env.CACHE_KEY_PREFIX ?? 'gdb',
  };
});

export type CacheConfig = ReturnType<typeof cacheConfig>;
