/**
 * Reads GitHub Actions workflows and runs a step's `run:` script the way a Linux runner does
 * (`bash --noprofile --norc -eo pipefail`), with GITHUB_OUTPUT, so tests can exercise the shell
 * logic of a workflow offline, with fake commands put first on PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  uses?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
  [key: string]: unknown;
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  jobs: Record<string, Job>;
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

export function stepNamed(
  job: Job,
  match: (step: Step) => boolean,
  what: string,
): { step: Step; index: number } {
  const index = (job.steps ?? []).findIndex(match);
  if (index < 0) {
    throw new Error(`no step ${what}`);
  }
  return { step: job.steps![index], index };
}

export interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/**
 * Runs `step.run` in `cwd` with `env` (PATH is kept, after `fakeBin` if given). `fakes` are
 * executables to place in a fresh bin directory first on PATH, by name: script text.
 */
export function runStep(
  step: Step,
  options: { cwd: string; env?: Record<string, string>; fakes?: Record<string, string> },
): StepRun {
  if (step.run === undefined) {
    throw new Error(`step ${step.name ?? step.id ?? '?'} has no run script`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-step-'));
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  for (const [name, text] of Object.entries(options.fakes ?? {})) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  const script = join(scratch, 'step.sh');
  writeFileSync(script, step.run);
  const outputFile = join(scratch, 'github_output');
  writeFileSync(outputFile, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: scratch,
      GITHUB_OUTPUT: outputFile,
      ...options.env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

/** GitHub's filter pattern for branches and tags: `*` is anything but `/`, `**` anything. */
export function githubRefPatternMatches(pattern: string, ref: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      regex += '.*';
      i++;
    } else if (c === '*') {
      regex += '[^/]*';
    } else if ('+?[]!'.includes(c)) {
      throw new Error(`pattern character ${c} is not supported by this helper`);
    } else {
      regex += c.replace(/[.\\^$(){}|]/g, '\\$&');
    }
  }
  return new RegExp(`^${regex}$`).test(ref);
}
