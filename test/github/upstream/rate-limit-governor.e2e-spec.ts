import request from 'supertest';
import { ReposController } from '../../../src/github/repositories/repos.controller';
import { RepoListBody } from '../../support/collect-pages';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { repoListRequests, sleep, waitFor } from '../../support/upstream';

const TOKEN = 'ghp_e2eCacheGovernorSecret0123456789';
const AUTHORIZATION = `Bearer ${TOKEN}`;
const RESET_IN_SECONDS = 600;

/**
 * The rate-limit governor seen from outside: once GitHub says stop, nothing more goes upstream
 * and cached data keeps being served. Each scenario leaves its app's governor spent or paused,
 * so each `describe` boots an app (and a fake) of its own.
 */
describe(ReposController.name, () => {
  /** An app with one token and a 1-second TTL, so cached data turns stale quickly. */
  function startScenario(): Promise<Harness> {
    return startHarness({
      token: TOKEN,
      env: { CACHE_TTL_SECONDS: '1', CACHE_STALE_SECONDS: '600' },
    });
  }

  async function cache(h: Harness, login: string): Promise<RepoListBody> {
    h.gh.addUser(login, 250);
    const response = await request(h.server).get(`/github/repos/${login}`);
    expect(response.status).toBe(200);
    return response.body as RepoListBody;
  }

  function expectRetryAfterNear(response: request.Response, seconds: number): void {
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(seconds - 10);
    expect(retryAfter).toBeLessThanOrEqual(seconds);
  }

  describe('GET /github/repos/:username when the token has spent its primary budget', () => {
    let h: Harness;
    let cached: RepoListBody;

    beforeAll(async () => {
      h = await startScenario();
      cached = await cache(h, 'cached-before-limit');
      h.gh.addUser('refused-user', 3);
      for (const login of ['other-1', 'other-2', 'other-3']) {
        h.gh.addUser(login, 3);
      }
      const resetEpochSeconds = Math.floor(Date.now() / 1000) + RESET_IN_SECONDS;
      h.gh.setRateLimit({
        limit: 5000,
        remaining: 0,
        resetEpochSeconds,
        authorization: AUTHORIZATION,
      });
      await sleep(1100);
    });

    afterAll(async () => {
      await h?.close();
    });

    beforeEach(() => {
      h.gh.reset();
    });

    /** GitHub's 403 teaches the governor the budget is gone (a no-op once it knows). */
    async function learnBudgetIsSpent(): Promise<void> {
      await request(h.server).get('/github/repos/refused-user');
      h.gh.reset();
    }

    it("should answer GitHub's primary 403 with 503 and Retry-After until the reset, without retrying", async () => {
      const response = await request(h.server).get('/github/repos/refused-user');

      const problem = expectProblem(response, 503, [TOKEN]);
      expectRetryAfterNear(response, RESET_IN_SECONDS);
      expect(problem.retryAfter).toBe(Number(response.headers['retry-after']));
      expect(h.gh.requests.map((r) => r.status)).toEqual([403]);
    });

    it('should make no upstream call at all for other users until the reset', async () => {
      await learnBudgetIsSpent();

      const responses = await Promise.all([
        ...['other-1', 'other-2', 'other-3'].map((login) =>
          request(h.server).get(`/github/repos/${login}`),
        ),
        request(h.server).get('/github/repos/other-1').set('Cache-Control', 'no-cache'),
      ]);
      await sleep(200);

      for (const response of responses) {
        expectProblem(response, 503, [TOKEN]);
        expectRetryAfterNear(response, RESET_IN_SECONDS);
      }
      expect(h.gh.requests).toEqual([]);
    });

    it('should still serve a cached user STALE with its data, without an upstream call', async () => {
      await learnBudgetIsSpent();

      const stale = await request(h.server).get('/github/repos/cached-before-limit');
      const revalidate = await request(h.server)
        .get('/github/repos/cached-before-limit')
        .set('Cache-Control', 'no-cache');
      await sleep(200);

      for (const response of [stale, revalidate]) {
        expect(response.status).toBe(200);
        expect(response.headers['x-cache']).toBe('STALE');
        expect((response.body as RepoListBody).repos).toEqual(cached.repos);
        expect((response.body as RepoListBody).fetchedAt).toBe(cached.fetchedAt);
      }
      expect(h.gh.requests).toEqual([]);
    });
  });

  describe('GET /github/repos/:username when the token is down to its reserve', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startScenario();
      await cache(h, 'cached-before-reserve');
      const resetEpochSeconds = Math.floor(Date.now() / 1000) + RESET_IN_SECONDS;
      // 20 left, under the default reserve of 50: GitHub says so on the next answer.
      h.gh.setRateLimit({
        limit: 5000,
        remaining: 20,
        resetEpochSeconds,
        authorization: AUTHORIZATION,
      });
      h.gh.addUser('reports-the-budget', 3);
      expect((await request(h.server).get('/github/repos/reports-the-budget')).status).toBe(200);
      await sleep(1100);
    });

    afterAll(async () => {
      await h?.close();
    });

    beforeEach(() => {
      h.gh.reset();
    });

    it('should answer 503 for an uncached user without spending the reserve', async () => {
      h.gh.addUser('uncached-in-reserve', 3);
      const remaining = h.gh.rateLimitOf(AUTHORIZATION).remaining;

      const response = await request(h.server).get('/github/repos/uncached-in-reserve');

      expectProblem(response, 503, [TOKEN]);
      expectRetryAfterNear(response, RESET_IN_SECONDS);
      expect(h.gh.requests).toEqual([]);
      expect(h.gh.rateLimitOf(AUTHORIZATION).remaining).toBe(remaining);
    });

    it('should still revalidate cached data with conditional requests, which cost nothing', async () => {
      const remaining = h.gh.rateLimitOf(AUTHORIZATION).remaining;

      const response = await request(h.server)
        .get('/github/repos/cached-before-reserve')
        .set('Cache-Control', 'no-cache');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('REVALIDATED');
      expect(repoListRequests(h.gh, 'cached-before-reserve').map((r) => r.status)).toEqual([
        304, 304, 304,
      ]);
      expect(h.gh.rateLimitOf(AUTHORIZATION).remaining).toBe(remaining);
    });
  });

  describe('GET /github/repos/:username after a secondary rate limit', () => {
    const PAUSE_SECONDS = 3;
    let h: Harness;
    let refused: request.Response;
    let refusedCalls: number;
    let pauseOverAt: number;

    beforeAll(async () => {
      h = await startHarness({ token: TOKEN, env: { CACHE_TTL_SECONDS: '60' } });
      await cache(h, 'cached-before-pause');
      for (const login of ['trigger', 'bystander', 'after-pause']) {
        h.gh.addUser(login, 3);
      }
      h.gh.reset();
      h.gh.failNext({
        pathPrefix: '/users/trigger/',
        mode: 'secondary-rate-limit',
        retryAfterSeconds: PAUSE_SECONDS,
      });
      refused = await request(h.server).get('/github/repos/trigger');
      // The pause began before this answer left, so it is over by then.
      pauseOverAt = Date.now() + PAUSE_SECONDS * 1000 + 100;
      refusedCalls = h.gh.countRequests();
    });

    afterAll(async () => {
      await h?.close();
    });

    beforeEach(() => {
      h.gh.reset();
    });

    it("should answer the refused request 503 with GitHub's Retry-After, without retrying", () => {
      const problem = expectProblem(refused, 503, [TOKEN]);
      expect(refused.headers['retry-after']).toBe(String(PAUSE_SECONDS));
      expect(problem.retryAfter).toBe(PAUSE_SECONDS);
      expect(refusedCalls).toBe(1);
    });

    it('should send nothing upstream for a different user during the pause, answering 503 with the Retry-After left', async () => {
      const response = await request(h.server).get('/github/repos/bystander');
      await sleep(100);

      expectProblem(response, 503, [TOKEN]);
      expectRetryAfterNear(response, PAUSE_SECONDS);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(h.gh.requests).toEqual([]);
    });

    it('should still serve cached data during the pause, without an upstream call', async () => {
      const hit = await request(h.server).get('/github/repos/cached-before-pause');
      const revalidate = await request(h.server)
        .get('/github/repos/cached-before-pause')
        .set('Cache-Control', 'no-cache');

      expect([hit.status, hit.headers['x-cache']]).toEqual([200, 'HIT']);
      expect([revalidate.status, revalidate.headers['x-cache']]).toEqual([200, 'STALE']);
      expect(h.gh.requests).toEqual([]);
    });

    it('should call GitHub again once the pause is over', async () => {
      await waitFor(
        'the pause to end',
        () => Date.now() > pauseOverAt,
        PAUSE_SECONDS * 1000 + 1000,
      );

      const response = await request(h.server).get('/github/repos/after-pause');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('MISS');
      expect(h.gh.countRequests('/users/after-pause/')).toBe(1);
    });
  });
});
