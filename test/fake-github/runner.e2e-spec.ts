import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { rawGet } from '../support/raw-get';

const ROOT = join(__dirname, '..', '..');
const MAIN = 'test/fake-github/main.ts';

/** Started as scripts/delivery/container-test.sh starts it: `node --import tsx`. */
function startRunner(args: string[]): ChildProcess {
  const env = { ...process.env };
  // Jest's own flags (vm modules) have no business in the child.
  delete env.NODE_OPTIONS;
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

describe('test/fake-github/main.ts', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    child = undefined;
  });

  it('should print its URL, serve the given users and stop cleanly on SIGTERM', async () => {
    child = startRunner([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--users',
      'octocat:1234,ghost:0',
      '--latency-ms',
      '5',
    ]);
    let stdout = '';

    const url = await firstLine(child);
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const repos = await rawGet(url, '/users/octocat/repos?per_page=100', {
      'user-agent': 'runner-e2e',
    });
    const ghost = await rawGet(url, '/users/ghost/repos', { 'user-agent': 'runner-e2e' });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(repos.status).toBe(200);
    expect(repos.headers.link).toContain('page=13>; rel="last"');
    expect(JSON.parse(ghost.text)).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
  }, 20_000);

  it('should refuse bad arguments with exit code 2 and the usage', async () => {
    child = startRunner(['--users', 'octocat:lots']);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(2);
    expect(stderr).toMatch(/--users must be a non-negative integer/);
    expect(stderr).toMatch(/usage: /);
  }, 20_000);
});
