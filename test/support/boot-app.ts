import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.setup';

export interface BootOptions {
  /** Where the app finds GitHub: the fake's `url`. */
  githubUrl: string;
  /** Sets `GITHUB_TOKEN`; without it the variable is removed, whatever the shell had. */
  token?: string;
  /** `GITHUB_TIMEOUT_MS`; small by default so a hanging upstream costs a test one second. */
  timeoutMs?: number;
  /** Any other variables (`undefined` removes one). */
  env?: Record<string, string | undefined>;
}

/**
 * Every variable the config reads, cleared unless a test sets it, so a developer's shell (a real
 * GITHUB_TOKEN, a REDIS_URL) cannot leak into a test.
 */
const CONFIG_VARIABLES = [
  'PORT',
  'APP_ENV',
  'APP_VERSION',
  'LOG_LEVEL',
  'GITHUB_API_URL',
  'GITHUB_TOKEN',
  'GITHUB_TIMEOUT_MS',
  'GITHUB_RATE_LIMIT_RESERVE',
  'GITHUB_MAX_REPOS_PER_ACCOUNT',
  'GITHUB_MAX_CONCURRENT_REQUESTS',
  'REDIS_URL',
  'CACHE_TTL_SECONDS',
  'CACHE_STALE_SECONDS',
  'CACHE_NEGATIVE_TTL_SECONDS',
  'CACHE_MAX_BYTES',
  'CACHE_REDIS_MAX_VALUE_BYTES',
  'CACHE_KEY_PREFIX',
  'THROTTLE_LIMIT',
  'THROTTLE_TTL_SECONDS',
  'THROTTLE_SYNC_MS',
];

/**
 * Boots the real application (the same `createApp()` production uses) against a fake GitHub and
 * listens on 127.0.0.1 with a random port, so supertest drives it over real sockets. The
 * environment is set only while the config is read, then restored.
 */
export async function bootApp(options: BootOptions): Promise<NestFastifyApplication> {
  const saved = Object.fromEntries(
    CONFIG_VARIABLES.concat(Object.keys(options.env ?? {})).map((name) => [
      name,
      process.env[name],
    ]),
  );
  try {
    applyEnv({
      ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, undefined])),
      APP_ENV: 'test',
      LOG_LEVEL: 'silent',
      GITHUB_API_URL: options.githubUrl,
      GITHUB_TOKEN: options.token,
      GITHUB_TIMEOUT_MS: String(options.timeoutMs ?? 1000),
      ...options.env,
    });
    const app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    await app.listen(0, '127.0.0.1');
    return app;
  } finally {
    applyEnv(saved);
  }
}

function applyEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
}
