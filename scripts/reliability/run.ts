/**
 * `npm run test:reliability` (after `nest build`): starts the built app (`node dist/main.js`, one
 * child process per configuration) against the fake GitHub from test/fake-github (in this
 * process) and asserts, printing figures, in five parts:
 *
 *   1. load       200 connections, cached routes and cold users: no errors, no 5xx, bounded RSS
 *   2. faults     every GitHub failure mode and a Redis crash: correct status or stale data, alive
 *   3. hostile    property-based hostile paths, names, queries and methods (fast-check)
 *   4. secrets    every error path: the token in no body, header or log line
 *   5. lifecycle  graceful shutdown with a request in flight; start-up time
 *   6. large      45 accounts of 5,000 repositories and one of 100,000 under the pod's heap:
 *                 alive, RSS under 256 MiB, every answer right or flagged partial
 *   7. abuse      one client at full speed behind a trusted proxy, forging X-Forwarded-For, with
 *                 honest clients beside: honest clients get 200s; the abuser's GitHub cost, the
 *                 refresher's and the watch list stay within their bounds
 *
 * The last line is `N passed, M failed`; the exit code is 1 when any check failed.
 * Settings (environment): RELIABILITY_LOAD_SECONDS [20], RELIABILITY_ABUSE_SECONDS [75], RELIABILITY_HOSTILE_RUNS [300] (runs
 * per property), RELIABILITY_LOAD_NODE_OPTIONS [--max-old-space-size=128] (the load and large-accounts apps' heap,
 * as the image sizes it in the deployment's 256 MiB container), RELIABILITY_SEED (fast-check seed, to replay a run), RELIABILITY_PARTS (comma
 * list of part numbers, default all), RELIABILITY_KEEP_LOGS=1 (keep the apps' logs even on success),
 * RELIABILITY_ABUSE_APP_ENV (`NAME=value NAME=`: the abuse part's app settings changed, its checks
 * not, to watch them fail with a protection off).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envInt } from '../shared/env-int';
import { abusePart } from './abuse';
import { faultsPart } from './faults';
import { hostilePart } from './hostile';
import { largeAccountsPart } from './large-accounts';
import { lifecyclePart } from './lifecycle';
import { loadPart } from './load';
import { killAllNow, runningCount } from '../shared/child-processes';
import { snapshotApp } from '../shared/built-app';
import { Checks, say } from './report';
import { secretsPart } from './secrets';

const settings = {
  loadSeconds: envInt('RELIABILITY_LOAD_SECONDS', 20, 1, 600),
  abuseSeconds: envInt('RELIABILITY_ABUSE_SECONDS', 75, 10, 900),
  abuseAppEnv: appEnvChanges(process.env.RELIABILITY_ABUSE_APP_ENV),
  // Node sizes V8's heap from the container's memory limit (256 MiB in deploy/k8s: about 128 MB of
  // old space). Unbounded, V8 on this 24 GB machine lets garbage pile up to gigabytes before it
  // collects hard, and RSS would measure V8's laziness instead of the app's memory.
  loadNodeOptions: process.env.RELIABILITY_LOAD_NODE_OPTIONS ?? '--max-old-space-size=128',
  hostileRuns: envInt('RELIABILITY_HOSTILE_RUNS', 300, 1, 100_000),
  seed: process.env.RELIABILITY_SEED
    ? envInt('RELIABILITY_SEED', 0, -(2 ** 31), 2 ** 31 - 1)
    : undefined,
  parts: (process.env.RELIABILITY_PARTS ?? '1,2,3,4,5,6,7').split(',').map((p) => p.trim()),
  keepLogs: process.env.RELIABILITY_KEEP_LOGS === '1',
};

const workDir = mkdtempSync(join(tmpdir(), 'gdb-reliability-'));
const checks = new Checks();

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    say(`\nstopped by ${signal}; every child process killed; logs in ${workDir}`);
    killAllNow();
    process.exit(130);
  });
}

async function main(): Promise<void> {
  // Bounded as a whole: a stuck part ends the run as a failure instead of hanging CI.
  // The large-accounts part takes about a minute; it has 120 s of the budget. The abuse part
  // takes its RELIABILITY_ABUSE_SECONDS plus about 20 s to set up and read its figures: 60 s more.
  const budgetSeconds =
    480 + settings.loadSeconds + settings.abuseSeconds + Math.ceil(settings.hostileRuns / 10);
  const watchdog = setTimeout(() => {
    checks.check(
      'the suite finished within its time budget',
      false,
      `still running after ${budgetSeconds} s; stopped`,
    );
    finish();
  }, budgetSeconds * 1000);
  watchdog.unref();

  say(`reliability suite: app copied to ${join(workDir, 'app')}; logs in ${join(workDir, 'logs')}`);
  await snapshotApp(workDir);
  const parts: [string, () => Promise<void>][] = [
    ['1', () => loadPart(checks, settings.loadSeconds, settings.loadNodeOptions)],
    ['2', () => faultsPart(checks)],
    ['3', () => hostilePart(checks, settings.hostileRuns, settings.seed)],
    ['4', () => secretsPart(checks)],
    ['5', () => lifecyclePart(checks)],
    ['6', () => largeAccountsPart(checks, settings.loadNodeOptions)],
    ['7', () => abusePart(checks, settings.abuseSeconds, settings.abuseAppEnv)],
  ];
  for (const [number, run] of parts) {
    if (!settings.parts.includes(number)) {
      continue;
    }
    try {
      await run();
    } catch (error) {
      checks.crashed(`part ${number}`, error);
    }
    // Each part stops what it started; anything left would skew the next one.
    const leftovers = runningCount();
    if (leftovers > 0) {
      checks.check(
        `part ${number} left no process running`,
        false,
        `${leftovers} still running; killed`,
      );
      killAllNow();
    }
  }
  clearTimeout(watchdog);
  finish();
}

/** `NAME=value NAME=` (the second unsets NAME): changes to the abuse part's app settings. */
function appEnvChanges(text: string | undefined): Record<string, string | undefined> {
  const changes: Record<string, string | undefined> = {};
  for (const pair of (text ?? '').split(/\s+/).filter(Boolean)) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) {
      throw new Error(`RELIABILITY_ABUSE_APP_ENV: expected NAME=value pairs, got ${pair}`);
    }
    changes[match[1]] = match[2] === '' ? undefined : match[2];
  }
  return changes;
}

function finish(): void {
  killAllNow();
  say();
  if (checks.headlines.length > 0) {
    say('Figures:');
    checks.headlines.forEach((line) => say(` - ${line}`));
  }
  if (checks.failed > 0) {
    say();
    say('Failed checks:');
    checks.failures.forEach((failure) => say(` - ${failure.split('\n')[0]}`));
    say(`Logs kept in ${join(workDir, 'logs')}`);
  } else if (settings.keepLogs) {
    say(`Logs kept in ${join(workDir, 'logs')}`);
  } else {
    rmSync(workDir, { recursive: true, force: true });
  }
  say(`${checks.passed} passed, ${checks.failed} failed`);
  process.exit(checks.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  checks.crashed('the suite', error);
  finish();
});
