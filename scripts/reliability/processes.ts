import { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from '../service-command';
import { snapshotBuild as copyBuild } from '../shared/build-snapshot';
import {
  freePort,
  isRunning,
  procStatusMiB,
  spawnNode,
  stopChild,
  waitForHealth,
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

export interface App {
  name: string;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** stdout and stderr of the app. */
  logFiles: string[];
  /** Milliseconds from spawn to the first `GET /health` 200. */
  readyMs: number;
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
  const port = await freePort();
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
    env,
    { PORT: String(port), GITHUB_API_URL: githubUrl },
  );
  const logFiles = ['stdout', 'stderr'].map((stream) => join(logDir!, `${name}.${stream}.log`));
  const spawnedAt = performance.now();
  const child = spawnNode({
    nodeFlags: serviceNodeFlags(),
    script: join(root, 'dist', 'main.js'),
    cwd: root,
    env: childEnv,
    stdout: logFiles[0],
    stderr: logFiles[1],
  });
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? -1;
  const app: App = { name, port, url, pid, child, logFiles, readyMs: 0, exited };
  const health = await waitForHealth(url, () => isAlive(app), {
    deadline: spawnedAt + HEALTH_TIMEOUT_MS,
    pollMs: 10,
  });
  if (health.outcome === 'exited') {
    throw new Error(`${name} exited before it became healthy${tailOf(app)}`);
  }
  if (health.outcome === 'timed out') {
    child.kill('SIGKILL');
    throw new Error(
      `${name} was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${health.lastProblem})${tailOf(app)}`,
    );
  }
  app.readyMs = Math.round(performance.now() - spawnedAt);
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
  let text = '';
  for (const file of app.logFiles) {
    try {
      const content = readFileSync(file, 'utf8').trim();
      if (content) {
        text += `\n--- ${file} (tail) ---\n${content.slice(-chars)}`;
      }
    } catch {
      // Not written yet.
    }
  }
  return text;
}

/** A private redis-server (scripts/shared/redis-server.ts), its output in the logs. */
export function startRedis(): Promise<PrivateRedis> {
  appDirectory();
  return PrivateRedis.start(join(logDir!, 'redis.log'));
}
