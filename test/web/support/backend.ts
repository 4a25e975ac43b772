import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

let snapshot: string | undefined;

/**
 * A copy of the build (dist/, web/dist/ and package.json, node_modules linked) in a temporary
 * folder, made once per run: a `nest build` elsewhere in the work tree (it empties dist/ first)
 * cannot pull files from under the running tests. The layout is the repository's, so the app
 * finds its page and its packages as it would.
 */
function buildSnapshot(): string {
  if (snapshot) {
    return snapshot;
  }
  for (const file of ['dist/main.js', 'web/dist/index.html']) {
    if (!existsSync(join(REPO_ROOT, file))) {
      throw new Error(`${file} is missing: run npm run build first`);
    }
  }
  const root = mkdtempSync(join(tmpdir(), 'dashboard-build-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  cpSync(join(REPO_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'web'));
  cpSync(join(REPO_ROOT, 'web', 'dist'), join(root, 'web', 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  snapshot = root;
  return root;
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
 * snapshot of the build) in a child process, pointed at a fake GitHub. Its environment is built from nothing, so a developer's
 * GITHUB_TOKEN or REDIS_URL cannot leak in; the cache lives in memory.
 */
export async function startBackend(
  githubUrl: string,
  env: Record<string, string> = {},
): Promise<Backend> {
  const root = buildSnapshot();
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      APP_ENV: 'test',
      LOG_LEVEL: 'warn',
      GITHUB_API_URL: githubUrl,
      GITHUB_TIMEOUT_MS: '2000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, child);
  } catch (error) {
    await stop(child);
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop: () => stop(child) };
}

async function waitUntilHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the backend exited with code ${child.exitCode}`);
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the backend did not become healthy within 20 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A port the OS just handed out; the backend takes it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
