/**
 * The cached hot path of several builds side by side, after `nest build`:
 *
 *   tsx scripts/bench/compare-builds.ts [ROOT ...]
 *
 * Runs the built app (`dist/main.js`) of this tree with tracing off (no OTLP endpoint) and on
 * (every request sampled, spans exported over OTLP/HTTP protobuf to an in-process sink), and the
 * build in each ROOT given (another commit's tree after `nest build`, e.g. the one before a
 * change: `git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci && npx nest build)`).
 * Rounds are interleaved so the machine's other work weighs on every variant alike; each measures
 * a cached GET /github/repos/:username?perPage=100 (identity, no Accept-Encoding) at 50
 * connections: requests per second and the server's CPU per request (from /proc, steadier than
 * req/s on a shared machine). Settings: COMPARE_ROUNDS [3], COMPARE_SECONDS [5].
 */
import { join } from 'node:path';
import { FakeGithub } from '../../test/fake-github';
import { OtlpReceiver } from '../../test/support/otlp-receiver';
import { StartedServer, startServer, stopChild } from '../shared/child-processes';
import { cannon, CannonResult } from './load';

const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 3);
const SECONDS = Number(process.env.COMPARE_SECONDS ?? 5);
const PATH = '/github/repos/bench-traced?perPage=100';
const LOAD = { connections: 50, seconds: SECONDS, warmupSeconds: 2 };

interface Variant {
  label: string;
  root: string;
  env: Record<string, string>;
}

function startApp(variant: Variant, githubUrl: string): Promise<StartedServer> {
  return startServer(
    variant.label,
    {
      nodeFlags: ['--max-semi-space-size=8'],
      script: join(variant.root, 'dist', 'main.js'),
      cwd: variant.root,
      env: {
        PATH: process.env.PATH ?? '',
        APP_ENV: 'production',
        // As the benchmark runs the app: the embedded history store would open a database per
        // build and make the variants' memory and start-up differ for a reason not under test.
        HISTORY_ENABLED: 'false',
        LOG_LEVEL: 'info',
        GITHUB_API_URL: githubUrl,
        CACHE_TTL_SECONDS: '3600',
        THROTTLE_LIMIT: '1000000',
        THROTTLE_TTL_SECONDS: '1',
        CLIENT_UPSTREAM_LIMIT: '100000',
        GITHUB_MAX_REQUESTS_PER_MINUTE: '1000000',
        ...variant.env,
      },
      logFiles: ['/dev/null', '/dev/null'],
    },
    { timeoutMs: 30_000, pollMs: 100 },
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const here = join(__dirname, '..', '..');
  const roots = process.argv.slice(2);
  const gh = await FakeGithub.start({ rateLimit: { limit: 100_000 } });
  gh.addUser('bench-traced', 100);
  const sink = await OtlpReceiver.start();
  const variants: Variant[] = [
    ...roots.map((root) => ({ label: `build in ${root}`, root, env: {} })),
    { label: 'tracing off (no endpoint)', root: here, env: {} },
    {
      label: 'tracing on (all sampled, OTLP protobuf to a sink)',
      root: here,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
    },
  ];
  const results = new Map<string, CannonResult[]>(variants.map((v) => [v.label, []]));
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const variant of variants) {
        const app = await startApp(variant, gh.url);
        try {
          const result = await cannon(`${app.url}${PATH}`, LOAD, app.child.pid);
          results.get(variant.label)?.push(result);
          process.stderr.write(
            `round ${round} ${variant.label}: ${result.rps} req/s, ${result.cpuUsPerRequest ?? '?'} µs CPU/req, p99 ${result.p99Ms} ms\n`,
          );
        } finally {
          await stopChild(app.child, 5_000);
        }
      }
    }
  } finally {
    await sink.close();
    await gh.close();
  }
  process.stdout.write(
    `| variant | req/s (median of ${ROUNDS}) | server CPU µs/request (median) | p99 ms (median) | non-2xx |\n| --- | --- | --- | --- | --- |\n`,
  );
  for (const [label, runs] of results) {
    process.stdout.write(
      `| ${label} | ${median(runs.map((r) => r.rps))} | ${median(runs.map((r) => r.cpuUsPerRequest ?? NaN))} | ${median(runs.map((r) => r.p99Ms))} | ${runs.reduce((n, r) => n + r.non2xx, 0)} |\n`,
    );
  }
  process.stdout.write(`OTLP exports received by the sink: ${sink.bodies.length}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
