import { ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serviceNodeFlags } from '../service-command';
import {
  freePort,
  isRunning,
  spawnNode,
  stopChild,
  waitForHealth,
} from '../shared/child-processes';

const ROOT = join(__dirname, '..', '..');
const CHILD_GUARD = join(__dirname, 'child-guard.cjs');
const HEALTH_TIMEOUT_MS = 20_000;
const HEALTH_POLL_MS = 10;
const STOP_GRACE_MS = 12_000;

/** Variables the app's configuration reads: none may leak in from the caller's shell. */
const APP_VARIABLES =
  /^(PORT|APP_ENV|APP_VERSION|LOG_LEVEL|NODE_ENV|GITHUB_.*|REDIS_URL|CACHE_.*|CORS_ORIGINS|THROTTLE_.*|SHUTDOWN_.*)$/;

/** The fake token every app runs with: recognisable, so the secrets check can look for it. */
export const SECRET_TOKEN = 'ghp_RELIABILITYSECRET0123456789abcdef';

let appRoot: string | undefined;
let logDir: string | undefined;

/**
 * Copies dist/ and package.json into `dir` (node_modules linked) and runs every app from there:
 * a concurrent `nest build` (it empties dist/ first) cannot pull files from under a running suite.
 */
export async function snapshotBuild(dir: string): Promise<void> {
  const dist = join(ROOT, 'dist');
  const root = join(dir, 'app');
  // A build that starts while we copy would leave a mixed copy: copy again until none did.
  for (let attempt = 1; ; attempt++) {
    await awaitQuietBuild(dist);
    const copyStarted = Date.now();
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(dist, join(root, 'dist'), { recursive: true });
    if (existsSync(join(dist, 'main.js')) && newestChange(dist) < copyStarted) {
      break;
    }
    if (attempt >= 5) {
      throw new Error('dist/ kept changing while it was being copied (a concurrent `nest build`?)');
    }
  }
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  appRoot = root;
  logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
}

/**
 * Waits until dist/ holds a finished build: main.js present and nothing written for 2 s. Others
 * may run `nest build` at the same time (it empties dist/ and writes it anew); copying a
 * half-written build would start an app that cannot boot.
 */
async function awaitQuietBuild(dist: string): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const newest = existsSync(join(dist, 'main.js')) ? newestChange(dist) : undefined;
    if (newest !== undefined && Date.now() - newest > 2_000) {
      return;
    }
    if (performance.now() > deadline) {
      throw new Error(
        'dist/ holds no finished build (dist/main.js missing or still being written after 120 s): run `nest build` first (npm run test:reliability does)',
      );
    }
    await sleep(500);
  }
}

function newestChange(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function appDirectory(): string {
  if (!appRoot) {
    throw new Error('snapshotBuild() must run first');
  }
  return appRoot;
}

/** A process the suite started; `exited` settles when it is gone. */
interface Tracked {
  child: ChildProcess;
  /** redis-server's own pid, when `child` is its guard. */
  innerPid?: number;
}
const running = new Set<Tracked>();

/** Kills everything still running, synchronously: for exit and signal handlers. */
export function killAllNow(): void {
  for (const tracked of running) {
    if (tracked.innerPid !== undefined) {
      try {
        process.kill(tracked.innerPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (isRunning(tracked.child)) {
      tracked.child.kill('SIGKILL');
    }
  }
  running.clear();
}

export function runningCount(): number {
  return [...running].filter((t) => isRunning(t.child)).length;
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
 * Starts `node <start:prod flags> dist/main.js` (as in production) against `githubUrl` (the fake: an app of this suite never reaches
 * api.github.com) with APP_ENV=production, LOG_LEVEL=info, the fake token and a generous
 * THROTTLE_LIMIT unless `env` says otherwise, and waits for `GET /health` 200.
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
    {
      APP_ENV: 'production',
      LOG_LEVEL: 'info',
      GITHUB_TOKEN: SECRET_TOKEN,
      THROTTLE_LIMIT: '1000000',
    },
    env,
    { PORT: String(port), GITHUB_API_URL: githubUrl },
  );
  const outFile = join(logDir ?? root, `${name}.stdout.log`);
  const errFile = join(logDir ?? root, `${name}.stderr.log`);
  const spawnedAt = performance.now();
  const child = spawnNode({
    nodeFlags: serviceNodeFlags(),
    script: join(root, 'dist', 'main.js'),
    cwd: root,
    env: childEnv,
    stdout: outFile,
    stderr: errFile,
  });
  const tracked: Tracked = { child };
  running.add(tracked);
  const exited = new Promise<ExitInfo>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(tracked);
      resolve({ code, signal });
    }),
  );
  const app: App = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    child,
    logFiles: [outFile, errFile],
    readyMs: 0,
    exited,
  };
  const health = await waitForHealth(app.url, () => isAlive(app), {
    deadline: spawnedAt + HEALTH_TIMEOUT_MS,
    pollMs: HEALTH_POLL_MS,
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
  if (isAlive(app)) {
    await stopChild(app.child, graceMs);
  }
  const info = await app.exited;
  return { ...info, ms: Math.round(performance.now() - started) };
}

export function isAlive(app: App): boolean {
  if (!isRunning(app.child)) {
    return false;
  }
  try {
    process.kill(app.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident set size of a process in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) {
    throw new Error(`no VmRSS in /proc/${pid}/status`);
  }
  return Math.round((Number(match[1]) / 1024) * 10) / 10;
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

export interface Redis {
  port: number;
  url: string;
  /** redis-server's pid (not its guard's). */
  pid: number;
  guard: ChildProcess;
  exited: Promise<ExitInfo>;
}

/** A private redis-server on 127.0.0.1:`port`, no persistence, under a guard; waits for PONG. */
export async function startRedis(port: number): Promise<Redis> {
  const out = openSync(join(logDir ?? appDirectory(), `redis-${port}.log`), 'a');
  let guard: ChildProcess;
  try {
    guard = spawn(
      process.execPath,
      [
        CHILD_GUARD,
        'redis-server',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      { stdio: ['ignore', out, out, 'ipc'] },
    );
  } finally {
    closeSync(out);
  }
  const tracked: Tracked = { child: guard };
  running.add(tracked);
  const exited = new Promise<ExitInfo>((resolve) =>
    guard.once('exit', (code, signal) => {
      running.delete(tracked);
      resolve({ code, signal });
    }),
  );
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('redis-server did not start within 5 s')),
      5_000,
    );
    guard.once('message', (message: { pid?: number; error?: string }) => {
      clearTimeout(timer);
      if (message.pid) {
        resolve(message.pid);
      } else {
        reject(new Error(`redis-server could not start: ${message.error ?? 'unknown'}`));
      }
    });
  });
  tracked.innerPid = pid;
  const deadline = performance.now() + 5_000;
  while (!(await redisPong(port))) {
    if (performance.now() > deadline) {
      killAllNow();
      throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
    }
    await sleep(50);
  }
  return { port, url: `redis://127.0.0.1:${port}`, pid, guard, exited };
}

/** A crash, not a shutdown: SIGKILL to redis-server itself; its guard exits with it. */
export async function killRedis(redis: Redis): Promise<void> {
  try {
    process.kill(redis.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await Promise.race([redis.exited, sleep(5_000)]);
}

async function redisPong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) {
        done(data.startsWith('+PONG'));
      }
    });
    socket.on('error', () => done(false));
  });
}
