import request from 'supertest';
import { ReposController } from '../../src/github/repositories/repos.controller';
import { RepoListBody } from '../support/collect-pages';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';
import {
  deleteKeysContaining,
  keysContaining,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../support/test-redis';
import { repoListRequests, sleep, waitForRedis } from '../support/upstream';

const TTL_SECONDS = 60;
const STALE_SECONDS = 600;
const KEY_PREFIX = uniqueKeyPrefix('result-cache');
/** Long enough that every request of a burst arrives before the first page is answered. */
const BURST_LATENCY_MS = 150;

/**
 * The upper cache layer as clients see it, on the shared Redis: coalescing, fresh hits, our own
 * ETag/304 and Cache-Control, revalidation on request, and the negative cache. Each case uses
 * its own account, so no case depends on what another one cached.
 */
describe(ReposController.name, () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: {
        REDIS_URL: TEST_REDIS_URL,
        CACHE_KEY_PREFIX: KEY_PREFIX,
        CACHE_TTL_SECONDS: String(TTL_SECONDS),
        CACHE_STALE_SECONDS: String(STALE_SECONDS),
        CACHE_NEGATIVE_TTL_SECONDS: '60',
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

  /** Puts a three-page account in the cache and forgets the requests that cost. */
  async function cached(login: string): Promise<request.Response> {
    h.gh.addUser(login, 250);
    const response = await request(h.server).get(`/github/repos/${login}`);
    expect(response.status).toBe(200);
    h.gh.reset();
    return response;
  }

  describe('GET /github/repos/:username on a cold cache', () => {
    it('should fetch each of the 3 upstream pages exactly once for 50 concurrent requests', async () => {
      h.gh.addUser('cold-burst', 250);
      h.gh.setLatency(BURST_LATENCY_MS);

      const responses = await Promise.all(
        Array.from({ length: 50 }, () => request(h.server).get('/github/repos/cold-burst')),
      );

      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(responses.map((r) => r.headers['x-cache'])).toEqual(Array(50).fill('MISS'));
      const bodies = responses.map((r) => r.body as RepoListBody);
      expect(new Set(bodies.map((b) => b.total))).toEqual(new Set([250]));
      expect(new Set(bodies.map((b) => b.fetchedAt)).size).toBe(1);
      const paths = repoListRequests(h.gh, 'cold-burst').map((r) => r.path);
      expect(paths).toHaveLength(3);
      expect(
        new Set(paths.map((p) => new URL(p, 'http://x').searchParams.get('page') ?? '1')),
      ).toEqual(new Set(['1', '2', '3']));
    });

    it('should keep the list once in Redis under CACHE_KEY_PREFIX, its pages inside it', async () => {
      await cached('stored-in-redis');

      const keys = await keysContaining(TEST_REDIS_URL, KEY_PREFIX);

      expect(keys.filter((k) => k.includes('gh:repos:user:stored-in-redis'))).toHaveLength(1);
      // No second copy of the repositories page by page: the list holds each page's validators.
      const id = h.gh.profileOf('stored-in-redis').id;
      expect(keys.filter((k) => k.includes('gh:page:'))).toEqual([]);
      expect(keys.filter((k) => k.includes(`/user/${id}/repos`))).toEqual([]);
    });
  });

  describe('GET /github/repos/:username on a fresh cache', () => {
    it('should answer HIT from the cache without any upstream call', async () => {
      const first = await cached('fresh-hit');

      const response = await request(h.server).get('/github/repos/fresh-hit');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('HIT');
      expect(h.gh.requests).toEqual([]);
      const body = response.body as RepoListBody;
      expect(body.fetchedAt).toBe((first.body as RepoListBody).fetchedAt);
      expect(new Date(body.fetchedAt).toISOString()).toBe(body.fetchedAt);
      expect(body.repos).toEqual((first.body as RepoListBody).repos);
    });

    it('should send an ETag and answer a matching If-None-Match with 304 and no body', async () => {
      const first = await cached('etag-user');
      const etag = first.headers.etag;

      const response = await request(h.server)
        .get('/github/repos/etag-user')
        .set('If-None-Match', etag);

      expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
      expect(response.status).toBe(304);
      expect(response.text ?? '').toBe('');
      expect(response.headers['content-length'] ?? '0').toBe('0');
      expect(response.headers.etag).toBe(etag);
      expect(response.headers['x-cache']).toBe('HIT');
      expect(h.gh.requests).toEqual([]);
    });

    it("should send a 200's Link and X-Repos-Complete but not on a 304, which carries no representation metadata", async () => {
      const first = await cached('link-user');
      expect(first.headers.link).toContain('rel="next"');
      expect(first.headers['x-repos-complete']).toBe('true');

      const response = await request(h.server)
        .get('/github/repos/link-user')
        .set('If-None-Match', first.headers.etag);

      expect(response.status).toBe(304);
      expect(response.headers.link).toBeUndefined();
      expect(response.headers['x-repos-complete']).toBeUndefined();
      expect(response.headers['content-type']).toBeUndefined();
    });

    it.each([
      ['the same tag', (etag: string) => etag],
      ['the strong form of the weak tag (weak comparison)', (etag: string) => etag.replace(/^W\//, '')],
      ['a list that holds the tag', (etag: string) => `W/"other", ${etag}`],
      ['*', () => '*'],
    ])('should answer If-None-Match with %s by 304', async (_name, tagFor) => {
      const first = await cached('match-user');

      const response = await request(h.server)
        .get('/github/repos/match-user')
        .set('If-None-Match', tagFor(first.headers.etag));

      expect(response.status).toBe(304);
    });

    it('should answer 200 with the body when If-None-Match names another representation', async () => {
      await cached('etag-mismatch');

      const response = await request(h.server)
        .get('/github/repos/etag-mismatch')
        .set('If-None-Match', 'W/"not-ours"');

      expect(response.status).toBe(200);
      expect((response.body as RepoListBody).total).toBe(250);
    });

    it('should send Cache-Control with max-age within CACHE_TTL_SECONDS and stale-while-revalidate of CACHE_STALE_SECONDS', async () => {
      await cached('cache-control-user');

      const response = await request(h.server).get('/github/repos/cache-control-user');

      const cacheControl = response.headers['cache-control'];
      const maxAge = Number(/(?:^|,)\s*max-age=(\d+)/.exec(cacheControl)?.[1]);
      expect(maxAge).toBeGreaterThanOrEqual(TTL_SECONDS - 5);
      expect(maxAge).toBeLessThanOrEqual(TTL_SECONDS);
      expect(/stale-while-revalidate=(\d+)/.exec(cacheControl)?.[1]).toBe(String(STALE_SECONDS));
    });
  });

  describe('GET /github/repos/:username with Cache-Control: no-cache', () => {
    it('should revalidate every page with If-None-Match and answer REVALIDATED when nothing changed', async () => {
      const first = await cached('revalidate-me');

      const response = await request(h.server)
        .get('/github/repos/revalidate-me')
        .set('Cache-Control', 'no-cache');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('REVALIDATED');
      const upstream = repoListRequests(h.gh, 'revalidate-me');
      expect(upstream).toHaveLength(3);
      expect(upstream.every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
      expect(upstream.map((r) => r.status)).toEqual([304, 304, 304]);
      const body = response.body as RepoListBody;
      expect(Date.parse(body.fetchedAt)).toBeGreaterThan(
        Date.parse((first.body as RepoListBody).fetchedAt),
      );
      expect(body.repos).toEqual((first.body as RepoListBody).repos);
      expect(response.headers.etag).toBe(first.headers.etag);
    });

    it('should answer MISS with the new data when GitHub reports a change', async () => {
      const first = await cached('changing-user');
      const repos = h.gh.reposOf('changing-user');
      h.gh.addUser(
        'changing-user',
        repos.map((r, i) => (i === 0 ? { ...r, stargazers_count: 999_999 } : r)),
      );

      const response = await request(h.server)
        .get('/github/repos/changing-user')
        .set('Cache-Control', 'no-cache');

      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('MISS');
      expect((response.body as RepoListBody).repos[0]).toMatchObject({
        name: repos[0].name,
        stars: 999_999,
      });
      expect(response.headers.etag).not.toBe(first.headers.etag);
      expect(repoListRequests(h.gh, 'changing-user').map((r) => r.status)).toEqual([200, 304, 304]);
    });
  });

  describe('GET /github/repos/:username for a user GitHub does not know', () => {
    it('should ask GitHub once for 20 sequential requests and answer each with 404 problem+json', async () => {
      const responses: request.Response[] = [];
      for (let i = 0; i < 20; i++) {
        responses.push(await request(h.server).get('/github/repos/missing-in-a-row'));
      }

      responses.forEach((r) => expectProblem(r, 404));
      expect(h.gh.countRequests('/users/missing-in-a-row/')).toBe(1);
      expect(h.gh.requests).toHaveLength(1);
    });

    it('should ask GitHub once for 20 concurrent requests and answer each with 404 problem+json', async () => {
      // All 20 are in before GitHub answers: this case is about coalescing, the next about the gap after.
      h.gh.setLatency(2 * BURST_LATENCY_MS);

      const responses = await Promise.all(
        Array.from({ length: 20 }, () => request(h.server).get('/github/repos/missing-at-once')),
      );

      responses.forEach((r) => expectProblem(r, 404));
      expect(h.gh.countRequests('/users/missing-at-once/')).toBe(1);
      expect(h.gh.requests).toHaveLength(1);
    });

    it('should ask GitHub once per missing user under a steady stream of requests', async () => {
      h.gh.setLatency(50);
      const logins = Array.from({ length: 5 }, (_, i) => `missing-stream-${i}`);

      for (const login of logins) {
        // One request, then a request on every turn of the event loop around GitHub's 404.
        const pending = [
          request(h.server)
            .get(`/github/repos/${login}`)
            .then((r) => r),
        ];
        await sleep(35);
        for (const end = Date.now() + 60; Date.now() < end;) {
          pending.push(
            request(h.server)
              .get(`/github/repos/${login}`)
              .then((r) => r),
          );
          await new Promise((resolve) => setImmediate(resolve));
        }
        (await Promise.all(pending)).forEach((r) => expectProblem(r, 404));
      }

      expect(logins.map((login) => h.gh.countRequests(`/users/${login}/`))).toEqual(
        logins.map(() => 1),
      );
    }, 15_000);
  });
});
