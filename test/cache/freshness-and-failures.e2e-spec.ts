import request from 'supertest';
import { ReposController } from '../../src/github/repositories/repos.controller';
import { FailureMode } from '../fake-github';
import { RepoListBody } from '../support/collect-pages';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/test-redis';
import { repoListRequests, sleep, waitFor, waitForRedis } from '../support/upstream';

const TOKEN = 'ghp_e2eCacheFreshnessSecret0123456789';
const AUTHORIZATION = `Bearer ${TOKEN}`;
const TTL_SECONDS = 1;
const STALE_SECONDS = 600;
const NEGATIVE_TTL_SECONDS = 1;
const TIMEOUT_MS = 400;
const KEY_PREFIX = uniqueKeyPrefix('freshness');
/** Slower than any answer from the cache, so "served at once" is measurable. */
const REFRESH_LATENCY_MS = 200;

/**
 * Data that has aged past CACHE_TTL_SECONDS (1 s here), and GitHub failing: stale data is served
 * at once and revalidated in the background with free 304s; a failing GitHub never replaces good
 * data with an error; retries are bounded. Each case uses its own account.
 */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      token: TOKEN,
      timeoutMs: TIMEOUT_MS,
      env: {
        REDIS_URL: TEST_REDIS_URL,
        CACHE_KEY_PREFIX: KEY_PREFIX,
        CACHE_TTL_SECONDS: String(TTL_SECONDS),
        CACHE_STALE_SECONDS: String(STALE_SECONDS),
        CACHE_NEGATIVE_TTL_SECONDS: String(NEGATIVE_TTL_SECONDS),
      },
    });
    await waitForRedis(h.server, 'up');
  });

  afterAll(async () => {
    await h?.close();
    await deleteKeysContaining(TEST_REDIS_URL, KEY_PREFIX);
  });

  beforeEach(() => {
    h.gh.reset();
    h.gh.setLatency(0);
  });

  /** Three-page accounts fetched once (a MISS each); returns their bodies by login. */
  async function cachedAccounts(...logins: string[]): Promise<Map<string, RepoListBody>> {
    const bodies = new Map<string, RepoListBody>();
    for (const login of logins) {
      h.gh.addUser(login, 250);
      const response = await request(h.server).get(`/github/repos/${login}`);
      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('MISS');
      bodies.set(login, response.body as RepoListBody);
    }
    return bodies;
  }

  describe('GET /github/repos/:username once the data is stale', () => {
    let before: Map<string, RepoListBody>;

    beforeAll(async () => {
      before = await cachedAccounts(
        'stale-user',
        'refreshed-user',
        'stale-crowd',
        'stale-while-down',
      );
      await sleep(TTL_SECONDS * 1000 + 100);
    });

    it('should serve STALE at once and revalidate in the background with If-None-Match on the same token', async () => {
      const cached = before.get('stale-user');
      const budgetBefore = h.gh.rateLimitOf(AUTHORIZATION).remaining;
      h.gh.setLatency(REFRESH_LATENCY_MS);
      const startedAt = performance.now();

      const stale = await request(h.server).get('/github/repos/stale-user');

      const elapsedMs = performance.now() - startedAt;
      expect(stale.status).toBe(200);
      expect(stale.headers['x-cache']).toBe('STALE');
      expect(elapsedMs).toBeLessThan(REFRESH_LATENCY_MS);
      expect(stale.headers['cache-control']).toMatch(/max-age=0\b/);
      expect((stale.body as RepoListBody).fetchedAt).toBe(cached?.fetchedAt);
      expect((stale.body as RepoListBody).repos).toEqual(cached?.repos);
      await waitFor(
        'three 304s',
        () => repoListRequests(h.gh, 'stale-user').filter((r) => r.status === 304).length === 3,
      );
      const upstream = repoListRequests(h.gh, 'stale-user');
      expect(upstream).toHaveLength(3);
      // The fake answers 304 only to the ETag it issued to this very token.
      expect(upstream.map((r) => r.status)).toEqual([304, 304, 304]);
      expect(upstream.map((r) => r.headers['if-none-match'])).toEqual(
        Array(3).fill(expect.stringMatching(/^"[0-9a-f]+"$/)),
      );
      expect(upstream.map((r) => r.headers.authorization)).toEqual([
        AUTHORIZATION,
        AUTHORIZATION,
        AUTHORIZATION,
      ]);
      expect(h.gh.rateLimitOf(AUTHORIZATION).remaining).toBe(budgetBefore);
    });

    it('should answer HIT with a newer fetchedAt after the background revalidation', async () => {
      const cached = before.get('refreshed-user');
      await request(h.server).get('/github/repos/refreshed-user');
      await waitFor(
        'three 304s',
        () => repoListRequests(h.gh, 'refreshed-user').filter((r) => r.status === 304).length === 3,
      );
      await sleep(100);
      h.gh.reset();

      const response = await request(h.server).get('/github/repos/refreshed-user');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('HIT');
      expect(Date.parse((response.body as RepoListBody).fetchedAt)).toBeGreaterThan(
        Date.parse(cached?.fetchedAt ?? ''),
      );
      expect((response.body as RepoListBody).repos).toEqual(cached?.repos);
      expect(h.gh.requests).toEqual([]);
    });

    it('should revalidate once per page for 30 concurrent requests for the same stale data', async () => {
      h.gh.setLatency(REFRESH_LATENCY_MS);

      const responses = await Promise.all(
        Array.from({ length: 30 }, () => request(h.server).get('/github/repos/stale-crowd')),
      );
      await waitFor(
        'three 304s',
        () => repoListRequests(h.gh, 'stale-crowd').filter((r) => r.status === 304).length === 3,
      );
      await sleep(REFRESH_LATENCY_MS);

      expect(responses.map((r) => [r.status, r.headers['x-cache']])).toEqual(
        Array(30).fill([200, 'STALE']),
      );
      expect(repoListRequests(h.gh, 'stale-crowd').map((r) => r.status)).toEqual([304, 304, 304]);
    });

    it('should keep serving STALE with the old data while the background refresh fails', async () => {
      const cached = before.get('stale-while-down');
      h.gh.failNext({
        pathPrefix: '/users/stale-while-down/',
        mode: 'server-error',
        times: Infinity,
      });

      const first = await request(h.server).get('/github/repos/stale-while-down');
      await waitFor(
        'three failed attempts',
        () => h.gh.countRequests('/users/stale-while-down/') === 3,
      );
      await sleep(100);
      const second = await request(h.server).get('/github/repos/stale-while-down');
      // Its own background refresh fails too; let it finish before the next case resets the fake.
      await waitFor(
        'three more failed attempts',
        () => h.gh.countRequests('/users/stale-while-down/') === 6,
      );

      for (const response of [first, second]) {
        expect(response.status).toBe(200);
        expect(response.headers['x-cache']).toBe('STALE');
        expect((response.body as RepoListBody).fetchedAt).toBe(cached?.fetchedAt);
        expect((response.body as RepoListBody).repos).toEqual(cached?.repos);
      }
    });
  });

  describe('GET /github/repos/:username for a user GitHub did not know', () => {
    it('should ask GitHub again once CACHE_NEGATIVE_TTL_SECONDS have passed', async () => {
      const first = await request(h.server).get('/github/repos/late-comer');
      const remembered = await request(h.server).get('/github/repos/late-comer');
      h.gh.addUser('late-comer', 3);
      await sleep(NEGATIVE_TTL_SECONDS * 1000 + 100);

      const response = await request(h.server).get('/github/repos/late-comer');

      expectProblem(first, 404, [TOKEN]);
      expectProblem(remembered, 404, [TOKEN]);
      expect([response.status, response.headers['x-cache']]).toEqual([200, 'MISS']);
      expect((response.body as RepoListBody).total).toBe(3);
      expect(repoListRequests(h.gh, 'late-comer').map((r) => r.status)).toEqual([404, 200]);
    });
  });

  describe('GET /github/repos/:username with Cache-Control: no-cache while GitHub is down', () => {
    let before: Map<string, RepoListBody>;

    beforeAll(async () => {
      before = await cachedAccounts(
        'down-server-error',
        'down-bad-gateway-html',
        'down-reset',
        'down-hang',
      );
    });

    it.each<{ mode: FailureMode; calls: number }>([
      { mode: 'server-error', calls: 3 },
      { mode: 'bad-gateway-html', calls: 3 },
      { mode: 'reset', calls: 3 },
      { mode: 'hang', calls: 1 },
    ])(
      'should answer 200 STALE with the last good data when GitHub fails with $mode ($calls upstream call(s))',
      async ({ mode, calls }) => {
        const login = `down-${mode}`;
        const cached = before.get(login);
        h.gh.failNext({ pathPrefix: `/users/${login}/`, mode, times: Infinity });

        const response = await request(h.server)
          .get(`/github/repos/${login}`)
          .set('Cache-Control', 'no-cache');

        expect(response.status).toBe(200);
        expect(response.headers['x-cache']).toBe('STALE');
        expect((response.body as RepoListBody).fetchedAt).toBe(cached?.fetchedAt);
        expect((response.body as RepoListBody).repos).toEqual(cached?.repos);
        expect(h.gh.countRequests(`/users/${login}/`)).toBe(calls);
      },
    );
  });

  describe('GET /github/repos/:username when GitHub is down and nothing is cached', () => {
    it.each<{ mode: FailureMode; status: number; calls: number }>([
      { mode: 'server-error', status: 502, calls: 3 },
      { mode: 'bad-gateway-html', status: 502, calls: 3 },
      { mode: 'reset', status: 502, calls: 3 },
      { mode: 'hang', status: 504, calls: 1 },
    ])(
      'should answer $status problem+json after exactly $calls upstream call(s) when GitHub fails with $mode',
      async ({ mode, status, calls }) => {
        const login = `cold-${mode}`;
        h.gh.addUser(login, 3);
        h.gh.failNext({ pathPrefix: `/users/${login}/`, mode, times: Infinity });

        const response = await request(h.server).get(`/github/repos/${login}`);
        await sleep(300);

        expectProblem(response, status, [TOKEN]);
        expect(h.gh.countRequests(`/users/${login}/`)).toBe(calls);
      },
    );
  });

  describe('GET /github/repos/:username retries', () => {
    it.each<FailureMode>(['server-error', 'reset'])(
      'should answer 200 after a single %s, with 2 upstream calls',
      async (mode) => {
        const login = `once-${mode}`;
        h.gh.addUser(login, 3);
        h.gh.failNext({ pathPrefix: `/users/${login}/`, mode, times: 1 });

        const response = await request(h.server).get(`/github/repos/${login}`);

        expect(response.status).toBe(200);
        expect((response.body as RepoListBody).total).toBe(3);
        expect(h.gh.countRequests(`/users/${login}/`)).toBe(2);
      },
    );

    it('should answer 502 after exactly 3 calls when GitHub answers 500 three times, even if a 4th would succeed', async () => {
      h.gh.addUser('three-500s', 3);
      h.gh.failNext({ pathPrefix: '/users/three-500s/', mode: 'server-error', times: 3 });

      const response = await request(h.server).get('/github/repos/three-500s');
      await sleep(300);

      expectProblem(response, 502, [TOKEN]);
      expect(h.gh.countRequests('/users/three-500s/')).toBe(3);
    });

    it('should never retry a 404', async () => {
      h.gh.addUser('vanishing', 3);
      h.gh.failNext({ pathPrefix: '/users/vanishing/', mode: 'not-found', times: Infinity });

      const response = await request(h.server).get('/github/repos/vanishing');
      await sleep(300);

      expectProblem(response, 404, [TOKEN]);
      expect(h.gh.countRequests('/users/vanishing/')).toBe(1);
    });
  });
});
