/**
 * Starting, watching and stopping the servers the benchmark (scripts/bench) and the reliability
 * suite (scripts/reliability) run as child processes. What each suite hands a child (environment,
 * log files), its time limits and how it words a failure stay with the suite.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendRequest } from './http-request';

const EXIT_WITH_PARENT = join(__dirname, 'exit-with-parent.cjs');
const HEALTH_PATH = '/health';
const HEALTH_REQUEST_TIMEOUT_MS = 1_000;

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
  /** Node's own flags, ahead of the preload (for the app: serviceNodeFlags()). */
  nodeFlags?: string[];
  script: string;
  args?: string[];
  cwd: string;
  /** The child's whole environment: it inherits nothing else. */
  env: Record<string, string>;
  /** File the child's stdout is appended to ('/dev/null' drops it). */
  stdout: string;
  /** File the child's stderr is appended to, or 'pipe' to read it from `child.stderr`. */
  stderr: string;
}

/**
 * Spawns `node <nodeFlags> --require exit-with-parent.cjs <script> <args>` with an IPC channel to
 * this process, so the child ends itself when this process is gone, even after a SIGKILL.
 */
export function spawnNode(command: NodeCommand): ChildProcess {
  const out = openSync(command.stdout, 'a');
  const err = command.stderr === 'pipe' ? 'pipe' : openSync(command.stderr, 'a');
  try {
    return spawn(
      process.execPath,
      [
        ...(command.nodeFlags ?? []),
        '--require',
        EXIT_WITH_PARENT,
        command.script,
        ...(command.args ?? []),
      ],
      { cwd: command.cwd, env: command.env, stdio: ['ignore', out, err, 'ipc'] },
    );
  } finally {
    // The child holds its own copies of the descriptors.
    closeSync(out);
    if (typeof err === 'number') {
      closeSync(err);
    }
  }
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
 * `deadline` (a `performance.now()` time) passes, and says which; the caller decides what a failure
 * means and how to report it.
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
      const { status } = await sendRequest(url + HEALTH_PATH, {
        timeoutMs: HEALTH_REQUEST_TIMEOUT_MS,
      });
      if (status === 200) {
        return { outcome: 'healthy' };
      }
      lastProblem = `GET ${HEALTH_PATH} answered ${status}`;
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
