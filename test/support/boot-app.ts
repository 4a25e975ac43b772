import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, listen } from '../../src/app.setup';
import { CONFIG_VARIABLES } from '../../src/config/configuration';

export interface BootOptions {
  /** Where the app finds GitHub: the fake's `url`. */
  githubUrl: string;
  /** Sets `GITHUB_TOKEN`; without it the variable is removed, whatever the shell had. */
  token?: string;
  /**
   * `GITHUB_TIMEOUT_MS`, 5 s unless told. Tests about timeouts set their own, small one; the
   * default only has to outlast a slow page: with other suites busy on both cores, one of a
   * 1,234-repository account's 13 pages once took over the 1 s this used to be (a 504 in CI).
   */
  timeoutMs?: number;
  /** Any other variables (`undefined` removes one). */
  env?: Record<string, string | undefined>;
}

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
      GITHUB_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
      // History needs a database (the embedded one weighs ~130 MB): only the files about it turn it on.
      HISTORY_ENABLED: 'false',
      // Every file is one client (127.0.0.1) that makes hundreds of GitHub requests, and many ask
      // for no-cache twice within seconds: the files about these limits set their own values.
      CLIENT_UPSTREAM_LIMIT: '100000',
      CACHE_MIN_REVALIDATE_S: '0',
      ...options.env,
    });
    const app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    await listen(app, 0, '127.0.0.1');
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
