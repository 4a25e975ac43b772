/**
 * Part 6, large accounts (issue 10): under the pod's heap (`--max-old-space-size=128`), the
 * repositories of many distinct accounts of 5,000 repositories, some of their summaries and one
 * account of 100,000, with some concurrency and small accounts' traffic mixed in. The process must
 * stay up with RSS under the pod's 256 MiB; every answer must be right: complete accounts in full
 * and in order across all pages, the huge one answered as partial (its most recently pushed
 * repositories, for at most N + 2 GitHub pages). Before the memory work the app died of heap
 * exhaustion after ~27 accounts of 5,000.
 */
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGithub } from '../../test/fake-github';
import { expectedSummary } from '../../test/support/expected-dashboard';
import { ApiRepo, expectedListing, Sort } from '../../test/support/expected-repos';
import { procStatusMiB } from '../shared/child-processes';
import { get, json, Reply } from './http-client';
import { App, healthOf, isAlive, rssMb, startApp, stopApp, tailOf } from './processes';
import { bump, Checks, counts, figure, heading, say, show, thousands } from './report';

/** Well past the 27 accounts of 5,000 that exhausted the heap before the memory work. */
const LARGE_ACCOUNTS = 45;
const LARGE_REPOS = 5_000;
const HUGE_REPOS = 100_000;
/** The app's default GITHUB_MAX_REPOS_PER_ACCOUNT: the suite runs the default. */
const MAX_REPOS_PER_ACCOUNT = 10_000;
const PER_PAGE = 100;
/** Page 1, the `last` page it names (to count), then pages 1..N by `pushed` descending. */
const HUGE_PAGE_BUDGET = Math.ceil(MAX_REPOS_PER_ACCOUNT / PER_PAGE) + 2;
/** Accounts walked at the same time; the small accounts' traffic runs beside them. */
const CONCURRENCY = 4;
const SMALL_ACCOUNTS = 30;
const SMALL_TRAFFIC_LOOPS = 2;
/** Every SUMMARY_EVERY-th large account also has its summary asked for. */
const SUMMARY_EVERY = 5;
/** The huge account is asked for once this many large accounts were served: amid the others. */
const HUGE_AFTER = 20;
/** deploy/k8s gives the pod 256 MiB; the kernel kills it beyond. */
const RSS_LIMIT_MIB = 256;
const RSS_SAMPLE_MS = 20;
const HEAP_SAMPLE_MS = 1_000;
/** A cold 5,000-repository account is 50 GitHub pages of ~500 kB: seconds, not a minute. */
const REQUEST_TIMEOUT_MS = 60_000;
const SORTS: Sort[] = ['stars', 'name', 'pushed', 'forks', 'updated', 'created'];

/** The list routes' body, with the fields the memory work added. */
interface ListBody {
  total: number;
  page: number;
  perPage: number;
  repos: ApiRepo[];
  complete?: unknown;
  publicRepos?: unknown;
  coverage?: unknown;
}

interface SummaryBody {
  totals: Record<string, number>;
  topRepos: ApiRepo[];
  recentlyPushed: ApiRepo[];
  complete?: unknown;
  publicRepos?: unknown;
  coverage?: unknown;
}

interface Account {
  login: string;
  kind: 'user' | 'org';
  sort: Sort;
  summary: boolean;
}

/** What went wrong, per check: the first few details are printed; `right` counts what did not. */
class Problems {
  count = 0;
  right = 0;
  readonly first: string[] = [];
  /** One outcome: a problem, or undefined when all was right. */
  record(problem: string | undefined): void {
    if (problem === undefined) {
      this.right++;
    } else {
      this.add(problem);
    }
  }
  add(detail: string): void {
    this.count++;
    if (this.first.length < 3) {
      this.first.push(detail);
    }
  }
  get detail(): string {
    return this.first.join('\n');
  }
}

export async function largeAccountsPart(checks: Checks, nodeOptions: string): Promise<void> {
  heading(
    `6. large accounts: ${LARGE_ACCOUNTS} accounts of ${thousands(LARGE_REPOS)} repositories, one of ${thousands(HUGE_REPOS)}, small accounts beside, under ${nodeOptions || 'no heap limit'}`,
  );
  const fake = await FakeGithub.start({ rateLimit: { limit: 10_000_000 } });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY + SMALL_TRAFFIC_LOOPS + 2 });
  let app: App | undefined;
  const samplers: NodeJS.Timeout[] = [];
  const stopSampling = (): void => samplers.splice(0).forEach(clearInterval);
  try {
    const generatedAt = performance.now();
    const large: Account[] = Array.from({ length: LARGE_ACCOUNTS }, (_, i) => {
      // Every third one an organisation, so both list routes carry the load.
      const kind = i % 3 === 2 ? 'org' : 'user';
      const login = `large-${kind}-${i}`;
      if (kind === 'org') {
        fake.addOrg(login, LARGE_REPOS);
      } else {
        fake.addUser(login, LARGE_REPOS);
      }
      return { login, kind, sort: SORTS[i % SORTS.length], summary: i % SUMMARY_EVERY === 0 };
    });
    const huge = 'huge-org';
    fake.addOrg(huge, HUGE_REPOS);
    const small = Array.from({ length: SMALL_ACCOUNTS }, (_, i) => {
      const login = `small-user-${i}`;
      fake.addUser(login, (i * 37) % 260);
      return login;
    });
    figure(
      'fake GitHub accounts generated',
      `${thousands(LARGE_ACCOUNTS * LARGE_REPOS + HUGE_REPOS)} repositories in ${Math.round(performance.now() - generatedAt)} ms`,
    );

    say(
      `   app started as in the image (NODE_DISABLE_COMPILE_CACHE=1) with NODE_OPTIONS=${nodeOptions || '(none)'}, default cache settings`,
    );
    app = await startApp('large-accounts', fake.url, {
      CACHE_TTL_SECONDS: '600',
      // As the image runs it (Dockerfile): the compile cache costs ~17 MiB of RSS, idle and
      // under load, that the pod's 256 MiB does not have to spare.
      NODE_DISABLE_COMPILE_CACHE: '1',
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    });
    const started = app;
    const url = app.url;
    const idle = await memoryOf(url);
    const rss = { peak: rssMb(app.pid) ?? 0, idle: rssMb(app.pid) ?? 0 };
    samplers.push(
      setInterval(() => {
        rss.peak = Math.max(rss.peak, rssMb(started.pid) ?? 0);
      }, RSS_SAMPLE_MS),
    );
    let heapPeak = idle.heapUsed ?? 0;
    samplers.push(
      setInterval(() => {
        void memoryOf(url, agent).then(
          (m) => (heapPeak = Math.max(heapPeak, m.heapUsed ?? 0)),
          () => undefined,
        );
      }, HEAP_SAMPLE_MS),
    );

    const listProblems = new Problems();
    const summaryProblems = new Problems();
    const smallProblems = new Problems();
    const hugeProblems = {
      partial: new Problems(),
      content: new Problems(),
      summary: new Problems(),
    };
    const statuses: Record<string, number> = {};
    let served = 0;
    const ask = async (path: string): Promise<Reply> => {
      const reply = await get(url + path, { agent, timeoutMs: REQUEST_TIMEOUT_MS });
      bump(statuses, reply.status);
      return reply;
    };

    let done = false;
    const smallTraffic = Array.from({ length: SMALL_TRAFFIC_LOOPS }, async (_, loop) => {
      let n = 0;
      while (!done && isAlive(started)) {
        const login = small[(n * 7 + loop * 13) % small.length];
        const repos = fake.reposOf(login);
        try {
          if (n % 3 === 0) {
            const reply = await ask(`/github/users/${login}/summary`);
            const body = json(reply.body) as SummaryBody | undefined;
            if (reply.status !== 200 || body?.totals.repos !== repos.length) {
              smallProblems.add(`${login} summary: ${reply.status} ${show(body?.totals)}`);
            }
          } else {
            const reply = await ask(`/github/repos/${login}?perPage=100&sort=name`);
            const body = json(reply.body) as ListBody | undefined;
            const expected = expectedListing(repos, { sort: 'name' }).slice(0, PER_PAGE);
            if (reply.status !== 200 || !sameRepos(body?.repos, expected)) {
              smallProblems.add(`${login} list: ${reply.status} ${show(reply.body, 200)}`);
            }
          }
        } catch (error) {
          smallProblems.add(`${login}: ${String(error)}`);
          await sleep(100);
        }
        n++;
      }
      return n;
    });

    const startedAt = performance.now();
    let hugePages: HugePages = { answered: false, requested: 0 };
    const hugeJob = async (): Promise<void> => {
      hugePages = await checkHuge(fake, huge, ask, hugeProblems);
    };
    const jobs: (() => Promise<void>)[] = large.map((account) => async () => {
      listProblems.record(await checkList(fake, account, ask));
      if (account.summary) {
        summaryProblems.record(await checkSummary(fake, account.login, ask));
      }
      served++;
    });
    jobs.splice(HUGE_AFTER, 0, hugeJob);
    await pool(jobs, CONCURRENCY, () => isAlive(started));
    done = true;
    const smallRequests = (await Promise.all(smallTraffic)).reduce((a, b) => a + b, 0);
    const seconds = (performance.now() - startedAt) / 1000;
    stopSampling();

    const alive = isAlive(app);
    const hwm = alive ? highWaterMb(app.pid) : undefined;
    rss.peak = Math.max(rss.peak, hwm ?? 0);
    const health = await healthOf(app);
    const after = alive ? await memoryOf(url) : undefined;
    const exit = alive ? undefined : await app.exited;
    const upstreamPages = fake.requests.filter((r) => /\/repos(\?|$)/.test(r.path)).length;

    figure('run time', `${seconds.toFixed(1)} s`);
    figure(
      'answers',
      `${counts(statuses)}; ${served} of ${LARGE_ACCOUNTS} large accounts served, ${smallRequests} small-account requests`,
    );
    figure('upstream repository pages', thousands(upstreamPages));
    figure(
      'app RSS idle / peak (VmHWM) / after',
      `${rss.idle} / ${rss.peak} (${hwm ?? 'n/a'}) / ${after ? rssMb(app.pid) : 'n/a'} MiB`,
    );
    figure(
      'V8 heap used idle / peak / after',
      `${mb(idle.heapUsed)} / ${mb(heapPeak)} / ${mb(after?.heapUsed)} (heap total after ${mb(after?.heapTotal)})`,
    );
    figure(
      'after: RSS anonymous / file-backed; V8 external',
      `${procStatusMiB(app.pid, 'RssAnon') ?? 'n/a'} / ${procStatusMiB(app.pid, 'RssFile') ?? 'n/a'} MiB; ${mb(after?.external)}`,
    );
    figure('cache bytes (cache_bytes)', after ? describeCaches(after) : 'n/a');
    figure('repositories cached (cached_repos)', after?.cachedRepos ?? 'n/a');
    const perRepo = after ? bytesPerCachedRepo(after) : undefined;
    figure('heap bytes per cached repository', perRepo === undefined ? 'n/a' : thousands(perRepo));
    checks.headline(
      `large accounts: ${LARGE_ACCOUNTS}×${thousands(LARGE_REPOS)} + 1×${thousands(HUGE_REPOS)} repositories in ${seconds.toFixed(0)} s, ` +
        `peak RSS ${rss.peak} MiB, heap peak ${mb(heapPeak)}, ${after?.cachedRepos ?? 'n/a'} repositories cached at ${perRepo ?? 'n/a'} bytes each` +
        (alive ? '' : `; the app DIED (${exit?.signal ?? `code ${exit?.code}`})`),
    );

    checks.check(
      'large: the app stayed up and /health answers 200 afterwards',
      alive && health === 200,
      alive
        ? `/health ${health}`
        : `exited with code ${exit?.code}, signal ${exit?.signal} after ${served} large accounts${oomLine(app)}`,
    );
    checks.check(
      `large: peak RSS under ${RSS_LIMIT_MIB} MiB (the pod's limit)`,
      rss.peak < RSS_LIMIT_MIB,
      `peak ${rss.peak} MiB (sampled every ${RSS_SAMPLE_MS} ms and the kernel's VmHWM)`,
    );
    checks.check(
      `large: every ${thousands(LARGE_REPOS)}-repository account listed whole and in order over all pages`,
      listProblems.right === LARGE_ACCOUNTS,
      `${listProblems.right} of ${LARGE_ACCOUNTS} right${listProblems.count ? `\n${listProblems.detail}` : ''}`,
    );
    checks.check(
      `large: summaries of ${thousands(LARGE_REPOS)}-repository accounts complete and right`,
      summaryProblems.right === large.filter((a) => a.summary).length,
      `${summaryProblems.right} of ${large.filter((a) => a.summary).length} right${summaryProblems.count ? `\n${summaryProblems.detail}` : ''}`,
    );
    checks.check(
      `large: the ${thousands(HUGE_REPOS)}-repository account is answered as partial (complete: false, publicRepos ${HUGE_REPOS}, X-Repos-Complete: false, total ${thousands(MAX_REPOS_PER_ACCOUNT)})`,
      hugeProblems.partial.count === 0,
      hugeProblems.partial.count ? hugeProblems.partial.detail : 'on every page',
    );
    checks.check(
      `large: its repositories are the ${thousands(MAX_REPOS_PER_ACCOUNT)} most recently pushed, in order over all pages`,
      hugeProblems.content.count === 0,
      hugeProblems.content.count ? hugeProblems.content.detail : '',
    );
    checks.check(
      `large: it cost at most ${HUGE_PAGE_BUDGET} GitHub pages (N + 2, N = ${HUGE_PAGE_BUDGET - 2})`,
      hugePages.answered && hugePages.requested <= HUGE_PAGE_BUDGET,
      `${hugePages.requested} page requests for ${huge}${hugePages.answered ? '' : ', and its list was not answered'}`,
    );
    checks.check(
      'large: its summary is partial, with totals over what was read',
      hugeProblems.summary.count === 0,
      hugeProblems.summary.count ? hugeProblems.summary.detail : '',
    );
    checks.check(
      'large: the small accounts beside were answered right throughout',
      smallProblems.count === 0 && smallRequests > 0,
      `${smallRequests} requests, ${smallProblems.count} wrong${smallProblems.count ? `\n${smallProblems.detail}` : ''}`,
    );
  } finally {
    stopSampling();
    agent.destroy();
    await stopApp(app);
    await fake.close();
  }
}

type Ask = (path: string) => Promise<Reply>;
/** What a list answer must say of its account: body fields, and X-Repos-Complete as `complete`. */
type Flags = Pick<ListBody, 'total' | 'complete' | 'publicRepos'>;

interface Walk {
  repos: ApiRepo[];
  first?: ListBody;
  problem?: string;
}

/**
 * Reads pages 1.. of `route` (a query string ready for more) until `count` repositories were
 * served: what they were, the first page answered (200, JSON), and what was wrong with the first
 * bad page.
 */
async function walkPages(ask: Ask, route: string, count: number, want: Flags): Promise<Walk> {
  const walk: Walk = { repos: [] };
  const wanted = { ...want, header: String(want.complete) };
  try {
    for (let page = 1; page === 1 || (page - 1) * PER_PAGE < count; page++) {
      const reply = await ask(`${route}perPage=${PER_PAGE}&page=${page}`);
      const body = json(reply.body) as ListBody | undefined;
      if (reply.status !== 200 || !body) {
        return { ...walk, problem: `page ${page}: ${reply.status} ${show(reply.body, 200)}` };
      }
      walk.first ??= body;
      const { total, complete, publicRepos } = body;
      const seen = { total, complete, publicRepos, header: reply.headers['x-repos-complete'] };
      if (JSON.stringify(seen) !== JSON.stringify(wanted)) {
        return { ...walk, problem: `page ${page}: ${show(seen)}, expected ${show(wanted)}` };
      }
      walk.repos.push(...body.repos);
    }
  } catch (error) {
    walk.problem = String(error);
  }
  return walk;
}

/** Asks for a summary: what is wrong with its status, totals and flags, if anything. */
async function summaryOf(
  ask: Ask,
  login: string,
  want: { totals: unknown; complete: boolean; publicRepos: number },
): Promise<{ body?: SummaryBody; problem?: string }> {
  try {
    const reply = await ask(`/github/users/${login}/summary`);
    const body = json(reply.body) as SummaryBody | undefined;
    const seen = {
      status: reply.status,
      totals: body?.totals,
      complete: body?.complete,
      publicRepos: body?.publicRepos,
    };
    const wanted = { status: 200, ...want };
    return JSON.stringify(seen) === JSON.stringify(wanted)
      ? { body }
      : { body, problem: `${show(seen)}, expected ${show(wanted)}` };
  } catch (error) {
    return { problem: String(error) };
  }
}

/** Walks every page of one account's list; undefined when all is right, else what was wrong. */
async function checkList(
  fake: FakeGithub,
  account: Account,
  ask: Ask,
): Promise<string | undefined> {
  const route =
    account.kind === 'org'
      ? `/github/orgs/${account.login}/repos`
      : `/github/repos/${account.login}`;
  const expected = expectedListing(fake.reposOf(account.login), { sort: account.sort });
  const walk = await walkPages(ask, `${route}?sort=${account.sort}&`, expected.length, {
    total: LARGE_REPOS,
    complete: true,
    publicRepos: LARGE_REPOS,
  });
  return walk.problem
    ? `${account.login} ${walk.problem}`
    : sameRepos(walk.repos, expected)
      ? undefined
      : `${account.login} (sort ${account.sort}): ${firstDifference(walk.repos, expected)}`;
}

async function checkSummary(
  fake: FakeGithub,
  login: string,
  ask: Ask,
): Promise<string | undefined> {
  const expected = expectedSummary(fake.profileOf(login), fake.reposOf(login));
  const want = { totals: expected.totals, complete: true, publicRepos: LARGE_REPOS };
  const { body, problem } = await summaryOf(ask, login, want);
  if (problem) {
    return `${login} summary: ${problem}`;
  }
  return sameRepos(body?.topRepos, expected.topRepos)
    ? undefined
    : `${login} summary topRepos: ${firstDifference(body?.topRepos ?? [], expected.topRepos)}`;
}

interface HugePages {
  /** Whether its list's first page was answered 200: a count of pages means nothing otherwise. */
  answered: boolean;
  /** GitHub list requests for it, whatever their answer. */
  requested: number;
}

/**
 * The huge account: every page of its list (partial, flagged as such, the most recently pushed
 * repositories, in the asked order), its summary, and how many GitHub pages it cost.
 */
async function checkHuge(
  fake: FakeGithub,
  login: string,
  ask: Ask,
  problems: Record<'partial' | 'content' | 'summary', Problems>,
): Promise<HugePages> {
  const read = fake
    .listedReposOf(login, 'sort=pushed&direction=desc')
    .slice(0, MAX_REPOS_PER_ACCOUNT);
  const expected = expectedListing(read, { sort: 'stars' });
  const flags = { total: MAX_REPOS_PER_ACCOUNT, complete: false, publicRepos: HUGE_REPOS };
  const walk = await walkPages(ask, `/github/orgs/${login}/repos?`, expected.length, flags);
  if (walk.problem) {
    problems.partial.add(walk.problem);
  }
  if (walk.first && !coverageNames(walk.first.coverage)) {
    problems.partial.add(`coverage ${show(walk.first.coverage)} does not say "10,000 of 100,000"`);
  }
  if (problems.partial.count > 0) {
    problems.content.add('not checked: the list was not served as partial');
  } else if (!sameRepos(walk.repos, expected)) {
    problems.content.add(firstDifference(walk.repos, expected));
  }

  const totals = expectedSummary(fake.profileOf(login), read).totals;
  const summary = await summaryOf(ask, login, { totals, complete: false, publicRepos: HUGE_REPOS });
  if (summary.problem) {
    problems.summary.add(summary.problem);
  } else if (!coverageNames(summary.body?.coverage)) {
    problems.summary.add(
      `coverage ${show(summary.body?.coverage)} does not say "10,000 of 100,000"`,
    );
  }

  const id = fake.profileOf(login).id;
  const requested = fake.requests.filter(
    (r) =>
      r.path.startsWith(`/orgs/${login}/repos`) || r.path.startsWith(`/organizations/${id}/repos`),
  ).length;
  return { answered: walk.first !== undefined, requested };
}

/** "first 10,000 of 100,000 repositories…": both figures, in the README's words. */
function coverageNames(coverage: unknown): boolean {
  return (
    typeof coverage === 'string' &&
    coverage.includes(thousands(MAX_REPOS_PER_ACCOUNT)) &&
    coverage.includes(thousands(HUGE_REPOS))
  );
}

/** Runs `jobs` with at most `limit` at a time; stops starting new ones once `go()` is false. */
async function pool(
  jobs: (() => Promise<void>)[],
  limit: number,
  go: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && go()) {
      await jobs[next++]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

function sameRepos(served: ApiRepo[] | undefined, expected: ApiRepo[]): boolean {
  return served !== undefined && JSON.stringify(served) === JSON.stringify(expected);
}

function firstDifference(served: ApiRepo[], expected: ApiRepo[]): string {
  if (served.length !== expected.length) {
    return `${served.length} repositories served, ${expected.length} expected`;
  }
  const i = served.findIndex((repo, n) => JSON.stringify(repo) !== JSON.stringify(expected[n]));
  return `position ${i}: served ${show(served[i], 200)}, expected ${show(expected[i], 200)}`;
}

interface Memory {
  heapUsed?: number;
  heapTotal?: number;
  /** Memory outside V8's heap that V8 knows of: Buffers (cached answers' bytes), sockets' data. */
  external?: number;
  caches: { cache: string; bytes: number; maxBytes?: number }[];
  cachedRepos?: number;
}

/** The app's own figures from /metrics: V8's heap, and what its caches say they hold. */
async function memoryOf(url: string, agent?: Agent): Promise<Memory> {
  const text = (await get(`${url}/metrics`, { agent })).body;
  const samples = (name: string): { labels: string; value: number }[] =>
    [...text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].map((m) => ({
      labels: m[1] ?? '',
      value: Number(m[2]),
    }));
  const one = (name: string): number | undefined => samples(name)[0]?.value;
  const label = (labels: string): string => /cache="([^"]*)"/.exec(labels)?.[1] ?? '?';
  const maxBytes = new Map(samples('cache_max_bytes').map((s) => [label(s.labels), s.value]));
  return {
    heapUsed: one('nodejs_heap_size_used_bytes'),
    heapTotal: one('nodejs_heap_size_total_bytes'),
    external: one('nodejs_external_memory_bytes'),
    caches: samples('cache_bytes').map((s) => ({
      cache: label(s.labels),
      bytes: s.value,
      maxBytes: maxBytes.get(label(s.labels)),
    })),
    cachedRepos: one('cached_repos'),
  };
}

function describeCaches(memory: Memory): string {
  if (memory.caches.length === 0) {
    return 'n/a (no cache_bytes in /metrics)';
  }
  return memory.caches
    .map(
      (c) => `${c.cache} ${mb(c.bytes)}${c.maxBytes === undefined ? '' : ` of ${mb(c.maxBytes)}`}`,
    )
    .join(', ');
}

/** The result cache's bytes over the repositories it holds (all caches' when none is named so). */
function bytesPerCachedRepo(memory: Memory): number | undefined {
  if (!memory.cachedRepos || memory.caches.length === 0) {
    return undefined;
  }
  const results = memory.caches.filter((c) => /result/i.test(c.cache));
  const bytes = (results.length ? results : memory.caches).reduce((sum, c) => sum + c.bytes, 0);
  return Math.round(bytes / memory.cachedRepos);
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** The kernel's high-water mark of RSS: the true peak, whatever the sampling missed. */
const highWaterMb = (pid: number): number | undefined => procStatusMiB(pid, 'VmHWM');

/** V8's own last words, when it ran out of heap. */
function oomLine(app: App): string {
  const tail = tailOf(app, 4_000);
  const line = tail.split('\n').find((l) => /heap out of memory|Allocation failed/i.test(l));
  return line ? `: "${line.trim()}"` : tail ? `\n${tail}` : '';
}
