import { registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUrl, Matches, Max, Min, IsNumber } from 'class-validator';
import { resolve } from 'node:path';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

const SHARE_RULE =
  'HISTORY_REFRESH_SHARE must be a decimal greater than 0 and at most 1, such as 0.5';

/** `0.5`, `.25`, `1`: a plain decimal; anything else (`50%`, `1e-1`, `half`) stays a string and is refused. */
function toDecimal({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^(\d+\.?\d*|\.\d+)$/.test(value.trim())
    ? Number(value)
    : value;
}

export class HistoryEnvironment {
  /** `false` turns history off: no database, no snapshots, the history routes answer 503. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'HISTORY_ENABLED must be true or false' })
  HISTORY_ENABLED?: 'true' | 'false';

  /** PostgreSQL for history; without it the embedded store (PGlite) writes under DATA_DIR. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['postgres', 'postgresql'] },
    {
      message:
        'DATABASE_URL must be a postgres:// or postgresql:// URL such as postgres://user:password@db:5432/dashboard',
    },
  )
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^\S.{0,1023}$/, { message: 'DATA_DIR must be a directory path (1-1024 characters)' })
  DATA_DIR?: string;

  @OptionalIntegerEnv('HISTORY_WATCH_DAYS', 0, 3650)
  HISTORY_WATCH_DAYS?: number;

  @OptionalIntegerEnv('HISTORY_RETENTION_DAYS', 1, 36500)
  HISTORY_RETENTION_DAYS?: number;

  @OptionalIntegerEnv('HISTORY_REFRESH_INTERVAL_SECONDS', 1, 86400)
  HISTORY_REFRESH_INTERVAL_SECONDS?: number;

  /** Past this many watched accounts the least viewed are dropped (docs/history.md). */
  @OptionalIntegerEnv('HISTORY_MAX_WATCHED', 1, 1_000_000)
  HISTORY_MAX_WATCHED?: number;

  /** The refresher's share of the hour's budget above the reserve: a decimal in (0, 1]. */
  @IsOptional()
  @Transform(toDecimal)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: SHARE_RULE })
  @Min(Number.MIN_VALUE, { message: SHARE_RULE })
  @Max(1, { message: SHARE_RULE })
  HISTORY_REFRESH_SHARE?: number;

  @OptionalIntegerEnv('STAR_HISTORY_MAX_PAGES', 2, 400)
  STAR_HISTORY_MAX_PAGES?: number;
}

export const historyConfig = registerAs('history', () => {
  const env = validateEnv(HistoryEnvironment);
  return {
    enabled: env.HISTORY_ENABLED !== 'false',
    databaseUrl: env.DATABASE_URL,
    /** `memory://` keeps the embedded store in memory (tests); anything else is a directory. */
    dataDir: env.DATA_DIR === 'memory://' ? 'memory://' : resolve(env.DATA_DIR ?? './data'),
    /** Accounts viewed within this many days are snapshotted daily by the refresher; 0 = none. */
    watchDays: env.HISTORY_WATCH_DAYS ?? 30,
    retentionDays: env.HISTORY_RETENTION_DAYS ?? 730,
    refreshIntervalSeconds: env.HISTORY_REFRESH_INTERVAL_SECONDS ?? 3600,
    maxWatched: env.HISTORY_MAX_WATCHED ?? 2000,
    refreshShare: env.HISTORY_REFRESH_SHARE ?? 0.5,
    starHistoryMaxPages: env.STAR_HISTORY_MAX_PAGES ?? 30,
  };
});

export type HistoryConfig = ReturnType<typeof historyConfig>;
