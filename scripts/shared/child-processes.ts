/**
 * Starting, watching and stopping the child processes of the benchmark, the reliability suite, the
 * delivery tests and the test helpers. Each caller keeps its own environment, limits and wording.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendRequest } from './http-request';

const EXIT_WITH_PARENT = join(__dirname, 'exit-with-parent.cjs');

/** A port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  return address.port;
}

export interface NodeCommand {
  /** The node binary: this process's unless told. */
  node?: string;
  /** Node's own flags, ahead of the preload (for the app: serviceNodeFlags()). */
  nodeFlags?: string[];
  script: string;
  args?: string[];
  cwd: string;
  /** The child's whole environment: it inherits nothing else. */
  env: Record<string, string>;
  /** A file the output is appended to ('/dev/null' drops it), or 'pipe' to read `child.stdout`. */
  stdout: string;
  stderr: string;
}

/** Every child spawnNode started that has not exited, with the pid of the program a guard runs. */
const live = new Map<ChildProcess, number | undefined>();

/**
 * Spawns `node <nodeFlags> --require exit-with-parent.cjs <script> <args>` with an IPC channel to
 * this process, so the child ends itself when this process is gone, even after a SIGKILL.
 */
export function spawnNode(command: NodeCommand): ChildProcess {
  const open = (target: string): number | 'pipe' =>
    target === 'pipe' ? 'pipe' : openSync(target, 'a');
  const out = open(command.stdout);
  const err = open(command.stderr);
  try {
    const child = spawn(
      command.node ?? process.execPath,
      [
        ...(command.nodeFlags ?? []),
        '--require',
        EXIT_WITH_PARENT,
        command.script,
        ...(command.args ?? []),
      ],
      { cwd: command.cwd, env: command.env, stdio: ['ignore', out, err, 'ipc'] },
    );
    live.set(child, undefined);
    child.once('exit', () => live.delete(child));
    return child;
  } finally {
    // The child holds its own copies of the descriptors.
    for (const fd of [out, err]) {
      if (typeof fd === 'number') {
        closeSync(fd);
      }
    }
  }
}

/** Records the pid of the program `guard` runs, so killAllNow() kills it too. */
export function trackGuarded(guard: ChildProcess, pid: number): void {
  if (live.has(guard)) {
    live.set(guard, pid);
  }
}

/** How many children spawnNode started are still running. */
export function runningCount(): number {
  return [...live.keys()].filter(isRunning).length;
}

/** SIGKILLs every child still running, synchronously: for exit and signal handlers. */
export function killAllNow(): void {
  for (const [child, guarded] of live) {
    if (guarded !== undefined) {
      try {
        process.kill(guarded, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (isRunning(child)) {
      child.kill('SIGKILL');
    }
  }
  live.clear();
}

/** Neither exited nor killed by a signal (as far as this process has heard). */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** How a wait for `GET /health` 200 ended. */
export type HealthWait =
  { outcome: 'healthy' } | { outcome: 'exited' } | { outcome: 'timed out'; lastProblem: string };

/**
 * Asks `GET <url>/health` every `pollMs` until it answers 200, `alive()` turns false or the
 * `deadline` (a `performance.now()` time) passes, and says which.
 */
export async function waitForHealth(
  url: string,
  alive: () => boolean,
  timing: { deadline: number; pollMs: number },
): Promise<HealthWait> {
  let lastProblem = 'no answer yet';
  while (performance.now() < timing.deadline) {
    if (!alive()) {
      return { outcome: 'exited' };
    }
    try {
      const { status } = await sendRequest(`${url}/health`, { timeoutMs: 1_000 });
      if (status === 200) {
        return { outcome: 'healthy' };
      }
      lastProblem = `GET /health answered ${status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(timing.pollMs);
  }
  return { outcome: 'timed out', lastProblem };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!isRunning(child)) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, RssAnon...) in MiB, one decimal; undefined once the process is gone. */
export function procStatusMiB(pid: number, field: string): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** A server spawnNode started and saw healthy. */
export interface StartedServer {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  pid: number;
  /** Milliseconds from spawn to the first `GET /health` 200. */
  readyMs: number;
  /** Where its stdout and stderr go ('/dev/null' for none). */
  logFiles: [string, string];
}

/**
 * Spawns a Node server with PORT set to a free port (see spawnNode) and waits for `GET /health`
 * 200. When it exits first or is not healthy in time it is killed, and the error names `what` and
 * carries `hint` and the tail of its output.
 */
export async function startServer(
  name: string,
  command: Omit<NodeCommand, 'stdout' | 'stderr'> & { logFiles: [string, string] },
  timing: { timeoutMs: number; pollMs: number; what?: string; hint?: string },
): Promise<StartedServer> {
  const port = await freePort();
  const [stdout, stderr] = command.logFiles;
  const spawnedAt = performance.now();
  const child = spawnNode({
    ...command,
    env: { ...command.env, PORT: String(port) },
    stdout,
    stderr,
  });
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? -1;
  const server = { name, port, url, child, pid, readyMs: 0, logFiles: command.logFiles };
  const health = await waitForHealth(url, () => isRunning(child), {
    deadline: spawnedAt + timing.timeoutMs,
    pollMs: timing.pollMs,
  });
  if (health.outcome !== 'healthy') {
    child.kill('SIGKILL');
    const what = timing.what ? ` (${timing.what})` : '';
    throw new Error(
      (health.outcome === 'exited'
        ? `${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it became healthy${what}`
        : `${name} was not healthy within ${timing.timeoutMs / 1000} s on ${url}${what}; last: ${health.lastProblem}`) +
        (timing.hint ?? '') +
        outputTail(server),
    );
  }
  server.readyMs = Math.round(performance.now() - spawnedAt);
  return server;
}

/** The last `chars` of each of a server's log files, for failure messages. */
export function outputTail(server: Pick<StartedServer, 'logFiles'>, chars = 4_000): string {
  let text = '';
  for (const file of new Set(server.logFiles)) {
    try {
      const content = file === '/dev/null' ? '' : readFileSync(file, 'utf8').trim();
      if (content) {
        text += `\n--- ${file} (tail) ---\n${content.slice(-chars)}`;
      }
    } catch {
      // Not written yet.
    }
  }
  return text;
}
