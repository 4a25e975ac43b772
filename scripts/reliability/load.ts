/**
 * Part 1, load: 200 connections for RELIABILITY_LOAD_SECONDS on cached routes with varied
 * queries, mixed with cold users requested for the first time during the run (the fake answers
 * after ~20 ms). Zero errors, zero timeouts, only 200s, a bounded p99, bounded memory growth.
 */
import autocannon from 'autocannon';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGithub } from '../../test/fake-github';
import { get } from './http-client';
import { App, healthOf, isAlive, rssMb, startApp, stopApp } from './processes';
import { bump, Checks, counts, figure, heading, say, thousands } from './report';

type CannonRequest = autocannon.Request;
type Context = Record<string, unknown>;

const CONNECTIONS = 200;
const FAKE_LATENCY_MS = 20;
/** Repository counts of the warm users: one to five GitHub pages. */
const WARM_REPOS = [3, 12, 30, 45, 60, 99, 100, 101, 150, 199, 230, 260, 310, 400, 450, 480];
/** One request in COLD_EVERY goes to a user nobody asked for before. */
const COLD_EVERY = 40;
const COLD_POOL = 4_000;
const RSS_GROWTH_LIMIT_MB = 150;
/** A guard against systemic slowness, not a target: p99 is 180–250 ms here, up to 700 ms when busy. */
const P99_LIMIT_MS = 2_000;
/**
 * Seconds without an answer before autocannon gives a request up as a timeout. Not its default
 * 10 s: some of the 200 connections opened in the same millisecond have seen their first answer
 * only after 3–17 s (the app answers each in 1 ms once it accepts it: a saturated Node server
 * accepts one connection per event-loop turn, see README "Reliability suite"), and a timeout at
 * 10 s would hide whether they are answered at all. A slow answer is reported below (and bounded
 * by the p99 check); a request never answered still fails.
 */
const CLIENT_TIMEOUT_S = 30;
/** Answers slower than this are listed, with when they were sent, to tell a stall from a tail. */
const SLOW_ANSWER_MS = 1_000;
const SORTS = ['stars', 'forks', 'name', 'updated', 'pushed', 'created'];
const LANGUAGES = ['', 'TypeScript', 'go', 'none', 'Python', 'c%2B%2B', 'Rust'];

export async function loadPart(
  checks: Checks,
  seconds: number,
  nodeOptions: string,
): Promise<void> {
  heading(`1. load: ${CONNECTIONS} connections for ${seconds} s, cached routes and cold users`);
  const fake = await FakeGithub.start({
    latencyMs: FAKE_LATENCY_MS,
    rateLimit: { limit: 10_000_000 },
  });
  let app: App | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const warm = WARM_REPOS.map((repos, i) => {
      const login = `warm-user-${i}`;
      fake.addUser(login, repos);
      return { login, repos };
    });
    for (let i = 0; i < COLD_POOL; i++) {
      fake.addUser(`cold-user-${i}`, i % 9);
    }
    say(
      `   app started with NODE_OPTIONS=${nodeOptions || '(none)'} (see RELIABILITY_LOAD_NODE_OPTIONS in README.md)`,
    );
    app = await startApp('load', fake.url, {
      CACHE_TTL_SECONDS: '600',
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    });
    const url = app.url;

    // Every warm user's list, profile and summary cached before the run.
    const warmed = await Promise.all(
      warm.flatMap(({ login }) =>
        [`/github/repos/${login}`, `/github/users/${login}`, `/github/users/${login}/summary`].map(
          (path) => get(url + path).then((r) => r.status),
        ),
      ),
    );
    checks.check(
      'load: warm-up of the cached users answered 200',
      warmed.every((s) => s === 200),
      counts(tallyOf(warmed)),
    );
    fake.reset();
    await sleep(500);

    const heapBefore = await heapOf(url);
    const rssBefore = rssMb(app.pid) ?? NaN;
    let rssPeak = rssBefore;
    const pid = app.pid;
    // Once the app is gone there is nothing to sample; the checks below say so.
    sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid) ?? 0)), 500);

    let sequence = 0;
    let coldIssued = 0;
    const statuses: Record<string, number> = {};
    const xCache: Record<string, number> = {};
    const coldStatuses: Record<string, number> = {};
    const random = seeded(42);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const slow: SlowAnswer[] = [];
    // The harness hosts the fake GitHub too: its own event-loop lag tells whether a slow answer
    // could be the harness's fault rather than the app's.
    const harnessLag = monitorEventLoopDelay({ resolution: 10 });
    harnessLag.enable();
    const loadStartedAt = performance.now();
    const sent = (context: Context, path: string): CannonRequest => {
      context.path = path;
      context.sentAt = performance.now();
      return { method: 'GET', path };
    };

    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: CLIENT_TIMEOUT_S,
      requests: [
        {
          setupRequest: (request, context) => {
            sequence++;
            if (sequence % COLD_EVERY === 0 && coldIssued < COLD_POOL) {
              const login = `cold-user-${coldIssued++}`;
              context.cold = true;
              const route = pick(['', '/summary', 'repos']);
              const path =
                route === 'repos' ? `/github/repos/${login}` : `/github/users/${login}${route}`;
              return { ...request, ...sent(context, path) };
            }
            context.cold = false;
            const { login, repos } = pick(warm);
            const route = random();
            if (route < 0.15) {
              return { ...request, ...sent(context, `/github/users/${login}`) };
            }
            if (route < 0.3) {
              return { ...request, ...sent(context, `/github/users/${login}/summary`) };
            }
            const perPage = pick([10, 30, 100]);
            const query = [`sort=${pick(SORTS)}`, `perPage=${perPage}`];
            const direction = pick(['', 'asc', 'desc']);
            if (direction) {
              query.push(`direction=${direction}`);
            }
            const language = pick(LANGUAGES);
            if (language) {
              query.push(`language=${language}`);
            } else {
              query.push(`page=${1 + Math.floor(random() * Math.ceil(repos / perPage))}`);
            }
            if (random() < 0.2) {
              query.push(`includeForks=${pick(['true', 'false'])}`);
            }
            return { ...request, ...sent(context, `/github/repos/${login}?${query.join('&')}`) };
          },
          onResponse: (status, _body, context, headers) => {
            const now = performance.now();
            const ms = now - Number(context.sentAt);
            if (ms > SLOW_ANSWER_MS) {
              slow.push({
                path: String(context.path),
                ms: Math.round(ms),
                sentAtS: (now - ms - loadStartedAt) / 1000,
              });
            }
            bump(statuses, status);
            bump(xCache, headers['x-cache'] ?? headers['X-Cache'] ?? 'none');
            if (context.cold === true) {
              bump(coldStatuses, status);
            }
          },
        },
      ],
    });
    clearInterval(sampler);
    sampler = undefined;
    harnessLag.disable();
    await sleep(1_000);
    const alive = isAlive(app);
    const rssAfter = alive ? (rssMb(app.pid) ?? NaN) : NaN;
    const health = await healthOf(app);
    const heapAfter = alive ? await heapOf(url) : undefined;

    const served = result.requests.total;
    const rps = served / result.duration;
    const upstream = fake.requests;
    const warmUpstream = upstream.filter((r) => r.path.includes('/warm-user-')).length;
    const coldAnswered = Object.values(coldStatuses).reduce((a, b) => a + b, 0);
    figure('requests served', thousands(served));
    figure('requests per second', thousands(rps));
    figure(
      'latency p50 / p99 / max',
      `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms`,
    );
    figure(
      'errors / timeouts',
      `${result.errors} / ${result.timeouts} (timeout ${CLIENT_TIMEOUT_S} s)`,
    );
    figure(`answers slower than ${SLOW_ANSWER_MS / 1000} s`, describeSlow(slow));
    figure(
      'harness event-loop lag p99 / max',
      `${Math.round(harnessLag.percentile(99) / 1e6)} / ${Math.round(harnessLag.max / 1e6)} ms`,
    );
    figure('statuses', counts(statuses));
    figure('X-Cache', counts(xCache));
    figure(
      'cold users requested',
      `${thousands(coldIssued)} (answered ${thousands(coldAnswered)}: ${counts(coldStatuses)})`,
    );
    figure('upstream requests', `${thousands(upstream.length)} (for warm users: ${warmUpstream})`);
    figure('app RSS before / peak / after', `${rssBefore} / ${rssPeak} / ${rssAfter} MB`);
    figure('V8 heap used/total before', heapBefore);
    figure('V8 heap used/total after', heapAfter ?? 'n/a');

    checks.headline(
      `load: ${thousands(served)} requests in ${result.duration} s (${thousands(rps)}/s) at ${CONNECTIONS} connections, ` +
        `${result.errors} errors, ${result.timeouts} timeouts, p99 ${result.latency.p99} ms, ` +
        `${coldIssued} cold users, RSS ${rssBefore} → ${rssAfter} MB (peak ${rssPeak})`,
    );
    checks.check(
      'load: zero connection errors and timeouts',
      result.errors === 0 && result.timeouts === 0,
      `errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    checks.check(
      `load: p99 latency under ${P99_LIMIT_MS} ms`,
      result.latency.p99 < P99_LIMIT_MS,
      `p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    );
    checks.check(
      'load: zero 5xx',
      (result['5xx'] ?? 0) === 0 && !Object.keys(statuses).some((s) => s.startsWith('5')),
      counts(statuses),
    );
    checks.check(
      'load: every answer is a 200 (all requests are valid and every user exists)',
      Object.keys(statuses).length === 1 && statuses['200'] === served && result.non2xx === 0,
      counts(statuses),
    );
    checks.check(
      'load: requests were served',
      served > CONNECTIONS * seconds,
      `${thousands(served)} in ${result.duration} s`,
    );
    checks.check(
      'load: cold users were mixed in and answered 200',
      coldIssued >= 50 && coldAnswered > 0 && coldStatuses['200'] === coldAnswered,
      `${coldIssued} requested, ${counts(coldStatuses)}`,
    );
    checks.check(
      'load: cached users cost no upstream request under load',
      warmUpstream === 0,
      `${warmUpstream} upstream requests for warm users`,
    );
    checks.check(
      `load: RSS growth under ${RSS_GROWTH_LIMIT_MB} MB`,
      alive && rssAfter - rssBefore < RSS_GROWTH_LIMIT_MB,
      `before ${rssBefore} MB, after ${rssAfter} MB: +${Math.round(rssAfter - rssBefore)} MB (peak ${rssPeak} MB)`,
    );
    checks.check(
      'load: the app is alive and /health answers 200 afterwards',
      alive && health === 200,
      `alive ${alive}, /health ${health}`,
    );
  } finally {
    if (sampler) {
      clearInterval(sampler);
    }
    await stopApp(app);
    await fake.close();
  }
}

interface SlowAnswer {
  path: string;
  ms: number;
  /** Seconds after the start of the run the request was sent. */
  sentAtS: number;
}

/** The slowest few, with when they were sent: all at 0 s is a start-up burst, spread out a tail. */
function describeSlow(slow: SlowAnswer[]): string {
  if (slow.length === 0) {
    return 'none';
  }
  const slowest = [...slow].sort((a, b) => b.ms - a.ms).slice(0, 5);
  return (
    `${slow.length}; slowest: ` +
    slowest.map((s) => `${s.ms} ms (sent at ${s.sentAtS.toFixed(1)} s) ${s.path}`).join(', ')
  );
}

/** Heap figures from the app's own /metrics (prom-client's default process metrics). */
async function heapOf(url: string): Promise<string> {
  const text = (await get(`${url}/metrics`)).body;
  const value = (name: string): string => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
    return match ? `${Math.round(Number(match[1]) / 1024 / 1024)} MB` : '?';
  };
  return `${value('nodejs_heap_size_used_bytes')} / ${value('nodejs_heap_size_total_bytes')}, external ${value('nodejs_external_memory_bytes')}`;
}

function tallyOf(values: number[]): Record<string, number> {
  const tally: Record<string, number> = {};
  values.forEach((v) => bump(tally, v));
  return tally;
}

/** A small deterministic generator (mulberry32), so every run asks for the same mix. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
