import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import request from 'supertest';
import { ResultCache } from '../../src/cache/result-cache';
import { FakeGithub } from '../fake-github';
import { RepoListBody } from '../support/collect-pages';
import { bootApp } from '../support/boot-app';
import { AMPLE_BUDGET } from '../support/harness';
import { expectProblem } from '../support/problem';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/test-redis';
import { repoListRequests, sleep, waitFor, waitForRedis } from '../support/upstream';

const TOKEN = 'ghp_e2eCacheReplicasSecret0123456789';
const KEY_PREFIX = uniqueKeyPrefix('replicas');
/** Every request of a burst reaches both instances long before GitHub's first answer. */
const LATENCY_MS = 100;
const PAUSE_SECONDS = 2;

/**
 * Two instances of the service sharing one Redis (same REDIS_URL and CACHE_KEY_PREFIX) in front
 * of one GitHub, as two replicas behind a load balancer: they share cached results, coordinate
 * cold fetches with a short lock, and share a secondary-limit pause and a spent token.
 */
describe(ResultCache.name, () => {
  let gh: FakeGithub;
  let apps: NestFastifyApplication[] = [];
  let a: Server;
  let b: Server;

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET, latencyMs: LATENCY_MS });
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      CACHE_KEY_PREFIX: KEY_PREFIX,
      CACHE_TTL_SECONDS: '60',
    };
    apps.push(await bootApp({ githubUrl: gh.url, token: TOKEN, env }));
    apps.push(await bootApp({ githubUrl: gh.url, token: TOKEN, env }));
    [a, b] = apps.map((app) => app.getHttpServer());
    await Promise.all([waitForRedis(a, 'up'), waitForRedis(b, 'up')]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
    await gh?.close();
    await deleteKeysContaining(TEST_REDIS_URL, KEY_PREFIX);
  });

  beforeEach(() => {
    gh.reset();
    gh.setLatency(LATENCY_MS);
  });

  describe('GET /github/repos/:username on two instances', () => {
    it('should fetch each upstream page once in total for a cold burst split across both instances', async () => {
      gh.addUser('shared-burst', 250);

      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(i % 2 === 0 ? a : b).get('/github/repos/shared-burst'),
        ),
      );

      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(new Set(responses.map((r) => (r.body as RepoListBody).total))).toEqual(new Set([250]));
      expect(new Set(responses.map((r) => (r.body as RepoListBody).fetchedAt)).size).toBe(1);
      const pages = repoListRequests(gh, 'shared-burst').map(
        (r) => new URL(r.path, 'http://x').searchParams.get('page') ?? '1',
      );
      expect(pages.sort()).toEqual(['1', '2', '3']);
    });

    it('should answer HIT on one instance for data the other fetched, without an upstream call', async () => {
      gh.addUser('fetched-by-a', 250);
      const fetched = await request(a).get('/github/repos/fetched-by-a');
      gh.reset();

      const response = await request(b).get('/github/repos/fetched-by-a');

      expect(fetched.headers['x-cache']).toBe('MISS');
      expect(response.status).toBe(200);
      expect(response.headers['x-cache']).toBe('HIT');
      expect((response.body as RepoListBody).fetchedAt).toBe(
        (fetched.body as RepoListBody).fetchedAt,
      );
      expect(gh.requests).toEqual([]);
    });

    it('should ask GitHub once for a missing user requested on both instances at once', async () => {
      // Every request is in before GitHub answers (see result-cache.e2e-spec.ts for the gap after).
      gh.setLatency(3 * LATENCY_MS);

      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(i % 2 === 0 ? a : b).get('/github/repos/missing-everywhere'),
        ),
      );

      responses.forEach((r) => expectProblem(r, 404, [TOKEN]));
      expect(gh.countRequests('/users/missing-everywhere/')).toBe(1);
    });

    it('should not keep the other instance waiting once the lock holder has failed and released the lock', async () => {
      gh.addUser('holder-fails', 3);
      // The holder's three attempts fail; GitHub has recovered by the time anyone tries again.
      gh.failNext({ pathPrefix: '/users/holder-fails/', mode: 'server-error', times: 3 });
      try {
        const holder = request(a)
          .get('/github/repos/holder-fails')
          .timeout(4000)
          .then((r) => r);
        await sleep(20);
        const waiter = request(b)
          .get('/github/repos/holder-fails')
          .timeout(4000)
          .then((r) => r);

        const responses = await Promise.all([holder, waiter]);

        // The holder reports GitHub's failure; the other may too, or fetch once the lock is free.
        expectProblem(responses[0], 502, [TOKEN]);
        expect([200, 502]).toContain(responses[1].status);
      } finally {
        // Let the waiting instance go: it stops polling (every 50 ms) once a value is in the store.
        await request(a).get('/github/repos/holder-fails');
        await sleep(200);
      }
    }, 10_000);

    it('should pause both instances when one of them meets a secondary rate limit, and resume both after it', async () => {
      for (const login of ['pause-trigger', 'pause-bystander', 'after-pause-a', 'after-pause-b']) {
        gh.addUser(login, 3);
      }
      gh.failNext({
        pathPrefix: '/users/pause-trigger/',
        mode: 'secondary-rate-limit',
        retryAfterSeconds: PAUSE_SECONDS,
      });

      const refused = await request(a).get('/github/repos/pause-trigger');
      // The pause began before this answer left, so it is over by then.
      const pauseOverAt = Date.now() + PAUSE_SECONDS * 1000 + 100;
      const paused = await request(b).get('/github/repos/pause-bystander');
      const callsDuringPause = gh.requests.length;
      await waitFor('the pause to end', () => Date.now() > pauseOverAt, 5000);
      const resumedA = await request(a).get('/github/repos/after-pause-a');
      const resumedB = await request(b).get('/github/repos/after-pause-b');

      expectProblem(refused, 503, [TOKEN]);
      expect(refused.headers['retry-after']).toBe(String(PAUSE_SECONDS));
      expectProblem(paused, 503, [TOKEN]);
      expect(Number(paused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(paused.headers['retry-after'])).toBeLessThanOrEqual(PAUSE_SECONDS);
      expect(callsDuringPause).toBe(1);
      expect([resumedA.status, resumedB.status]).toEqual([200, 200]);
      expect(
        gh.countRequests('/users/after-pause-a/') + gh.countRequests('/users/after-pause-b/'),
      ).toBe(2);
    });

    // Last: the token stays spent for both instances until its reset, up to an hour away.
    it('should keep both instances from calling GitHub once one of them learns the token is spent', async () => {
      gh.addUser('spent-trigger', 3);
      gh.addUser('spent-bystander', 3);
      // Spent within the window both instances have already seen, as on GitHub (resets never move back).
      const { limit, resetEpochSeconds } = gh.rateLimitOf(`Bearer ${TOKEN}`);
      gh.setRateLimit({ limit, remaining: 0, resetEpochSeconds, authorization: `Bearer ${TOKEN}` });
      const secondsToReset = resetEpochSeconds - Date.now() / 1000;

      const refused = await request(a).get('/github/repos/spent-trigger');
      const other = await request(b).get('/github/repos/spent-bystander');

      expectProblem(refused, 503, [TOKEN]);
      expectProblem(other, 503, [TOKEN]);
      const retryAfter = Number(other.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(secondsToReset - 10);
      expect(retryAfter).toBeLessThanOrEqual(Math.ceil(secondsToReset));
      expect(gh.requests.map((r) => [r.path.split('?')[0], r.status])).toEqual([
        ['/users/spent-trigger/repos', 403],
      ]);
    });
  });
});
