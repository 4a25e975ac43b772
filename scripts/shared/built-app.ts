/**
 * The built service as production starts it (`node <start:prod flags> dist/main.js`), run from a
 * snapshot of the build, for the benchmark and the reliability suite. Each caller adds its own
 * configuration; the app inherits nothing else.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from '../service-command';
import { snapshotBuild } from './build-snapshot';
import { isRunning, StartedServer, startServer, stopChild } from './child-processes';

/**
 * The only variables an app or helper server inherits from the caller: none of the app's own
 * settings (GITHUB_*, REDIS_URL, CACHE_*, THROTTLE_*, NODE_OPTIONS...) may leak in from a shell.
 */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface App extends StartedServer {
  exited: Promise<ExitInfo>;
}

let appRoot: string | undefined;
let logDir: string | undefined;

/** Copies the build into `dir` (build-snapshot.ts): every app runs from it, its logs in dir/logs. */
export async function snapshotApp(dir: string): Promise<string> {
  appRoot = await snapshotBuild(dir);
  logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  return appRoot;
}

/** Where the apps run from: the copy of the build. */
export function appDirectory(): string {
  if (!appRoot) {
    throw new Error('snapshotApp() must run first');
  }
  return appRoot;
}

/** A file in the run's log folder. */
export function logPath(file: string): string {
  if (!logDir) {
    throw new Error('snapshotApp() must run first');
  }
  return join(logDir, file);
}

export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    INHERITED.flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

/**
 * Starts the app with APP_ENV=production, history off and `env`, its stdout in logs/<name>.stdout.log
 * unless told ('/dev/null' drops it), and waits for GET /health 200 (polled every `pollMs`).
 */
export async function startBuiltApp(
  name: string,
  env: Record<string, string>,
  options: { stdout?: string; pollMs?: number } = {},
): Promise<App> {
  if (!appRoot) {
    throw new Error('snapshotApp() must run before startBuiltApp()');
  }
  const described = Object.entries(env)
    .map(([key, value]) => `${key}=${key === 'GITHUB_TOKEN' ? '[set]' : value}`)
    .join(' ');
  const server = await startServer(
    name,
    {
      nodeFlags: serviceNodeFlags(),
      script: join(appRoot, 'dist', 'main.js'),
      cwd: appRoot,
      // History off: production runs it on PostgreSQL (about 1 MiB, docs/history.md); the
      // embedded store would add its own ~50-145 MiB to every memory figure, and replicas would
      // share one store (one process per directory).
      env: { ...inheritedEnv(), APP_ENV: 'production', HISTORY_ENABLED: 'false', ...env },
      logFiles: [options.stdout ?? logPath(`${name}.stdout.log`), logPath(`${name}.stderr.log`)],
    },
    {
      timeoutMs: 20_000,
      pollMs: options.pollMs ?? 10,
      what: described,
      hint: ' Did `nest build` finish? (apps run from a copy of dist/ taken when the run started)',
    },
  );
  return watchExit(server);
}

/** The server, with a promise of how it ends. */
export function watchExit(server: StartedServer): App {
  const { child } = server;
  const exited = new Promise<ExitInfo>((resolve) => {
    if (isRunning(child)) {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    } else {
      resolve({ code: child.exitCode, signal: child.signalCode });
    }
  });
  return { ...server, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended and how long it took. */
export async function stopBuiltApp(
  app: App | undefined,
  graceMs: number,
): Promise<(ExitInfo & { ms: number }) | undefined> {
  if (!app) {
    return undefined;
  }
  const started = performance.now();
  await stopChild(app.child, graceMs);
  return { ...(await app.exited), ms: Math.round(performance.now() - started) };
}
