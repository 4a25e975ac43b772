/**
 * The release workflow's promises, checked offline: what triggers it, which tags it publishes,
 * the version guard, the refusal to overwrite a published version, the GitHub Release step, and
 * the pull request that proposes the version for production (changing only the production
 * overlay's image tag). Step scripts run for real in bash, with fake `docker` and `gh` commands;
 * the proposal step in a real git repository with a real (bare) origin.
 *
 *   npx tsx --test scripts/delivery/release-workflow.test.ts
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { githubRefPatternMatches, readWorkflow, runStep, stepNamed } from './workflow-steps';
import type { Step } from './workflow-steps';

const release = readWorkflow('.github/workflows/release.yml');
const ci = readWorkflow('.github/workflows/ci.yml');
const publish = release.jobs.publish;
const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
  .version;

const usesAction = (name: string) => (step: Step) => step.uses?.split('@')[0] === name;
const guard = stepNamed(publish, (s) => s.id === 'version', 'with id "version"');
const immutability = stepNamed(
  publish,
  (s) => /overwrite/i.test(s.name ?? ''),
  'refusing to overwrite',
);
const login = stepNamed(publish, usesAction('docker/login-action'), 'docker/login-action');
const meta = stepNamed(publish, usesAction('docker/metadata-action'), 'docker/metadata-action');
const build = stepNamed(
  publish,
  usesAction('docker/build-push-action'),
  'docker/build-push-action',
);
const githubRelease = stepNamed(
  publish,
  (s) => /github release/i.test(s.name ?? ''),
  'creating the GitHub Release',
);

/** A checkout with only what the guard reads: package.json at `version`, and the repository's tags. */
function checkoutWithVersion(version: string, tags: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-checkout-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'github-dashboard-backend', version }),
  );
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
    });
  git('init', '-q');
  git('add', 'package.json');
  git('commit', '-q', '-m', 'release');
  tags.forEach((tag) => git('tag', tag));
  return dir;
}

function runGuard(tag: string, version: string, otherTags: string[] = []) {
  return runStep(guard.step, {
    cwd: checkoutWithVersion(version, [tag, ...otherTags]),
    env: { TAG: tag },
  });
}

describe('release workflow: trigger', () => {
  it('should run on pushed tags matching v*.*.* and on nothing else', () => {
    assert.deepEqual(Object.keys(release.on), ['push']);
    assert.deepEqual(release.on.push, { tags: ['v*.*.*'] });
  });

  it('should take version tags and pre-release tags, but no plain or partial versions', () => {
    const [pattern] = (release.on.push as { tags: string[] }).tags;
    for (const tag of ['v0.1.0', 'v1.2.3', 'v10.20.30', 'v1.0.0-rc.1']) {
      assert.ok(githubRefPatternMatches(pattern, tag), `${tag} should trigger a release`);
    }
    for (const tag of ['1.2.3', 'v1.2', 'v1', 'latest', 'release-1.2.3', 'v1.2/3.4']) {
      assert.ok(!githubRefPatternMatches(pattern, tag), `${tag} should not trigger a release`);
    }
  });

  it('should pass the tag to the guard through the environment, not by expanding it into the script', () => {
    assert.equal(guard.step.env?.TAG, '${{ github.ref_name }}');
    for (const step of Object.values(release.jobs).flatMap((job) => job.steps ?? [])) {
      assert.ok(
        !step.run?.includes('${{'),
        `step "${step.name ?? step.id}" expands an expression inside its script`,
      );
    }
  });
});

describe('release workflow: version guard', () => {
  it('should accept the tag v + package.json version and report a final release', () => {
    const run = runGuard('v0.1.0', '0.1.0');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.outputs, { version: '0.1.0', prerelease: 'false', latest: 'true' });
  });

  it("should accept this repository's own package.json version", () => {
    const run = runStep(guard.step, {
      cwd: checkoutWithVersion(packageVersion, [`v${packageVersion}`]),
      env: { TAG: `v${packageVersion}` },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.version, packageVersion);
  });

  it('should mark X.Y.Z-suffix versions as pre-releases', () => {
    const run = runGuard('v1.0.0-rc.1', '1.0.0-rc.1');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.outputs, { version: '1.0.0-rc.1', prerelease: 'true', latest: 'false' });
  });

  it('should make the highest final version latest, comparing numerically', () => {
    const run = runGuard('v1.10.0', '1.10.0', ['v1.9.3', 'v1.2.0', 'v2.0.0-rc.1']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.latest, 'true');
  });

  it('should not move latest for a patch to an older line', () => {
    const run = runGuard('v1.1.5', '1.1.5', ['v1.2.0', 'v1.1.4']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.outputs, { version: '1.1.5', prerelease: 'false', latest: 'false' });
  });

  it('should fail when the tag and package.json disagree', () => {
    const run = runGuard('v0.1.1', '0.1.0');
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /::error::Tag v0\.1\.1 does not match package\.json's version 0\.1\.0/,
    );
    assert.deepEqual(run.outputs, {});
  });

  it('should fail for a tag without the v prefix', () => {
    assert.equal(runGuard('0.1.0', '0.1.0').status, 1);
  });

  it('should fail for versions that cannot be image tags or are not X.Y.Z', () => {
    for (const version of ['1.2.3+build.5', '01.2.3', '1.2.3.4']) {
      const run = runGuard(`v${version}`, version);
      assert.equal(run.status, 1, `${version} should be refused`);
      assert.match(run.stdout, /is not a release version/);
    }
  });

  it('should run before anything logs in to, builds for or pushes to the registry', () => {
    assert.ok(guard.index < login.index);
    assert.ok(guard.index < build.index);
    assert.equal(publish.needs, 'ci');
  });
});

describe('release workflow: immutable versions', () => {
  const ref = 'docker.io/acme/github-dashboard-backend:1.2.3';
  const fakeDocker = (exitCode: number, message: string) => ({
    docker: `#!/bin/sh\necho "${message}"\nexit ${exitCode}\n`,
  });

  it('should refuse to push when the version is already in the registry', () => {
    const run = runStep(immutability.step, {
      cwd: tmpdir(),
      env: { REF: ref },
      fakes: fakeDocker(0, 'Name: x'),
    });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /already exists\. Versions are immutable/);
  });

  it('should go on when the registry says the version is not found', () => {
    const run = runStep(immutability.step, {
      cwd: tmpdir(),
      env: { REF: ref },
      fakes: fakeDocker(1, `ERROR: ${ref}: not found`),
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  it('should stop when it cannot tell, rather than risk overwriting', () => {
    const run = runStep(immutability.step, {
      cwd: tmpdir(),
      env: { REF: ref },
      fakes: fakeDocker(1, 'ERROR: unauthorized: authentication required'),
    });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /Could not tell/);
  });

  it('should check the exact version tag, after login and before the push', () => {
    assert.equal(
      immutability.step.env?.REF,
      '${{ env.IMAGE }}:${{ steps.version.outputs.version }}',
    );
    assert.ok(login.index < immutability.index && immutability.index < build.index);
  });
});

describe('release workflow: tags and image', () => {
  const tags = (typeof meta.step.with?.tags === 'string' ? meta.step.with.tags : '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

  it('should tag X.Y.Z and X.Y from the git tag, and latest only when the guard says so', () => {
    assert.deepEqual(tags, [
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      "type=raw,value=latest,enable=${{ steps.version.outputs.latest == 'true' }}",
    ]);
    // Without this the action would add its own `latest` rule besides ours.
    assert.match(String(meta.step.with?.flavor), /latest=false/);
  });

  it('should publish to the Docker Hub namespace from the repository variable, logged in with the secrets', () => {
    assert.equal(
      publish.env?.IMAGE,
      'docker.io/${{ vars.DOCKERHUB_NAMESPACE }}/github-dashboard-backend',
    );
    assert.equal(meta.step.with?.images, '${{ env.IMAGE }}');
    assert.equal(login.step.with?.username, '${{ secrets.DOCKERHUB_USERNAME }}');
    assert.equal(login.step.with?.password, '${{ secrets.DOCKERHUB_TOKEN }}');
  });

  it('should build amd64 and arm64 with provenance, an SBOM, a cache and the version baked in', () => {
    const w = build.step.with ?? {};
    assert.equal(w.push, true);
    assert.deepEqual(String(w.platforms).split(',').sort(), ['linux/amd64', 'linux/arm64']);
    assert.equal(w.tags, '${{ steps.meta.outputs.tags }}');
    assert.equal(w.sbom, true);
    assert.match(String(w.provenance), /mode=max|true/);
    assert.match(String(w['cache-from']), /^type=(gha|registry)/);
    assert.match(
      String(w['build-args']),
      /APP_VERSION=\$\{\{ steps\.version\.outputs\.version \}\}/,
    );
    assert.match(String(w['build-args']), /REVISION=\$\{\{ github\.sha \}\}/);
    for (const action of ['docker/setup-qemu-action', 'docker/setup-buildx-action']) {
      assert.ok(stepNamed(publish, usesAction(action), action).index < build.index);
    }
  });
});

describe('release workflow: GitHub Release', () => {
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '- Not yet.',
    '',
    '## [1.2.3] - 2026-11-26',
    '',
    '### Added',
    '- The thing.',
    '',
    '## [1.2.2] - 2026-11-01',
    '',
    '- Older.',
  ].join('\n');

  function runRelease(version: string, prerelease: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'release-notes-'));
    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    const ghLog = join(dir, 'gh-args');
    const run = runStep(githubRelease.step, {
      cwd: dir,
      env: {
        TAG: `v${version}`,
        VERSION: version,
        PRERELEASE: String(prerelease),
        IMAGE: 'docker.io/acme/github-dashboard-backend',
        DIGEST: 'sha256:abc',
        TAGS: `docker.io/acme/github-dashboard-backend:${version}\ndocker.io/acme/github-dashboard-backend:1.2`,
        GH_TOKEN: 'fake',
      },
      fakes: { gh: `#!/bin/sh\nprintf '%s\\n' "$@" > '${ghLog}'\n` },
    });
    return {
      run,
      args: readFileSync(ghLog, 'utf8').trim().split('\n'),
      notes: readFileSync(join(dir, 'notes.md'), 'utf8'),
    };
  }

  it("should create the release for the tag with the version's CHANGELOG section and the image", () => {
    const { run, args, notes } = runRelease('1.2.3', false);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(args.slice(0, 3), ['release', 'create', 'v1.2.3']);
    assert.ok(args.includes('--verify-tag'));
    assert.ok(!args.includes('--prerelease'));
    assert.match(notes, /- The thing\./);
    assert.doesNotMatch(notes, /Older|Not yet/);
    assert.match(notes, /docker pull docker\.io\/acme\/github-dashboard-backend:1\.2\.3/);
    assert.match(notes, /sha256:abc/);
  });

  it('should mark a pre-release as such and not as the latest release', () => {
    const { run, args } = runRelease('1.3.0-rc.1', true);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(args.includes('--prerelease'));
    assert.ok(args.includes('--latest=false'));
    assert.match(run.stdout, /::warning::CHANGELOG\.md has no section for 1\.3\.0-rc\.1/);
  });

  it('should come after the push, so a release never names an image that does not exist', () => {
    assert.ok(build.index < githubRelease.index);
  });
});

describe('release and CI workflows: safety', () => {
  it('should grant nothing by default, contents: write to the publishing job, and pull requests only to the proposal', () => {
    assert.deepEqual(release.permissions, {});
    assert.deepEqual(publish.permissions, { contents: 'write' });
    assert.deepEqual(release.jobs['propose-production']?.permissions, {
      contents: 'write',
      'pull-requests': 'write',
    });
    assert.deepEqual(Object.keys(release.jobs).sort(), ['ci', 'propose-production', 'publish']);
    assert.deepEqual(release.jobs.ci?.permissions, { contents: 'read' });
    assert.deepEqual(ci.permissions, { contents: 'read' });
  });

  it('should never run two releases at once nor cancel one half-way', () => {
    assert.equal(release.concurrency?.group, 'release');
    assert.equal(release.concurrency?.['cancel-in-progress'], false);
  });

  it('should run the whole CI before publishing', () => {
    assert.equal(release.jobs.ci?.uses, './.github/workflows/ci.yml');
    assert.ok('workflow_call' in ci.on);
    // Tags are left to release.yml, so CI does not run twice for a release.
    assert.deepEqual(ci.on.push, { branches: ['**'] });
  });

  it('should pin every action to a major version or a full commit SHA', () => {
    const steps = [...Object.values(release.jobs), ...Object.values(ci.jobs)].flatMap(
      (job) => job.steps ?? [],
    );
    const actions = steps.map((s) => s.uses).filter((u): u is string => u !== undefined);
    assert.ok(actions.length > 5);
    for (const action of actions) {
      assert.match(action, /^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/, `${action} is not pinned`);
    }
  });
});

describe('release workflow: the production pull request', () => {
  const BUMP = 'scripts/delivery/bump-production-image.sh';
  const OVERLAY = 'deploy/overlays/production/kustomization.yaml';
  /** The version production runs now. */
  const current = (parse(readFileSync(OVERLAY, 'utf8')) as { images: { newTag: string }[] })
    .images[0].newTag;
  const propose = release.jobs['propose-production'];
  const proposal = stepNamed(
    propose,
    (s) => /pull request/i.test(s.name ?? ''),
    'opening the pull request',
  );

  /** Every file under dir, relative, with its text. */
  function tree(dir: string, prefix = ''): Record<string, string> {
    return Object.fromEntries(
      readdirSync(join(dir, prefix)).flatMap((name) => {
        const path = prefix ? `${prefix}/${name}` : name;
        return statSync(join(dir, path)).isDirectory()
          ? Object.entries(tree(dir, path))
          : [[path, readFileSync(join(dir, path), 'utf8')]];
      }),
    );
  }

  /** A copy of this repository's deploy/ and the bump script, optionally a git repo with an origin. */
  function workspace(): string {
    const dir = mkdtempSync(join(tmpdir(), 'production-bump-'));
    cpSync('deploy', join(dir, 'deploy'), { recursive: true });
    mkdirSync(join(dir, 'scripts/delivery'), { recursive: true });
    cpSync(BUMP, join(dir, BUMP));
    return dir;
  }

  function bump(cwd: string, ...args: string[]) {
    const result = spawnSync('bash', [BUMP, ...args], { cwd, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  }

  /** Which files differ between two trees, and, for each, the lines that differ. */
  function changes(before: Record<string, string>, after: Record<string, string>) {
    assert.deepEqual(
      Object.keys(after).sort(),
      Object.keys(before).sort(),
      'files added or removed',
    );
    return Object.keys(before)
      .filter((path) => before[path] !== after[path])
      .map((path) => {
        const [a, b] = [before[path].split('\n'), after[path].split('\n')];
        assert.equal(a.length, b.length, `${path}: lines added or removed`);
        return { path, lines: a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]])) };
      });
  }

  it("should change only the production overlay's image tag, nothing else under deploy/", () => {
    const dir = workspace();
    const before = tree(join(dir, 'deploy'));
    const run = bump(dir, '1.2.3');
    assert.equal(run.status, 0, run.output);
    const changed = changes(before, tree(join(dir, 'deploy')));
    assert.deepEqual(
      changed.map((c) => c.path),
      ['overlays/production/kustomization.yaml'],
    );
    assert.equal(changed[0].lines.length, 1);
    assert.match(changed[0].lines[0][1], /^\s+newTag: 1\.2\.3$/);
    const parsed = (text: string) => parse(text) as { images: { name: string; newTag: string }[] };
    const [old, now] = [before, tree(join(dir, 'deploy'))].map((t) =>
      parsed(t['overlays/production/kustomization.yaml']),
    );
    assert.deepEqual({ ...now, images: undefined }, { ...old, images: undefined });
    assert.deepEqual(now.images, [{ ...old.images[0], newTag: '1.2.3' }]);
  });

  it('should touch no other image, in any order, and keep comments and indentation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'production-bump-'));
    const file = join(dir, 'kustomization.yaml');
    const text = [
      'images:',
      '  - name: docker.io/library/redis',
      '    newTag: 7.4-alpine',
      '  - newTag: "0.1.0"   # pinned',
      '    name: docker.io/acme/github-dashboard-backend',
      '  - name: docker.io/acme/github-dashboard-backend-worker',
      '    newTag: 0.1.0',
      'replicas:',
      '  - name: github-dashboard-backend',
      '    count: 2',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const run = spawnSync('bash', [join(process.cwd(), BUMP), '2.0.0', file], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(
      readFileSync(file, 'utf8'),
      text.replace('newTag: "0.1.0"   # pinned', 'newTag: 2.0.0   # pinned'),
    );
  });

  it('should leave the file alone when the version is already there', () => {
    const dir = workspace();
    const run = bump(dir, current);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /already deploys/);
    assert.deepEqual(tree(join(dir, 'deploy')), tree('deploy'));
  });

  it('should refuse what is not a final X.Y.Z, and change nothing', () => {
    const dir = workspace();
    for (const version of ['latest', '1.3.0-rc.1', 'v1.2.3', '1.2', '1.2.3+build', '01.2.3', '']) {
      const run = bump(dir, version);
      assert.equal(run.status, 1, `${version} should be refused`);
      assert.match(run.output, /not a final release version/);
    }
    assert.deepEqual(tree(join(dir, 'deploy')), tree('deploy'));
  });

  it('should refuse a file without exactly one API image entry, and change nothing', () => {
    const dir = workspace();
    for (const file of ['deploy/base/kustomization.yaml', 'deploy/argocd/kustomization.yaml']) {
      const run = bump(dir, '1.2.3', file);
      assert.equal(run.status, 1, file);
      assert.match(run.output, /exactly one images entry/);
    }
    const twice = join(dir, 'twice.yaml');
    writeFileSync(
      twice,
      'images:\n  - name: a/github-dashboard-backend\n    newTag: 1.0.0\n  - name: b/github-dashboard-backend\n    newTag: 1.0.0\n',
    );
    assert.equal(bump(dir, '1.2.3', twice).status, 1);
    assert.deepEqual(tree(join(dir, 'deploy')), tree('deploy'));
  });

  /** The proposal step, run in a clone whose origin is a local bare repository; gh is a fake. */
  function runProposal(version: string) {
    const dir = workspace();
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
        cwd,
        encoding: 'utf8',
      }).trim();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'main');
    const origin = mkdtempSync(join(tmpdir(), 'production-origin-'));
    git(origin, 'init', '-q', '--bare');
    git(dir, 'remote', 'add', 'origin', origin);
    git(dir, 'push', '-q', 'origin', 'main');
    const ghLog = join(mkdtempSync(join(tmpdir(), 'fake-gh-')), 'args');
    const run = runStep(proposal.step, {
      cwd: dir,
      env: { VERSION: version, BASE: 'main', OVERLAY, GH_TOKEN: 'fake' },
      fakes: {
        gh: `#!/bin/sh\nprintf '%s\\n' "$@" > '${ghLog}'\ncat pr-body.md >> '${ghLog}'\n`,
      },
    });
    let gh: string[] = [];
    try {
      gh = readFileSync(ghLog, 'utf8').split('\n');
    } catch {
      gh = [];
    }
    return { run, gh, origin, git };
  }

  it('should push a branch whose one commit changes only the overlay, and open a pull request to main', () => {
    const { run, gh, origin, git } = runProposal('1.2.3');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const branch = 'deploy/production-1.2.3';
    assert.equal(git(origin, 'rev-list', '--count', `main..${branch}`), '1');
    assert.equal(git(origin, 'diff', '--name-only', `main..${branch}`), OVERLAY);
    const diff = git(origin, 'diff', '-U0', `main..${branch}`)
      .split('\n')
      .filter((l) => /^[-+] /.test(l));
    assert.deepEqual(
      diff.map((l) => l.replace(/\s+/g, ' ')),
      ['- newTag: 0.1.0', '+ newTag: 1.2.3'],
    );
    assert.deepEqual(gh.slice(0, 6), ['pr', 'create', '--base', 'main', '--head', branch]);
    assert.ok(gh.includes('Deploy 1.2.3 to production'));
    assert.ok(
      gh.some((l) => /revert/i.test(l)),
      'the body says how to roll back',
    );
  });

  it('should open nothing when production already runs the version', () => {
    const { run, gh, origin, git } = runProposal(current);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /no pull request/);
    assert.deepEqual(gh, []);
    assert.equal(git(origin, 'branch', '--list', 'deploy/*'), '');
  });

  it('should fail, pushing nothing, for a version that is not X.Y.Z', () => {
    const { run, gh, origin, git } = runProposal('1.3.0-rc.1');
    assert.equal(run.status, 1);
    assert.deepEqual(gh, []);
    assert.equal(git(origin, 'branch', '--list', 'deploy/*'), '');
  });

  it('should run after the publish, for the highest final version only, on the default branch', () => {
    assert.equal(propose.needs, 'publish');
    assert.equal(propose.if, "needs.publish.outputs.latest == 'true'");
    assert.deepEqual(publish.outputs, {
      version: '${{ steps.version.outputs.version }}',
      latest: '${{ steps.version.outputs.latest }}',
    });
    assert.equal(proposal.step.env?.VERSION, '${{ needs.publish.outputs.version }}');
    assert.equal(proposal.step.env?.OVERLAY, OVERLAY);
    const checkout = stepNamed(propose, usesAction('actions/checkout'), 'actions/checkout');
    assert.ok(checkout.index < proposal.index);
    assert.equal(checkout.step.with?.ref, '${{ github.event.repository.default_branch }}');
    assert.equal(proposal.step.env?.BASE, '${{ github.event.repository.default_branch }}');
  });
});
