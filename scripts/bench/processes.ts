import { ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNodeFlags } from '../service-command';
import { snapshotBuild as copyBuild } from '../shared/build-snapshot';
import {
  freePort,
  isRunning,
  NodeCommand,
  spawnNode,
  stopChild,
  waitForHealth,
} from '../shared/child-processes';

export const HEALTH_TIMEOUT_MS = 20_000;
const HEALTH_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_BYTES = 4_000;

const ROOT = join(__dirname, '..', '..');
const BARE_SERVER = join(__dirname, 'bare-server.mjs');

/**
 * The only variables a child inherits from the benchmark's environment: none of the app's own
 * settings (REDIS_URL, CACHE_*, THROTTLE_*, NODE_OPTIONS...) may leak in from the developer's
 * shell, whatever variables the app learns to read later.
 */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

let appRoot: string | undefined;

/** Runs every app from a copy of the build in `dir` (see scripts/shared/build-snapshot.ts). */
export async function snapshotBuild(dir: string): Promise<string> {
  appRoot = await copyBuild(dir);
  return appRoot;
}

/** A server process the benchmark started and must stop. */
export interface Server {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Where its stdout went (a file), or undefined for /dev/null. */
  logFile: string | undefined;
  stderrTail: () => string;
}

export interface AppOptions {
  name: string;
  env: Record<string, string>;
  /** File for the app's stdout (its JSON log); undefined sends it to /dev/null. */
  logFile?: string;
}

/**
 * Starts the app as it runs in production (`node <start:prod flags> dist/main.js`) with exactly the
 * given configuration and waits for GET /health.
 */
export async function startApp(options: AppOptions): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...inherited(),
    APP_ENV: 'production',
    ...options.env,
    PORT: String(port),
  };
  if (!appRoot) {
    throw new Error('snapshotBuild() must run before startApp()');
  }
  const server = launch(
    options.name,
    port,
    {
      nodeFlags: serviceNodeFlags(),
      script: join(appRoot, 'dist', 'main.js'),
      cwd: appRoot,
      env,
    },
    options.logFile,
  );
  await waitUntilHealthy(
    server,
    describeEnv(options.env),
    ' Did `nest build` finish? (the app runs from a copy of dist/ taken when the benchmark started)',
  );
  return server;
}

/** Starts the bare node:http server replaying one recorded response (see bare-server.mjs). */
export async function startBareServer(responseFile: string): Promise<Server> {
  const port = await freePort();
  const server = launch(
    'node:http',
    port,
    {
      script: BARE_SERVER,
      args: [responseFile],
      cwd: ROOT,
      env: { ...inherited(), PORT: String(port) },
    },
    undefined,
  );
  await waitUntilHealthy(server, 'bare node:http server', '');
  return server;
}

/** SIGTERM, then SIGKILL if it has not exited after a grace period. */
export async function stopServer(server: Server | undefined): Promise<void> {
  if (!server) {
    return;
  }
  await stopChild(server.child, STOP_GRACE_MS);
}

function launch(
  name: string,
  port: number,
  command: Omit<NodeCommand, 'stdout' | 'stderr'>,
  logFile: string | undefined,
): Server {
  const child = spawnNode({ ...command, stdout: logFile ?? '/dev/null', stderr: 'pipe' });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_TAIL_BYTES);
  });
  return { name, port, url: `http://127.0.0.1:${port}`, child, logFile, stderrTail: () => stderr };
}

async function waitUntilHealthy(server: Server, what: string, hint: string): Promise<void> {
  const { child } = server;
  const health = await waitForHealth(server.url, () => isRunning(child), {
    deadline: performance.now() + HEALTH_TIMEOUT_MS,
    pollMs: HEALTH_POLL_MS,
  });
  if (health.outcome === 'exited') {
    throw new Error(
      `${server.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it became healthy (${what}).` +
        outputOf(server),
    );
  }
  if (health.outcome === 'timed out') {
    await stopServer(server);
    throw new Error(
      `${server.name} did not become healthy within ${HEALTH_TIMEOUT_MS / 1000} s on ${server.url} (${what}); last: ${health.lastProblem}.` +
        hint +
        outputOf(server),
    );
  }
}

function outputOf(server: Server): string {
  let text = '';
  const stderr = server.stderrTail().trim();
  if (stderr) {
    text += `\n--- ${server.name} stderr (tail) ---\n${stderr}`;
  }
  if (server.logFile) {
    try {
      const size = statSync(server.logFile).size;
      const log = readFileSync(server.logFile, 'utf8').slice(-OUTPUT_TAIL_BYTES).trim();
      if (size > 0) {
        text += `\n--- ${server.name} stdout (${server.logFile}, tail) ---\n${log}`;
      }
    } catch {
      // No log file yet: nothing to show.
    }
  }
  return text;
}

function inherited(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) {
      env[name] = value;
    }
  }
  return env;
}

function describeEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => `${name}=${name === 'GITHUB_TOKEN' ? '[set]' : value}`)
    .join(' ');
}
