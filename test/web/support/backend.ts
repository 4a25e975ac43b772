import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotBuild } from '../../../scripts/shared/build-snapshot';
import {
  freePort,
  spawnNode,
  stopChild,
  waitForHealth,
} from '../../../scripts/shared/child-processes';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

let snapshot: Promise<string> | undefined;

/** A copy of the build, page included, made once per run (scripts/shared/build-snapshot.ts). */
function buildSnapshot(): Promise<string> {
  if (!snapshot) {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-build-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    snapshot = snapshotBuild(dir, { web: true });
  }
  return snapshot;
}

export interface Backend {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What the process wrote so far (JSON log lines), for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real backend as production runs it (`node dist/main.js`, the built page beside it, from a
 * snapshot of the build) in a child process, pointed at a fake GitHub. Its environment is built
 * from nothing, so a developer's GITHUB_TOKEN or REDIS_URL cannot leak in; the cache lives in memory
 * and history in an embedded store under a temporary DATA_DIR, removed on stop.
 */
export async function startBackend(
  githubUrl: string,
  env: Record<string, string> = {},
): Promise<Backend> {
  const root = await buildSnapshot();
  const port = await freePort();
  // History's embedded store (PGlite), one per backend: it holds its directory for itself.
  const dataDir = mkdtempSync(join(tmpdir(), 'dashboard-data-'));
  const child = spawnNode({
    script: join(root, 'dist', 'main.js'),
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      GITHUB_API_URL: githubUrl,
      GITHUB_TIMEOUT_MS: '2000',
      DATA_DIR: dataDir,
      ...env,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child, 5_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const health = await waitForHealth(url, () => child.exitCode === null, {
    deadline: performance.now() + 20_000,
    pollMs: 100,
  });
  if (health.outcome !== 'healthy') {
    await stop();
    throw new Error(`the backend did not become healthy (${JSON.stringify(health)})\n${output}`);
  }
  return { url, output: () => output, stop };
}
