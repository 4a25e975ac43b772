import { isRunning, outputTail, procStatusMiB } from '../shared/child-processes';
import { App, ExitInfo, logPath, startBuiltApp, stopBuiltApp } from '../shared/built-app';
import { get } from './http-client';
import { say } from './report';
import { PrivateRedis } from '../shared/redis-server';

export type { App } from '../shared/built-app';

/** The fake token every app runs with: recognisable, so the secrets check can look for it. */
export const SECRET_TOKEN = 'ghp_RELIABILITYSECRET0123456789abcdef';

/** Every app started in this run, for the secrets scan and the start-up figures. */
export const startedApps: App[] = [];

/**
 * Starts the app against `githubUrl` (the fake: an app of this suite never reaches api.github.com)
 * with LOG_LEVEL=info, the fake token, a generous THROTTLE_LIMIT, CLIENT_UPSTREAM_LIMIT and
 * GITHUB_MAX_REQUESTS_PER_MINUTE (the suite is one client, 127.0.0.1, reading thousands of pages)
 * and CACHE_MIN_REVALIDATE_S=0 unless `env` says otherwise: the abuse part sets its own.
 */
export async function startApp(
  name: string,
  githubUrl: string,
  env: Record<string, string> = {},
): Promise<App> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(githubUrl)) {
    throw new Error(`${name}: GITHUB_API_URL must be the fake on 127.0.0.1, got ${githubUrl}`);
  }
  const app = await startBuiltApp(name, {
    LOG_LEVEL: 'info',
    GITHUB_TOKEN: SECRET_TOKEN,
    THROTTLE_LIMIT: '1000000',
    CLIENT_UPSTREAM_LIMIT: '100000',
    // The fake GitHub has no secondary limit, and the load and large-accounts parts read thousands
    // of pages a minute; faults revalidate with no-cache at once. The abuse part sets its own.
    GITHUB_MAX_REQUESTS_PER_MINUTE: '1000000',
    CACHE_MIN_REVALIDATE_S: '0',
    ...env,
    GITHUB_API_URL: githubUrl,
  });
  startedApps.push(app);
  return app;
}

/** SIGTERM, then SIGKILL after 12 s, with a note when it did not end cleanly; how it ended. */
export async function stopApp(app: App | undefined): Promise<ExitInfo | undefined> {
  const stopped = await stopBuiltApp(app, 12_000);
  if (stopped && (stopped.code !== 0 || stopped.signal)) {
    say(`   note: the ${app!.name} app ended with code ${stopped.code}, signal ${stopped.signal}`);
  }
  return stopped;
}

/** The status of GET /health, 0 when the app is gone. */
export async function healthOf(app: App): Promise<number> {
  return isAlive(app) ? (await get(`${app.url}/health`)).status : 0;
}

export function isAlive(app: App): boolean {
  return isRunning(app.child) && procStatusMiB(app.pid, 'VmRSS') !== undefined;
}

/** Resident set size of a process in MiB; undefined once it is gone. */
export const rssMb = (pid: number): number | undefined => procStatusMiB(pid, 'VmRSS');

/** The last lines of an app's output, for failure messages. */
export const tailOf = (app: App, chars = 1_500): string => outputTail(app, chars);

/** A private redis-server (scripts/shared/redis-server.ts), its output in the logs. */
export const startRedis = (): Promise<PrivateRedis> => PrivateRedis.start(logPath('redis.log'));
