import { registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInteger, validateEnv } from './validate-env';

class HttpEnvironment {
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma list of origins such as https://dash.example.com',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'THROTTLE_LIMIT must be an integer from 1 to 1000000' })
  @Min(1, { message: 'THROTTLE_LIMIT must be an integer from 1 to 1000000' })
  @Max(1_000_000, { message: 'THROTTLE_LIMIT must be an integer from 1 to 1000000' })
  THROTTLE_LIMIT?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'THROTTLE_TTL_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'THROTTLE_TTL_SECONDS must be an integer from 1 to 86400' })
  @Max(86400, { message: 'THROTTLE_TTL_SECONDS must be an integer from 1 to 86400' })
  THROTTLE_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 120000' })
  @Min(0, { message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 120000' })
  @Max(120000, { message: 'SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 120000' })
  SHUTDOWN_TIMEOUT_MS?: number;
}

export const httpConfig = registerAs('http', () => {
  const env = validateEnv(HttpEnvironment);
  return {
    /** Origins allowed by CORS; empty = no CORS headers at all (browsers then refuse cross-origin reads). */
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',') : [],
    throttleLimit: env.THROTTLE_LIMIT ?? 600,
    throttleTtlSeconds: env.THROTTLE_TTL_SECONDS ?? 60,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS ?? 10000,
  };
});

export type HttpConfig = ReturnType<typeof httpConfig>;
