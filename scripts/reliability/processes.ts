import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from '../service-command';
import { snapshotBuild as copyBuild } from '../shared/build-snapshot';
import {
  isRunning,
  outputTail,
  procStatusMiB,
  StartedServer,
  startServer,
  stopChild,
} from '../shared/child-processes';
import { PrivateRedis } from '../shared/redis-server';

const HEALTH_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 12_000;

/** Variables the app's configuration reads: none may leak in from the caller's shell. */
const APP_VARIABLES =
  /^(PORT|APP_ENV|APP_VERSION|LOG_LEVEL|NODE_ENV|GITHUB_.*|REDIS_URL|CACHE_.*|CORS_ORIGINS|THROTTLE_.*|SHUTDOWN_.*)$/;

/** The fake token every app runs with: recognisable, so the secrets check can look for it. */
export const SECRET_TOKEN = 'ghp_RELIABILITYSECRET0123456789abcdef';

let appRoot: string | undefined;
let logDir: string | undefined;

/** Runs every app from a copy of the build in `dir` (see scripts/shared/build-snapshot.ts). */
export async function snapshotBuild(dir: string): Promise<void> {
  appRoot = await copyBuild(dir);
  logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
}

export function appDirectory(): string {
  if (!appRoot || !logDir) {
    throw new Error('snapshotBuild() must run first');
  }
  return appRoot;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface App extends StartedServer {
  exited: Promise<ExitInfo>;
}

/** Every app started in this run, for the secrets scan and the start-up figures. */
export const startedApps: App[] = [];

/**
 * Starts `node <start:prod flags> dist/main.js` against `githubUrl` (the fake: an app of this
 * suite never reaches api.github.com) with APP_ENV=production, LOG_LEVEL=info, the fake token and
 * a generous THROTTLE_LIMIT unless `env` says otherwise, and waits for `GET /health` 200.
 */
export async function startApp(
  name: string,
  githubUrl: string,
  env: Record<string, string> = {},
): Promise<App> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(githubUrl)) {
    throw new Error(`${name}: GITHUB_API_URL must be the fake on 127.0.0.1, got ${githubUrl}`);
  }
  const root = appDirectory();
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !APP_VARIABLES.test(key)) {
      childEnv[key] = value;
    }
  }
  Object.assign(
    childEnv,
    { APP_ENV: 'production', LOG_LEVEL: 'info', GITHUB_TOKEN: SECRET_TOKEN },
    { THROTTLE_LIMIT: '1000000' },
    // History off unless a scenario turns it on: the replicas would share one embedded store
    // (one process per directory), and production runs history on PostgreSQL, which costs the
    // process about 1 MiB (docs/history.md).
    { HISTORY_ENABLED: 'false' },
    env,
    { GITHUB_API_URL: githubUrl },
  );
  const log = (stream: string): string => join(logDir!, `${name}.${stream}.log`);
  const server = await startServer(
    name,
    {
      nodeFlags: serviceNodeFlags(),
      script: join(root, 'dist', 'main.js'),
      cwd: root,
      env: childEnv,
      logFiles: [log('stdout'), log('stderr')],
    },
    { timeoutMs: HEALTH_TIMEOUT_MS, pollMs: 10 },
  );
  const { child } = server;
  const exited = new Promise<ExitInfo>((resolve) => {
    if (isRunning(child)) {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    } else {
      resolve({ code: child.exitCode, signal: child.signalCode });
    }
  });
  const app = { ...server, exited };
  startedApps.push(app);
  return app;
}

/** SIGTERM, then SIGKILL after a grace period; resolves with how it ended and how long it took. */
export async function stopApp(
  app: App | undefined,
  graceMs = STOP_GRACE_MS,
): Promise<(ExitInfo & { ms: number }) | undefined> {
  if (!app) {
    return undefined;
  }
  const started = performance.now();
  await stopChild(app.child, graceMs);
  const info = await app.exited;
  return { ...info, ms: Math.round(performance.now() - started) };
}

export function isAlive(app: App): boolean {
  return isRunning(app.child) && procStatusMiB(app.pid, 'VmRSS') !== undefined;
}

/** Resident set size of a process in MiB. */
export function rssMb(pid: number): number {
  const mib = procStatusMiB(pid, 'VmRSS');
  if (mib === undefined) {
    throw new Error(`no VmRSS in /proc/${pid}/status`);
  }
  return mib;
}

/** The last lines of an app's output, for failure messages. */
export function tailOf(app: App, chars = 1_500): string {
  return outputTail(app, chars);
}

/** A private redis-server (scripts/shared/redis-server.ts), its output in the logs. */
export function startRedis(): Promise<PrivateRedis> {
  appDirectory();
  return PrivateRedis.start(join(logDir!, 'redis.log'));
}
