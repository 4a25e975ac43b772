/**
 * Part 7, abuse (issue 20): one client at full speed tries to spend the GitHub budget every
 * dashboard shares, while honest clients behind the same trusted proxy keep viewing accounts.
 *
 * The app runs with TRUST_PROXY=1 (the suite's 127.0.0.1 is the proxy), a small per-client
 * upstream budget, history on a PostgreSQL database of its own with a small watch list, and a
 * private Redis (the client budgets are synced through it as between replicas). The abuser sends
 * every request with `X-Forwarded-For: <forged>, ..., 203.0.113.66`: distinct existing and
 * made-up logins, missing logins, `Cache-Control: no-cache` loops on one account, star histories
 * and large accounts. Each honest client has its own address and views new and cached accounts at
 * a human pace.
 *
 * Who caused each GitHub request is read exactly, not estimated: every client request carries its
 * own `X-Request-Id` (`abuse-…`, `honest-<k>-…`), and the app, at LOG_LEVEL=debug, logs each
 * GitHub request with the id of the client request in whose context it ran; the refresher's own
 * requests carry none. The count of those lines is checked against the requests the fake GitHub
 * received, and the fake's own count by login must agree with it.
 */
import { createClient } from '@redis/client';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_HISTORY_PAGES } from '../../src/history/star-history/weekly-history';
import { FakeGithub } from '../../test/fake-github';
import { createTestDatabase, TestDatabase } from '../../test/support/test-database';
import { logPath } from '../shared/built-app';
import { PrivateRedis } from '../shared/redis-server';
import { get, json, Reply } from './http-client';
import { App, healthOf, isAlive, SECRET_TOKEN, startApp, startRedis, stopApp } from './processes';
import { bump, Checks, counts, figure, heading, say, show, thousands } from './report';
import { SeededRandom } from '../../test/fake-github/seeded-random';

const LIMIT = 50;
const WINDOW_S = 60;
const MAX_WATCHED = 20;
const REFRESH_INTERVAL_S = 10;
const REFRESH_SHARE = 0.5;
const STAR_HISTORY_MAX_PAGES = 30;
/** The fake token's hourly budget: small enough that the refresher's share binds. */
const GITHUB_LIMIT = 600;
/** GITHUB_RATE_LIMIT_RESERVE's default, as the governor applies it (at most a tenth of the limit). */
const RESERVE = Math.min(50, Math.floor(GITHUB_LIMIT / 10));
const CACHE_TTL_S = 30;

const ABUSER_IP = '203.0.113.66';
/** Requests of the abuser in flight at once (one keep-alive connection each). */
const ABUSER_CONCURRENCY = 16;
/** A bound on the abuser's requests whatever the machine's speed. */
const ABUSER_MAX_REQUESTS = 200_000;
const HONEST_CLIENTS = 5;
const HONEST_ACCOUNTS_EACH = 30;
/**
 * Every third account of an honest client is large and only its profile is viewed: one request
 * for the client, eleven for the refresher to complete its day, so the refresher has more to do
 * than its share allows and the share is what stops it.
 */
const HONEST_LARGE_EVERY = 3;
/** A human's pace: one view every 1.5-2.5 s, one in three of an account not viewed before. */
const HONEST_PAUSE_MS = [1_500, 2_500] as const;

/**
 * Existing accounts only the abuser asks for; every sixteenth is large (ten pages), so that a
 * profile it views costs the refresher eleven requests to complete.
 */
const ABUSER_ACCOUNTS = 400;
const LARGE_REPOS = 1_000;
const LARGE_EVERY = 16;
/** Repositories whose stargazers the service's token may list (5,000 stars: 50 pages, sampled). */
const STARRED_REPOS = 4;
const STARS_EACH = 5_000;

/**
 * The most GitHub requests one of the abuser's requests can cause, by the service's own limits: a
 * star history (the repository and up to MAX_HISTORY_PAGES pages of GitHub's weekly history, or,
 * where there is none, its 404 and STAR_HISTORY_MAX_PAGES stargazer pages) or a large account's
 * summary (its profile and every page of its list). Printed beside what each request really cost.
 */
const MAX_PAGES_PER_REQUEST = Math.max(
  1 + MAX_HISTORY_PAGES,
  2 + STAR_HISTORY_MAX_PAGES,
  1 + LARGE_REPOS / 100,
);

const BUDGET_PROBLEM = 'urn:github-dashboard:problem:client-upstream-budget';

type Who = 'abuser' | 'honest' | 'service';

/** One `GitHub request` line of the app's log. */
interface UpstreamLine {
  time: number;
  who: Who;
  reqId?: string;
  route: string;
  status: number | string;
}

/** One `History refresher round` line. */
interface RoundLine {
  time: number;
  allowance: number;
  planned: number;
  refreshed: number;
  skipped: number;
}

interface HonestTally {
  statuses: Record<string, number>;
  /** Every answer that was not a 200, briefly. */
  bad: string[];
}

interface AbuserTally {
  sent: number;
  statuses: Record<string, number>;
  kinds: Record<string, number>;
  budget429: number;
  other429: number;
  firstBudget429At?: number;
  /** When each client-upstream-budget 429 arrived (epoch ms). */
  budget429At: number[];
  errors: number;
}

/**
 * `appEnv` changes the app's settings, never the checks' (RELIABILITY_ABUSE_APP_ENV): the way to
 * watch each check fail with its protection turned off (docs/reliability.md).
 */
export async function abusePart(
  checks: Checks,
  seconds: number,
  appEnv: Record<string, string | undefined> = {},
): Promise<void> {
  heading(
    `7. abuse: one client at full speed for ${seconds} s behind a trusted proxy, ${HONEST_CLIENTS} honest clients beside`,
  );
  const fake = await FakeGithub.start({ latencyMs: 20, rateLimit: { limit: GITHUB_LIMIT } });
  let app: App | undefined;
  let redis: PrivateRedis | undefined;
  let database: TestDatabase | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: ABUSER_CONCURRENCY });
  const keyPrefix = `abuse-${process.pid}`;
  let redisClient: ReturnType<typeof createClient> | undefined;
  try {
    const accounts = addAccounts(fake);
    database = await createTestDatabase();
    redis = await startRedis();
    const env: Record<string, string> = {
      LOG_LEVEL: 'debug',
      TRUST_PROXY: '1',
      REDIS_URL: redis.url,
      CACHE_KEY_PREFIX: keyPrefix,
      CLIENT_UPSTREAM_LIMIT: String(LIMIT),
      CLIENT_UPSTREAM_WINDOW_S: String(WINDOW_S),
      CACHE_TTL_SECONDS: String(CACHE_TTL_S),
      HISTORY_ENABLED: 'true',
      DATABASE_URL: database.url,
      HISTORY_MAX_WATCHED: String(MAX_WATCHED),
      HISTORY_REFRESH_INTERVAL_SECONDS: String(REFRESH_INTERVAL_S),
      HISTORY_REFRESH_SHARE: String(REFRESH_SHARE),
      STAR_HISTORY_MAX_PAGES: String(STAR_HISTORY_MAX_PAGES),
      // The production defaults, not the suite's generous ones (processes.ts).
      GITHUB_MAX_REQUESTS_PER_MINUTE: '900',
      CACHE_MIN_REVALIDATE_S: '10',
    };
    for (const [name, value] of Object.entries(appEnv)) {
      if (value === undefined) {
        delete env[name];
      } else {
        env[name] = value;
      }
    }
    if (Object.keys(appEnv).length > 0) {
      say(`   app settings changed for this run (the checks keep theirs): ${show(appEnv)}`);
    }
    app = await startApp('abuse', fake.url, env);
    const url = app.url;
    await waitForHistory(database);

    redisClient = createClient({ url: redis.url });
    await redisClient.connect();
    const watched = { max: 0, samples: 0 };
    const shared: SharedBudgets = { clients: new Set(), abuserMax: 0 };
    const startedAt = Date.now();
    const deadline = startedAt + seconds * 1000;
    const sampler = (async () => {
      while (Date.now() < deadline) {
        const count = await watchedCount(database);
        if (count !== undefined) {
          watched.max = Math.max(watched.max, count);
          watched.samples++;
        }
        await sampleSharedBudgets(redisClient, `${keyPrefix}:upstream:`, shared);
        await sleep(2_000);
      }
    })();
    const abuser = emptyTally();
    const honest = Array.from({ length: HONEST_CLIENTS }, (): HonestTally => ({
      statuses: {},
      bad: [],
    }));
    await Promise.all([
      sampler,
      ...Array.from({ length: ABUSER_CONCURRENCY }, (_, worker) =>
        abuserWorker(url, accounts, abuser, deadline, worker, agent),
      ),
      ...honest.map((tally, k) => honestClient(url, k, tally, deadline)),
    ]);
    const ranFor = (Date.now() - startedAt) / 1000;
    // The refresher's last round and the snapshot writes settle before the figures are read.
    await sleep(1_000);
    const finalWatched = await watchedCount(database);
    const honestWatched = await watchedLike(database, 'honest-%');
    watched.max = Math.max(watched.max, finalWatched ?? 0);
    const metrics = (await get(`${url}/metrics`)).body;
    const alive = isAlive(app);
    const health = await healthOf(app);
    await stopApp(app);
    const logFile = logPath('abuse.stdout.log');
    app = undefined;

    // --- who caused what
    const { upstream, rounds } = readAppLog(logFile);
    const mine = upstream.filter((line) => line.who === 'abuser');
    const service = upstream.filter(
      (line) => line.who === 'service' && line.route !== '/rate_limit',
    );
    const honestUpstream = upstream.filter((line) => line.who === 'honest').length;
    const fakeCount = fake.requests.length;
    const byLogin = attributeByLogin(fake, accounts);
    const windows = abuserWindows(mine, abuser.budget429At);
    const overspent = windows.filter((w) => w.requests > LIMIT + w.costliest.cost);
    const late = windows.flatMap((w) => w.late);
    const firstRefusal = abuser.firstBudget429At;
    const refresher = refresherWithinShare(upstream, rounds);
    const skippedBudget = metricValue(
      metrics,
      'history_refresher_accounts_total',
      'skipped_budget',
    );
    const charged = metricValue(metrics, 'client_upstream_requests_total', 'charged');
    const refused = metricValue(metrics, 'client_upstream_requests_total', 'refused');
    const budgetLeft = fake.rateLimitOf(`Bearer ${SECRET_TOKEN}`).remaining;

    figure('ran for', `${ranFor.toFixed(1)} s`);
    figure(
      'abuser requests',
      `${thousands(abuser.sent)} (${(abuser.sent / ranFor).toFixed(0)}/s): ${counts(abuser.statuses)}`,
    );
    figure('abuser request kinds', counts(abuser.kinds));
    figure(
      'abuser 429s',
      `${thousands(abuser.budget429)} client-upstream-budget, ${abuser.other429} other; first after ${
        firstRefusal === undefined ? 'never' : `${((firstRefusal - startedAt) / 1000).toFixed(1)} s`
      }`,
    );
    figure(
      "abuser's GitHub requests",
      `${mine.length} in ${windows.length} window(s) of ${WINDOW_S} s: ${windows.map(describeWindow).join('; ')} ` +
        `(its share: ${LIMIT} + one request's cost a window; one request may cost up to ${MAX_PAGES_PER_REQUEST})`,
    );
    figure(
      'shared budgets in Redis',
      `${shared.clients.size} clients (${[...shared.clients].sort().slice(0, 8).join(', ')}${shared.clients.size > 8 ? ', …' : ''}); ` +
        `the abuser's window total at most ${shared.abuserMax}`,
    );
    figure(
      'GitHub requests by login (the fake)',
      `${byLogin.abuser} about the abuser's accounts (its own ${mine.length}, the refresher's the rest), ` +
        `${byLogin.honest} about the honest clients' (their own ${honestUpstream}), ${byLogin.other} other` +
        (byLogin.other > 0 ? ` (${show(byLogin.otherExamples)})` : ''),
    );
    honest.forEach((tally, k) => figure(`honest client ${k + 1}`, counts(tally.statuses)));
    figure(
      'GitHub requests by cause',
      `abuser ${mine.length}, honest ${honestUpstream}, refresher ${service.length}, ` +
        `/rate_limit ${upstream.length - mine.length - honestUpstream - service.length}; ` +
        `${upstream.length} logged, ${fakeCount} received by the fake`,
    );
    figure(
      'client budget metric',
      `charged ${charged ?? '?'}, refused ${refused ?? '?'} (client_upstream_requests_total)`,
    );
    figure(
      'refresher rounds',
      `${rounds.length} ran; refreshed ${sum(rounds, 'refreshed')}, skipped ${sum(rounds, 'skipped')} ` +
        `(skipped_budget metric ${skippedBudget ?? 0}); allowance/planned per round ` +
        rounds.map((round) => `${round.allowance}/${round.planned}`).join(', '),
    );
    figure('refresher vs its share', refresher.detail);
    figure(
      'watch list rows',
      `${finalWatched ?? '?'} at the end (cap ${MAX_WATCHED}), at most ${watched.max} in ${watched.samples} samples during the run; ` +
        `honest accounts among them ${honestWatched ?? '?'}`,
    );
    figure('GitHub budget left', `${budgetLeft} of ${GITHUB_LIMIT} (reserve ${RESERVE})`);

    checks.headline(
      `abuse: ${thousands(abuser.sent)} abusive requests in ${ranFor.toFixed(0)} s cost GitHub ${mine.length} requests ` +
        `(${windows.map(describeWindow).join('; ')}), ${thousands(abuser.budget429)} budget 429s; ` +
        `honest ${counts(mergeTallies(honest.map((h) => h.statuses)))}; refresher spent ${refresher.spent} ` +
        `(${refresher.summary}); watch list ${finalWatched ?? '?'} of ${MAX_WATCHED} at the end, ${watched.max} at most`,
    );
    const badHonest = honest.flatMap((tally, k) => tally.bad.map((b) => `client ${k + 1}: ${b}`));
    const honestAnswered = honest.every((tally) => (tally.statuses['200'] ?? 0) >= seconds / 5);
    checks.check(
      'abuse: honest clients got only 200s throughout (no 429, no 5xx)',
      badHonest.length === 0 && honestAnswered,
      badHonest.length > 0
        ? `${badHonest.length} not 200: ${show(badHonest.slice(0, 5), 600)}`
        : honest.map((tally) => counts(tally.statuses)).join('; '),
    );
    checks.check(
      'abuse: every GitHub request the fake received is attributed (logged with its cause, and the fake agrees by login)',
      upstream.length === fakeCount &&
        byLogin.abuser >= mine.length &&
        byLogin.honest >= honestUpstream &&
        byLogin.other === 0,
      `${upstream.length} logged, ${fakeCount} received; by login: abuser's ${byLogin.abuser} ≥ ${mine.length}, ` +
        `honest ${byLogin.honest} ≥ ${honestUpstream}, other ${byLogin.other}`,
    );
    checks.check(
      `abuse: the abuser's GitHub cost stays within its share (each window: CLIENT_UPSTREAM_LIMIT=${LIMIT} plus one request's cost)`,
      overspent.length === 0 && mine.length > 0,
      windows.map(describeWindow).join('; '),
    );
    const expectedClients = [ABUSER_IP, ...honest.map((_, k) => honestIp(k))];
    const strangers = [...shared.clients].filter((client) => !expectedClients.includes(client));
    checks.check(
      'abuse: forged X-Forwarded-For entries did not make the abuser many clients (429s began once its share was spent, nothing new was admitted after them in that window, and the shared budgets in Redis name only the real clients)',
      abuser.budget429 > 0 &&
        late.length === 0 &&
        shared.clients.has(ABUSER_IP) &&
        strangers.length === 0,
      `${abuser.budget429} budget 429s; requests admitted to GitHub more than 1 s after a refusal in the same window: ${late.length}` +
        (late.length > 0 ? ` (${show(late.slice(0, 5))})` : '') +
        `; clients with a budget in Redis: ${shared.clients.size}` +
        (strangers.length > 0 ? `, not ours: ${show(strangers.slice(0, 5))}` : ''),
    );
    checks.check(
      `abuse: the refresher stays within its share (HISTORY_REFRESH_SHARE=${REFRESH_SHARE} of the budget above the reserve)`,
      refresher.ok && rounds.length > 0 && sum(rounds, 'refreshed') > 0,
      `${refresher.detail}; ${rounds.length} rounds, ${sum(rounds, 'refreshed')} accounts refreshed`,
    );
    // A view's insert and the eviction past the cap are one transaction under one lock
    // (watch-list.ts): no sample, during the run or at rest, may see more rows than the cap.
    checks.check(
      `abuse: the watch list stays within HISTORY_MAX_WATCHED=${MAX_WATCHED}`,
      watched.samples > 0 &&
        (finalWatched ?? 0) > 0 &&
        (finalWatched ?? 0) <= MAX_WATCHED &&
        watched.max <= MAX_WATCHED,
      `${finalWatched ?? '?'} at the end; at most ${watched.max} in ${watched.samples} samples during the run`,
    );
    checks.check(
      'abuse: the app is alive and /health answered 200 after the run',
      alive && health === 200,
      `alive ${alive}, /health ${health}`,
    );
  } finally {
    agent.destroy();
    redisClient?.destroy();
    await stopApp(app);
    await redis?.stop();
    await database?.drop();
    await fake.close();
  }
}

interface AbuserAccounts {
  /** Existing accounts only the abuser asks for, large ones among them. */
  existing: string[];
  large: string[];
  /** `owner/name` of repositories with listable stargazers, and of ones without. */
  starred: string[];
  plainRepos: string[];
  /** Account ids (in `/user/{id}/repos` pages) and repository ids (`/repositories/{id}/...`). */
  abuserIds: Set<number>;
  abuserRepoIds: Set<number>;
  honestIds: Set<number>;
}

function addAccounts(fake: FakeGithub): AbuserAccounts {
  const existing: string[] = [];
  const large: string[] = [];
  const plainRepos: string[] = [];
  const abuserIds = new Set<number>();
  const abuserRepoIds = new Set<number>();
  const honestIds = new Set<number>();
  for (let i = 0; i < ABUSER_ACCOUNTS; i++) {
    const login = `abuse-acct-${i}`;
    const isLarge = i % LARGE_EVERY === LARGE_EVERY - 1;
    const repos = fake.addUser(login, isLarge ? LARGE_REPOS : 3);
    existing.push(login);
    if (isLarge) {
      large.push(login);
    }
    plainRepos.push(repos[0].full_name);
    abuserIds.add(fake.profileOf(login).id);
    // A star history's later pages are named by the repository's id.
    abuserRepoIds.add(repos[0].id);
  }
  const starred: string[] = [];
  const start = Date.parse('2020-01-01T00:00:00Z');
  const starredAt = Array.from({ length: STARS_EACH }, (_, i) =>
    new Date(start + i * 3_600_000).toISOString().replace('.000', ''),
  );
  for (let i = 0; i < STARRED_REPOS; i++) {
    const login = `abuse-stars-${i}`;
    const [repo] = fake.addUser(login, 1);
    fake.setStargazers(repo.full_name, { starredAt, collaborators: [SECRET_TOKEN] });
    starred.push(repo.full_name);
    abuserIds.add(fake.profileOf(login).id);
    abuserRepoIds.add(repo.id);
  }
  for (let k = 0; k < HONEST_CLIENTS; k++) {
    for (let n = 0; n < HONEST_ACCOUNTS_EACH; n++) {
      const login = `honest-${k}-${n}`;
      fake.addUser(login, n % HONEST_LARGE_EVERY === 1 ? LARGE_REPOS : (n * 7) % 150);
      honestIds.add(fake.profileOf(login).id);
    }
  }
  return { existing, large, starred, plainRepos, abuserIds, abuserRepoIds, honestIds };
}

/** One of the abuser's connections: the next request of the mix as soon as the last is answered. */
async function abuserWorker(
  url: string,
  accounts: AbuserAccounts,
  tally: AbuserTally,
  deadline: number,
  worker: number,
  agent: Agent,
): Promise<void> {
  // Seeded: every run sends the same mix.
  const rng = new SeededRandom(`abuser-${worker}`);
  const random = (): number => rng.next();
  while (Date.now() < deadline && tally.sent < ABUSER_MAX_REQUESTS) {
    const n = tally.sent++;
    const { kind, path, noCache } = abusiveRequest(n, accounts, random);
    bump(tally.kinds, kind);
    const headers: Record<string, string> = {
      'x-request-id': `abuse-${n}`,
      'x-forwarded-for': [...forgedEntries(random), ABUSER_IP].join(', '),
      ...(noCache ? { 'cache-control': 'no-cache' } : {}),
    };
    let reply: Reply;
    try {
      reply = await get(url + path, { headers, agent, timeoutMs: 15_000 });
    } catch {
      tally.errors++;
      bump(tally.statuses, 'error');
      continue;
    }
    bump(tally.statuses, reply.status);
    if (reply.status === 429) {
      if ((json(reply.body) as { type?: string } | undefined)?.type === BUDGET_PROBLEM) {
        tally.budget429++;
        tally.firstBudget429At ??= Date.now();
        tally.budget429At.push(Date.now());
      } else {
        tally.other429++;
      }
    }
  }
}

/** The abuser's mix: every kind of request that costs GitHub something, round-robin. */
function abusiveRequest(
  n: number,
  accounts: AbuserAccounts,
  random: () => number,
): { kind: string; path: string; noCache: boolean } {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const fresh = Math.floor(n / 7);
  switch (n % 7) {
    case 0: {
      // A distinct login each time: existing ones while they last, then made-up ones.
      const login = fresh < accounts.existing.length ? accounts.existing[fresh] : `made-up-${n}`;
      return { kind: 'distinct-user', path: `/github/users/${login}`, noCache: false };
    }
    case 1: {
      // From the other end: a list viewed alone leaves the profile for the refresher to fetch.
      const login =
        fresh < accounts.existing.length
          ? accounts.existing[accounts.existing.length - 1 - fresh]
          : `made-up-${n}`;
      return { kind: 'distinct-repos', path: `/github/repos/${login}`, noCache: false };
    }
    case 2:
      return { kind: 'missing', path: `/github/users/no-such-login-${n}`, noCache: false };
    case 3:
      return {
        kind: 'no-cache',
        path: pick(['/github/users/abuse-acct-0', '/github/repos/abuse-acct-0']),
        noCache: true,
      };
    case 4:
      return {
        kind: 'star-history',
        path: `/github/repos/${pick(random() < 0.5 ? accounts.starred : accounts.plainRepos)}/star-history`,
        noCache: true,
      };
    case 5:
      return {
        kind: 'large',
        path: `/github/users/${pick(accounts.large)}/summary`,
        noCache: random() < 0.5,
      };
    default:
      return {
        kind: 'large',
        path: `/github/repos/${pick(accounts.large)}?sort=updated&perPage=100`,
        noCache: true,
      };
  }
}

/** 0-3 forged addresses, some of them the honest clients': only the proxy's last entry counts. */
function forgedEntries(random: () => number): string[] {
  const count = Math.floor(random() * 4);
  return Array.from({ length: count }, () => {
    const r = random();
    if (r < 0.25) {
      return honestIp(Math.floor(random() * HONEST_CLIENTS));
    }
    if (r < 0.5) {
      return `2001:db8:${Math.floor(random() * 65_536).toString(16)}::${Math.floor(random() * 65_536).toString(16)}`;
    }
    return Array.from({ length: 4 }, () => Math.floor(random() * 256)).join('.');
  });
}

const honestIp = (k: number): string => `198.51.100.${10 + k}`;

/**
 * An honest client: one view every 1.5-2.5 s through the same proxy, its own address the only
 * X-Forwarded-For entry; one view in three of an account of its own it has not viewed before
 * (profile, list or summary; only the profile of a large one), the others of its last few
 * accounts, cached or revalidated.
 */
async function honestClient(
  url: string,
  k: number,
  tally: HonestTally,
  deadline: number,
): Promise<void> {
  const rng = new SeededRandom(`honest-${k}`);
  const random = (): number => rng.next();
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const viewed: string[] = [];
  const routes = [
    (login: string) => `/github/users/${login}`,
    (login: string) => `/github/repos/${login}`,
    (login: string) => `/github/users/${login}/summary`,
  ];
  for (let n = 0; Date.now() < deadline && n < 1_000; n++) {
    let login: string;
    if (viewed.length === 0 || (n % 3 === 0 && viewed.length < HONEST_ACCOUNTS_EACH)) {
      login = `honest-${k}-${viewed.length}`;
      viewed.push(login);
    } else {
      login = viewed[Math.max(0, viewed.length - 1 - Math.floor(random() * 3))];
    }
    const index = Number(login.slice(login.lastIndexOf('-') + 1));
    const route = index % HONEST_LARGE_EVERY === 1 ? routes[0] : pick(routes);
    const path = route(login);
    try {
      const reply = await get(url + path, {
        headers: { 'x-request-id': `honest-${k}-${n}`, 'x-forwarded-for': honestIp(k) },
      });
      bump(tally.statuses, reply.status);
      if (reply.status !== 200) {
        tally.bad.push(`${path} ${reply.status} ${reply.body.slice(0, 160)}`);
      }
    } catch (error) {
      bump(tally.statuses, 'error');
      tally.bad.push(`${path} ${error instanceof Error ? error.message : String(error)}`);
    }
    const [low, high] = HONEST_PAUSE_MS;
    await sleep(Math.min(low + random() * (high - low), Math.max(0, deadline - Date.now())));
  }
}

/** The GitHub request and refresher round lines of the app's log, with their causes. */
function readAppLog(file: string): { upstream: UpstreamLine[]; rounds: RoundLine[] } {
  const upstream: UpstreamLine[] = [];
  const rounds: RoundLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.includes('"GitHub request"') && !text.includes('"History refresher round"')) {
      continue;
    }
    const line = json(text) as Record<string, unknown> | undefined;
    if (!line) {
      continue;
    }
    if (line.msg === 'GitHub request') {
      const reqId = (line.req as { id?: string } | undefined)?.id;
      upstream.push({
        time: Number(line.time),
        reqId,
        who: reqId === undefined ? 'service' : reqId.startsWith('abuse-') ? 'abuser' : 'honest',
        route: String(line.route),
        status: line.status as number | string,
      });
    } else if (line.msg === 'History refresher round') {
      rounds.push({
        time: Number(line.time),
        allowance: Number(line.allowance),
        planned: Number(line.planned),
        refreshed: Number(line.refreshed),
        skipped: Number(line.skipped),
      });
    }
  }
  return { upstream, rounds };
}

/**
 * The refresher plans at most HISTORY_REFRESH_SHARE of what is left above the reserve, counting
 * what it planned earlier in the same rate-limit window (refresh-allowance.ts). Checked from the
 * outside, round by round: what it has spent of the budget by the end of a round (its requests
 * but the free 304s) must not exceed the share of (limit − reserve − what everyone else had spent
 * by the previous round's end). That follows from its rule whatever it planned, and it is generous
 * only in counting everyone else up to the previous round's end rather than the round's start.
 * Requests after the last logged round (one cut short by the stop) are checked the same way.
 */
function refresherWithinShare(
  upstream: UpstreamLine[],
  rounds: RoundLine[],
): { ok: boolean; detail: string; summary: string; requests: number; spent: number } {
  const own = upstream.filter((l) => l.who === 'service' && l.route !== '/rate_limit');
  const spends = (l: UpstreamLine): boolean => l.status !== 304 && l.route !== '/rate_limit';
  const othersSpent = (before: number): number =>
    upstream.filter((l) => l.who !== 'service' && l.time <= before && spends(l)).length;
  const ends = rounds.map((round) => round.time).sort((a, b) => a - b);
  if (own.some((l) => l.time > (ends.at(-1) ?? 0))) {
    ends.push(Infinity);
  }
  let previousEnd = 0;
  let worst = { spent: 0, bound: 0, round: 0 };
  let ok = true;
  ends.forEach((end, index) => {
    const spent = own.filter((l) => l.time <= end && spends(l)).length;
    const bound = Math.floor(REFRESH_SHARE * (GITHUB_LIMIT - RESERVE - othersSpent(previousEnd)));
    ok &&= spent <= bound;
    if (index === 0 || spent - bound >= worst.spent - worst.bound) {
      worst = { spent, bound, round: index + 1 };
    }
    previousEnd = end;
  });
  const spent = own.filter(spends).length;
  const detail =
    ends.length === 0
      ? 'no round ran'
      : `${spent} of its ${own.length} requests spent budget (the rest were free 304s); ` +
        `closest: ${worst.spent} spent by the end of round ${worst.round}, bound ${worst.bound}`;
  return {
    ok,
    detail,
    summary: `${worst.spent} spent of ${worst.bound} allowed by round ${worst.round}`,
    requests: own.length,
    spent,
  };
}

/**
 * The fake's own attribution, from the paths it received: requests about the abuser's accounts
 * (its logins, their numeric ids in `Link` pages, its made-up and missing logins, its repositories).
 */
function attributeByLogin(
  fake: FakeGithub,
  accounts: AbuserAccounts,
): { abuser: number; honest: number; other: number; otherExamples: string[] } {
  const tally = { abuser: 0, honest: 0, other: 0, otherExamples: [] as string[] };
  for (const request of fake.requests) {
    const path = request.path;
    const user = Number(/^\/user\/(\d+)\//.exec(path)?.[1]);
    const repo = Number(/^\/repositories\/(\d+)\//.exec(path)?.[1]);
    if (
      /abuse-|made-up-|no-such-login-/.test(path) ||
      accounts.abuserIds.has(user) ||
      accounts.abuserRepoIds.has(repo)
    ) {
      tally.abuser++;
    } else if (/honest-/.test(path) || accounts.honestIds.has(user)) {
      tally.honest++;
    } else {
      tally.other++;
      if (tally.otherExamples.length < 3) {
        tally.otherExamples.push(path);
      }
    }
  }
  return tally;
}

interface AbuserWindow {
  /** When its first request was answered (epoch ms). */
  opened: number;
  /** GitHub requests of the abuser's requests admitted in this window (all their pages). */
  requests: number;
  /** Its requests admitted to GitHub. */
  admitted: number;
  /** The most one of them cost. */
  costliest: { id: string; cost: number };
  /** Requests admitted more than a second after the window's first refusal (should be none). */
  late: string[];
}

/**
 * The abuser's budget windows as its GitHub requests show them: one opens at the first request
 * after the last one closed and lasts CLIENT_UPSTREAM_WINDOW_S. Each of its requests counts, all
 * pages, in the window it was admitted in (its first GitHub request). A request admitted more than
 * a second after the window's first refusal means another client's budget paid for it: with one
 * client the window's count only grows, so once it refuses it refuses until the window ends.
 */
function abuserWindows(mine: UpstreamLine[], refusals: number[]): AbuserWindow[] {
  const requests = new Map<string, { first: number; cost: number }>();
  for (const line of mine) {
    const request = requests.get(line.reqId!) ?? { first: line.time, cost: 0 };
    request.first = Math.min(request.first, line.time);
    request.cost++;
    requests.set(line.reqId!, request);
  }
  const byAdmission = [...requests.entries()].sort((a, b) => a[1].first - b[1].first);
  const windowMs = WINDOW_S * 1000;
  const windows: AbuserWindow[] = [];
  for (const [id, request] of byAdmission) {
    let current = windows.at(-1);
    if (!current || request.first >= current.opened + windowMs) {
      current = {
        opened: request.first,
        requests: 0,
        admitted: 0,
        costliest: { id, cost: 0 },
        late: [],
      };
      windows.push(current);
    }
    current.requests += request.cost;
    current.admitted++;
    if (request.cost > current.costliest.cost) {
      current.costliest = { id, cost: request.cost };
    }
  }
  for (const window of windows) {
    const closes = window.opened + windowMs;
    const refused = refusals.find((at) => at >= window.opened && at < closes);
    if (refused === undefined) {
      continue;
    }
    for (const [id, request] of byAdmission) {
      if (request.first > refused + 1_000 && request.first < closes - 1_000) {
        window.late.push(`${id} at +${((request.first - refused) / 1000).toFixed(1)} s`);
      }
    }
  }
  return windows;
}

function describeWindow(window: AbuserWindow, index: number): string {
  return (
    `window ${index + 1}: ${window.requests} for ${window.admitted} requests admitted, ` +
    `share ${LIMIT} + ${window.costliest.cost} (its costliest request)`
  );
}

interface SharedBudgets {
  /** Every client that had a budget window in Redis while the run was sampled. */
  clients: Set<string>;
  /** The largest total Redis held for the abuser's window. */
  abuserMax: number;
}

/** The client budget windows the app shares through Redis (`<prefix>:upstream:<client>`). */
async function sampleSharedBudgets(
  client: ReturnType<typeof createClient>,
  prefix: string,
  shared: SharedBudgets,
): Promise<void> {
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      for (const key of keys) {
        const name = key.slice(prefix.length);
        shared.clients.add(name);
        if (name === ABUSER_IP) {
          shared.abuserMax = Math.max(shared.abuserMax, Number(await client.get(key)));
        }
      }
    }
  } catch {
    // A missed sample only makes the figures older; the next one is two seconds away.
  }
}

async function waitForHistory(database: TestDatabase): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await watchedCount(database)) !== undefined) {
      return;
    }
    await sleep(100);
  }
  say('   note: watched_accounts did not appear within 10 s of start-up');
}

async function watchedCount(database: TestDatabase): Promise<number | undefined> {
  try {
    const [row] = await database.query<{ count: string }>(
      'SELECT count(*) AS count FROM watched_accounts',
    );
    return Number(row.count);
  } catch {
    return undefined;
  }
}

async function watchedLike(database: TestDatabase, pattern: string): Promise<number | undefined> {
  try {
    const [row] = await database.query<{ count: string }>(
      'SELECT count(*) AS count FROM watched_accounts WHERE login LIKE $1',
      [pattern],
    );
    return Number(row.count);
  } catch {
    return undefined;
  }
}

function metricValue(text: string, name: string, outcome: string): number | undefined {
  const match = new RegExp(`^${name}\\{outcome="${outcome}"\\} ([0-9.e+]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

function emptyTally(): AbuserTally {
  return {
    sent: 0,
    statuses: {},
    kinds: {},
    budget429: 0,
    other429: 0,
    budget429At: [],
    errors: 0,
  };
}

function sum(rounds: RoundLine[], field: 'refreshed' | 'skipped' | 'planned'): number {
  return rounds.reduce((total, round) => total + round[field], 0);
}

function mergeTallies(tallies: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  tallies.forEach((tally) => Object.entries(tally).forEach(([key, n]) => bump(merged, key, n)));
  return merged;
}
