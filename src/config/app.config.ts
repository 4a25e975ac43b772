import { registerAs } from '@nestjs/config';
import {
  IsIn,
  IsOptional,
  Matches,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

export const APP_ENVS = ['development', 'test', 'production'] as const;
export type AppEnv = (typeof APP_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const DEFAULT_PORT = 8000;

/** Prometheus' scrape port must not be the API's: one listener cannot be both private and public. */
@ValidatorConstraint({ name: 'distinctFromPort' })
class DistinctFromPort implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value !== ((args.object as AppEnvironment).PORT ?? DEFAULT_PORT);
  }

  defaultMessage(args: ValidationArguments): string {
    const port = (args.object as AppEnvironment).PORT ?? DEFAULT_PORT;
    return `METRICS_PORT must differ from PORT (${port})`;
  }
}

export class AppEnvironment {
  @OptionalIntegerEnv('PORT', 1, 65535)
  PORT?: number;

  /** When set, /metrics is served only on this port (cluster-internal), not on PORT. */
  @OptionalIntegerEnv('METRICS_PORT', 1, 65535)
  @Validate(DistinctFromPort)
  METRICS_PORT?: number;

  @IsOptional()
  @IsIn(APP_ENVS, { message: `APP_ENV must be one of ${APP_ENVS.join(', ')}` })
  APP_ENV?: AppEnv;

  @IsOptional()
  @Matches(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, {
    message: 'APP_VERSION must be a semantic version such as 1.2.3',
  })
  APP_VERSION?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;
}

/** The version in package.json, so `APP_VERSION` needs setting only where a build stamps its own. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnvironment);
  return {
    port: env.PORT ?? DEFAULT_PORT,
    /** Undefined: /metrics is served on `port` with the API (local runs, compose). */
    metricsPort: env.METRICS_PORT,
    env: env.APP_ENV ?? 'development',
    version: env.APP_VERSION ?? packageVersion(),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
});

export type AppConfig = ReturnType<typeof appConfig>;
