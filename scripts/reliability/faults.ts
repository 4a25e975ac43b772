/**
 * Part 2, faults: every way GitHub fails, injected by the fake, and a Redis crash. A cached user
 * must get its data (200, X-Cache STALE) when a revalidation fails; an uncached one the right
 * problem (502/503/504, application/problem+json, Retry-After on 503); the service must recover
 * once GitHub does, and stay alive throughout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FailureMode, FailurePlan, FakeGithub } from '../../test/fake-github';
import { get, json, Reply } from './http-client';
import { PrivateRedis } from '../shared/redis-server';
import { App, healthOf, isAlive, startApp, startRedis, stopApp } from './processes';
import { bump, Checks, counts, figure, heading, show } from './report';

interface FaultCase {
  mode: FailureMode;
  /** What an uncached request must get. */
  status: 502 | 503 | 504;
  /** Extra plan settings, relative to now. */
  plan?: (nowSeconds: number) => Partial<FailurePlan>;
  /** How long the service is told to stay away from GitHub afterwards. */
  waitMs?: number;
}

const TIMEOUT_MS = 500;
const PRIMARY_RESET_SECONDS = 3;
const SECONDARY_RETRY_AFTER_SECONDS = 2;

/** The order matters: `bad-credentials` makes the app drop its only token, so it comes last. */
const CASES: FaultCase[] = [
  { mode: 'server-error', status: 502 },
  { mode: 'bad-gateway-html', status: 502 },
  { mode: 'invalid-json', status: 502 },
  { mode: 'reset', status: 502 },
  { mode: 'hang', status: 504 },
  {
    mode: 'primary-rate-limit',
    status: 503,
    plan: (now) => ({ resetEpochSeconds: now + PRIMARY_RESET_SECONDS }),
    waitMs: (PRIMARY_RESET_SECONDS + 1.5) * 1000,
  },
  {
    mode: 'secondary-rate-limit',
    status: 503,
    plan: () => ({ retryAfterSeconds: SECONDARY_RETRY_AFTER_SECONDS }),
    waitMs: (SECONDARY_RETRY_AFTER_SECONDS + 0.5) * 1000,
  },
  { mode: 'bad-credentials', status: 502 },
];

const CACHED_USER = 'stale-user';

/** A user's four routes: list (with `query`), profile, summary, one repository. */
const routesOf = (login: string, repo: string, query = ''): string[] => [
  `/github/repos/${login}${query}`,
  `/github/users/${login}`,
  `/github/users/${login}/summary`,
  `/github/repos/${login}/${repo}`,
];

export async function faultsPart(checks: Checks): Promise<void> {
  heading('2. faults: GitHub failures (cached → STALE, uncached → problem) and a Redis crash');
  let injected = 0;
  let requestsChecked = 0;
  const fake = await FakeGithub.start({ latencyMs: 5 });
  let app: App | undefined;
  try {
    fake.addUser(CACHED_USER, 150);
    const cachedRepo = fake.reposOf(CACHED_USER)[0].name;
    app = await startApp('faults', fake.url, {
      GITHUB_TIMEOUT_MS: String(TIMEOUT_MS),
      CACHE_TTL_SECONDS: '600',
    });
    const cachedPaths = routesOf(CACHED_USER, cachedRepo, '?sort=name&perPage=5');
    const warm = await Promise.all(cachedPaths.map((path) => get(app!.url + path)));
    checks.check(
      'faults: the cached user is cached first (200 on every route)',
      warm.every((r) => r.status === 200),
      warm.map((r) => r.status).join(' '),
    );

    for (const fault of CASES) {
      const now = Math.floor(Date.now() / 1000);
      fake.reset();
      fake.failNext({ mode: fault.mode, times: Infinity, ...(fault.plan?.(now) ?? {}) });
      const fresh = `fresh-${fault.mode}`;
      fake.addUser(fresh, 5);
      const uncachedPaths = routesOf(fresh, fake.reposOf(fresh)[0].name);
      const started = performance.now();
      // A revalidation forced by the client (no-cache) meets the failure: the last good data is served.
      const stale = await Promise.all(
        cachedPaths.map((path) =>
          get(app!.url + path, { headers: { 'cache-control': 'no-cache' } }),
        ),
      );
      const problems = await Promise.all(uncachedPaths.map((path) => get(app!.url + path)));
      const elapsedMs = Math.round(performance.now() - started);
      const upstreamDuringFault = fake.requests.length;
      injected += upstreamDuringFault;
      requestsChecked += stale.length + problems.length;
      fake.reset();

      const staleIssues = stale.flatMap((reply, i) => staleIssuesOf(reply, cachedPaths[i]));
      checks.check(
        `faults: ${fault.mode}: a cached user gets 200 with X-Cache STALE on every route`,
        staleIssues.length === 0,
        staleIssues.length === 0
          ? `${stale.length} requests, ${upstreamDuringFault} failed upstream calls, ${elapsedMs} ms`
          : staleIssues.join('\n'),
      );
      const problemIssues = problems.flatMap((reply, i) =>
        problemIssuesOf(reply, fault.status, uncachedPaths[i]),
      );
      checks.check(
        `faults: ${fault.mode}: an uncached user gets ${fault.status} problem+json${fault.status === 503 ? ' with Retry-After' : ''}`,
        problemIssues.length === 0,
        problemIssues.length === 0 ? `${problems.length} requests` : problemIssues.join('\n'),
      );

      if (fault.waitMs) {
        await sleep(fault.waitMs);
      }
      const recovered = await get(`${app.url}/github/users/${fresh}`);
      const health = await healthOf(app);
      checks.check(
        `faults: ${fault.mode}: alive afterwards, /health 200, and the uncached user is served once GitHub is back`,
        isAlive(app) && health === 200 && recovered.status === 200,
        `alive ${isAlive(app)}, /health ${health}, recovery ${recovered.status}${recovered.status === 200 ? '' : ` ${show(recovered.body)}`}`,
      );
    }
  } finally {
    await stopApp(app);
    await fake.close();
  }

  const redis = await redisCrash(checks);
  injected += redis.injected;
  requestsChecked += redis.requests;
  figure('faults injected', `${injected} (upstream answers failed on purpose, plus Redis crashes)`);
  checks.headline(
    `faults: ${injected} injected (${CASES.length} GitHub failure modes + a Redis crash), ${requestsChecked} requests checked`,
  );
  figure('requests checked under faults', requestsChecked);
}

/** Redis killed (SIGKILL) and restarted on the same port while a request loop keeps going. */
async function redisCrash(checks: Checks): Promise<{ injected: number; requests: number }> {
  const fake = await FakeGithub.start({ latencyMs: 5, rateLimit: { limit: 1_000_000 } });
  let redis: PrivateRedis | undefined;
  let app: App | undefined;
  let stopLoop = false;
  let loop: Promise<void> | undefined;
  try {
    redis = await startRedis();
    app = await startApp('faults-redis', fake.url, {
      REDIS_URL: redis.url,
      CACHE_KEY_PREFIX: `reliability-${process.pid}`,
      CACHE_TTL_SECONDS: '600',
    });
    const url = app.url;
    const up = await waitForReadiness(url, 'up', 10_000);
    checks.check('redis: readiness reports Redis up before the crash', up.ok, up.detail);

    const warm = ['redis-warm-0', 'redis-warm-1', 'redis-warm-2'];
    warm.forEach((login) => fake.addUser(login, 120));
    const COLD = 3_000;
    for (let i = 0; i < COLD; i++) {
      fake.addUser(`redis-cold-${i}`, 3);
    }
    await Promise.all(warm.map((login) => get(`${url}/github/repos/${login}`)));

    let phase = 'before';
    let cold = 0;
    const byPhase: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    const deadline = performance.now() + 60_000;
    const worker = async (id: number): Promise<void> => {
      for (let i = 0; i < 20_000 && !stopLoop && performance.now() < deadline; i++) {
        const path =
          (i + id) % 5 === 0 && cold < COLD
            ? `/github/users/redis-cold-${cold++}`
            : `/github/repos/${warm[i % warm.length]}?sort=${i % 2 ? 'name' : 'stars'}&perPage=${1 + (i % 50)}`;
        try {
          const reply = await get(url + path, { timeoutMs: 5_000 });
          bump(statuses, reply.status);
          if (reply.status !== 200) {
            failures.push(`${phase}: ${path} → ${reply.status} ${show(reply.body, 200)}`);
          }
        } catch (error) {
          failures.push(
            `${phase}: ${path} → ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        bump(byPhase, phase);
        await sleep(10);
      }
    };
    loop = Promise.all([0, 1, 2, 3].map(worker)).then(() => undefined);

    await sleep(2_000);
    phase = 'outage';
    await redis.kill();
    const degraded = await waitForReadiness(url, 'degraded', 5_000);
    checks.check(
      'redis: with Redis killed, /health/ready answers 200 and reports the cache degraded',
      degraded.ok,
      degraded.detail,
    );
    await sleep(3_000);
    phase = 'restarting';
    const restartedAt = performance.now();
    await redis.restart();
    const back = await waitForReadiness(url, 'up', 15_000);
    const backMs = Math.round(performance.now() - restartedAt);
    checks.check(
      'redis: restarted on the same port, readiness is back to up',
      back.ok,
      `${back.detail}; ${backMs} ms after the restart`,
    );
    phase = 'after';
    await sleep(2_000);
    stopLoop = true;
    await loop;
    loop = undefined;
    const total = Object.values(byPhase).reduce((a, b) => a + b, 0);
    figure(
      'requests during the Redis crash',
      `${total} (${counts(byPhase)}), statuses ${counts(statuses)}`,
    );
    figure('readiness back after restart', `${backMs} ms`);
    checks.check(
      'redis: no request failed before, during or after the Redis crash',
      failures.length === 0 && (byPhase.outage ?? 0) > 0,
      failures.length === 0
        ? `${total} requests, ${byPhase.outage ?? 0} during the outage`
        : `${failures.length} failed, first: ${failures.slice(0, 3).join(' | ')}`,
    );
    const health = await healthOf(app);
    checks.check(
      'redis: the app is alive and /health answers 200',
      health === 200,
      `/health ${health}`,
    );
    return { injected: 1, requests: total };
  } finally {
    stopLoop = true;
    await loop?.catch(() => undefined);
    await stopApp(app);
    await redis?.stop();
    await fake.close();
  }
}

async function waitForReadiness(
  url: string,
  want: 'up' | 'degraded',
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    try {
      const reply = await get(`${url}/health/ready`, { timeoutMs: 2_000 });
      const body = json(reply.body) as {
        details?: { cache?: { status?: string; redis?: string } };
      };
      const cache = body?.details?.cache;
      last = `HTTP ${reply.status}, cache ${show(cache)}`;
      const matches =
        want === 'up'
          ? cache?.status === 'up' && cache.redis === 'up'
          : cache?.status === 'degraded' && cache.redis === 'down';
      if (reply.status === 200 && matches) {
        return { ok: true, detail: last };
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  return { ok: false, detail: `not ${want} within ${timeoutMs} ms; last: ${last}` };
}

function staleIssuesOf(reply: Reply, path: string): string[] {
  const issues: string[] = [];
  if (reply.status !== 200) {
    issues.push(`${path}: HTTP ${reply.status} ${show(reply.body, 200)}`);
    return issues;
  }
  if (reply.headers['x-cache'] !== 'STALE') {
    issues.push(`${path}: X-Cache ${String(reply.headers['x-cache'])}, expected STALE`);
  }
  if (json(reply.body) === undefined || !reply.body.includes(CACHED_USER)) {
    issues.push(`${path}: the body is not the user's data: ${show(reply.body, 120)}`);
  }
  return issues;
}

/** What is wrong with an error answer: status, media type, problem fields, Retry-After. */
export function problemIssuesOf(reply: Reply, status: number, path: string): string[] {
  const issues: string[] = [];
  const body = json(reply.body) as Record<string, unknown> | undefined;
  if (reply.status !== status) {
    issues.push(`${path}: HTTP ${reply.status}, expected ${status}: ${show(reply.body, 200)}`);
    return issues;
  }
  if (!String(reply.headers['content-type']).startsWith('application/problem+json')) {
    issues.push(`${path}: content-type ${String(reply.headers['content-type'])}`);
  }
  if (
    !body ||
    body.status !== status ||
    typeof body.type !== 'string' ||
    typeof body.title !== 'string' ||
    typeof body.detail !== 'string' ||
    typeof body.instance !== 'string'
  ) {
    issues.push(`${path}: not a problem body for ${status}: ${show(reply.body, 200)}`);
  }
  if (status === 503) {
    const retryAfter = Number(reply.headers['retry-after']);
    if (!Number.isInteger(retryAfter) || retryAfter < 1) {
      issues.push(`${path}: Retry-After ${String(reply.headers['retry-after'])}`);
    } else if (body?.retryAfter !== retryAfter) {
      issues.push(
        `${path}: retryAfter ${String(body?.retryAfter)} in the body, Retry-After ${retryAfter}`,
      );
    }
  }
  return issues;
}
