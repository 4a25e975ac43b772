import { join } from 'node:path';
import { serviceNodeFlags } from '../service-command';
import { snapshotBuild as copyBuild } from '../shared/build-snapshot';
import { StartedServer, startServer, stopChild } from '../shared/child-processes';

const ROOT = join(__dirname, '..', '..');
const BARE_SERVER = join(__dirname, 'bare-server.mjs');
const HEALTH = { timeoutMs: 20_000, pollMs: 100 };

/**
 * The only variables a child inherits from the benchmark's environment: none of the app's own
 * settings (REDIS_URL, CACHE_*, THROTTLE_*, NODE_OPTIONS...) may leak in from the developer's shell.
 */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

let workDir: string | undefined;
let appRoot: string | undefined;

/** Runs every app from a copy of the build in `dir` (see scripts/shared/build-snapshot.ts). */
export async function snapshotBuild(dir: string): Promise<string> {
  appRoot = await copyBuild(dir);
  workDir = dir;
  return appRoot;
}

export type Server = StartedServer;

export interface AppOptions {
  name: string;
  env: Record<string, string>;
  /** File for the app's stdout (its JSON log); undefined sends it to /dev/null. */
  logFile?: string;
}

/**
 * Starts the app as it runs in production (`node <start:prod flags> dist/main.js`) with exactly the
 * given configuration (APP_ENV=production unless told) and waits for GET /health.
 */
export async function startApp(options: AppOptions): Promise<Server> {
  if (!appRoot || !workDir) {
    throw new Error('snapshotBuild() must run before startApp()');
  }
  const described = Object.entries(options.env)
    .map(([name, value]) => `${name}=${name === 'GITHUB_TOKEN' ? '[set]' : value}`)
    .join(' ');
  return startServer(
    options.name,
    {
      nodeFlags: serviceNodeFlags(),
      script: join(appRoot, 'dist', 'main.js'),
      cwd: appRoot,
      // History off: production runs it on PostgreSQL (about 1 MiB, docs/history.md); the
      // embedded store would add its own ~50-145 MiB to every memory figure here.
      env: { ...inherited(), APP_ENV: 'production', HISTORY_ENABLED: 'false', ...options.env },
      logFiles: [options.logFile ?? '/dev/null', join(workDir, `${options.name}.stderr.log`)],
    },
    {
      ...HEALTH,
      what: described,
      hint: ' Did `nest build` finish? (the app runs from a copy of dist/ taken when the benchmark started)',
    },
  );
}

/** Starts the bare node:http server replaying one recorded response (see bare-server.mjs). */
export function startBareServer(responseFile: string): Promise<Server> {
  return startServer(
    'node:http',
    {
      script: BARE_SERVER,
      args: [responseFile],
      cwd: ROOT,
      env: inherited(),
      logFiles: ['/dev/null', join(workDir ?? ROOT, 'bare-server.stderr.log')],
    },
    { ...HEALTH, what: 'bare node:http server' },
  );
}

/** SIGTERM, then SIGKILL if it has not exited after 5 s. */
export async function stopServer(server: Server | undefined): Promise<void> {
  if (server) {
    await stopChild(server.child, 5_000);
  }
}

function inherited(): Record<string, string> {
  return Object.fromEntries(
    INHERITED.flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
}
