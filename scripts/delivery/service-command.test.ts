/**
 * The service runs with the same Node flags everywhere: package.json's start:prod says them; the
 * image's CMD, the benchmark and the reliability suite follow it, and `npm start` repeats them
 * (checked here) after `--env-file-if-exists=.env`, which loads a local .env when there is one.
 * A flag this Node does not know would stop the container at start, so each is tried.
 *
 *   npx tsx --test scripts/delivery/service-command.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseServiceCommand, serviceNodeFlags } from '../service-command';

/** The argv of the Dockerfile's last CMD (exec form; a shell-form CMD fails here). */
function dockerfileCmd(dockerfile: string): string[] {
  const lines = dockerfile.split('\n').filter((line) => /^CMD\s/.test(line));
  assert.ok(lines.length > 0, 'the Dockerfile has a top-level CMD');
  const argv: unknown = JSON.parse(lines[lines.length - 1].replace(/^CMD\s+/, ''));
  assert.ok(Array.isArray(argv), 'the CMD is in exec form (a JSON array)');
  return argv as string[];
}

describe('the service command', () => {
  const flags = serviceNodeFlags();

  it('parses the flags out of "node [flags] dist/main.js" and refuses any other shape', () => {
    assert.deepEqual(parseServiceCommand('node dist/main.js'), []);
    assert.deepEqual(
      parseServiceCommand('node --max-semi-space-size=8 --enable-source-maps dist/main.js'),
      ['--max-semi-space-size=8', '--enable-source-maps'],
    );
    for (const wrong of [
      '',
      'node main.js',
      'nest start',
      'node dist/main.js --x',
      'node -r x dist/main.js',
    ]) {
      assert.throws(() => parseServiceCommand(wrong), /start:prod must read/, wrong);
    }
  });

  it('is what the image runs: the Dockerfile CMD is node, the same flags, dist/main.js', () => {
    assert.deepEqual(dockerfileCmd(readFileSync('Dockerfile', 'utf8')), [
      'node',
      ...flags,
      'dist/main.js',
    ]);
  });

  it('is what npm start runs after building, with .env loaded when present', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const [build, run, ...rest] = pkg.scripts.start.split(' && ');
    assert.equal(build, 'npm run build');
    assert.equal(rest.length, 0, pkg.scripts.start);
    assert.deepEqual(parseServiceCommand(run), ['--env-file-if-exists=.env', ...flags]);
  });

  it('uses only flags this Node accepts', () => {
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});
