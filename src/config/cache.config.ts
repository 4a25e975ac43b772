import { registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { toInteger, validateEnv } from './validate-env';

class CacheEnvironment {
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['redis', 'rediss'] },
    { message: 'REDIS_URL must be a redis:// or rediss:// URL such as redis://localhost:6379' },
  )
  REDIS_URL?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CACHE_TTL_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'CACHE_TTL_SECONDS must be an integer from 1 to 86400' })
  @Max(86400, { message: 'CACHE_TTL_SECONDS must be an integer from 1 to 86400' })
  CACHE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CACHE_STALE_SECONDS must be an integer from 0 to 2592000' })
  @Min(0, { message: 'CACHE_STALE_SECONDS must be an integer from 0 to 2592000' })
  @Max(2592000, { message: 'CACHE_STALE_SECONDS must be an integer from 0 to 2592000' })
  CACHE_STALE_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CACHE_NEGATIVE_TTL_SECONDS must be an integer from 0 to 3600' })
  @Min(0, { message: 'CACHE_NEGATIVE_TTL_SECONDS must be an integer from 0 to 3600' })
  @Max(3600, { message: 'CACHE_NEGATIVE_TTL_SECONDS must be an integer from 0 to 3600' })
  CACHE_NEGATIVE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'CACHE_MAX_ENTRIES must be an integer from 10 to 10000000' })
  @Min(10, { message: 'CACHE_MAX_ENTRIES must be an integer from 10 to 10000000' })
  @Max(10_000_000, { message: 'CACHE_MAX_ENTRIES must be an integer from 10 to 10000000' })
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
