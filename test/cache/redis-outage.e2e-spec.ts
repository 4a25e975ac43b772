import request from 'supertest';
import { CacheHealthIndicator } from '../../src/cache/redis.health';
import { RepoListBody } from '../support/collect-pages';
import { Harness, startHarness } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { ABSENT_REDIS_URL, keysContaining, uniqueKeyPrefix } from '../support/test-redis';
import { readiness, repoListRequests, sleep, waitForRedis } from '../support/upstream';

/** Nothing listens on port 1: connections are refused at once. */
/** The client retries at most every 2 s; readiness must follow within a few tries. */
const RECONNECT_WAIT_MS = 8000;

/**
 * Redis is an accelerator, never a dependency: without it the service answers from memory and
 * readiness says `degraded`; when it returns, it is used again. The shared Redis on 6379 is never
 * touched here: the outage is played on a private `redis-server` child this file starts and kills.
 */
describe(CacheHealthIndicator.name, () => {
  async function expectServedFromMemory(h: Harness, login: string): Promise<void> {
    h.gh.addUser(login, 250);
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => request(h.server).get(`/github/repos/${login}`)),
    );
    const repeat = await request(h.server).get(`/github/repos/${login}`);

    expect(burst.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(burst.map((r) => (r.body as RepoListBody).total))).toEqual(new Set([250]));
    expect([repeat.status, repeat.headers['x-cache']]).toEqual([200, 'HIT']);
    expect(repoListRequests(h.gh, login)).toHaveLength(3);
  }

  describe('with REDIS_URL pointing where nothing listens', () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({
        env: { REDIS_URL: ABSENT_REDIS_URL, CACHE_KEY_PREFIX: uniqueKeyPrefix('unreachable') },
      });
    });

    afterAll(async () => {
      await h?.close();
    });

    it('should start and serve every request from the memory cache, coalesced and cached', async () => {
      await expectServedFromMemory(h, 'memory-only');
    });

    it('should report readiness 200 degraded, with Redis down and the memory backend', async () => {
      const response = await request(h.server).get('/health/ready');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'degraded',
        info: {
          app: { status: 'up' },
          cache: { status: 'degraded', backend: 'memory', redis: 'down' },
        },
        error: {},
      });
    });
  });

  describe('with a Redis that dies and comes back', () => {
    let redis: PrivateRedis;
    let h: Harness;
    const keyPrefix = uniqueKeyPrefix('outage');

    beforeAll(async () => {
      redis = await PrivateRedis.start();
      h = await startHarness({
        env: { REDIS_URL: redis.url, CACHE_KEY_PREFIX: keyPrefix, CACHE_TTL_SECONDS: '60' },
      });
      await waitForRedis(h.server, 'up');
    });

    afterAll(async () => {
      await h?.close();
      await redis?.stop();
    });

    beforeEach(() => {
      h.gh.reset();
    });

    it('should keep results in Redis while it is up', async () => {
      h.gh.addUser('before-outage', 3);

      const response = await request(h.server).get('/github/repos/before-outage');

      expect(response.status).toBe(200);
      expect(await readiness(h.server)).toEqual({
        status: 200,
        overall: 'ok',
        cache: { status: 'up', backend: 'redis', redis: 'up' },
      });
      expect(await keysContaining(redis.url, 'gh:repos:user:before-outage')).toHaveLength(1);
    });

    it('should answer every request, in flight or new, when Redis is killed mid-run, and report degraded', async () => {
      h.gh.addUser('during-outage', 250);
      h.gh.setLatency(100);
      const inFlight = Promise.all(
        Array.from({ length: 20 }, () => request(h.server).get('/github/repos/during-outage')),
      );
      await sleep(30);

      await redis.kill();
      const responses = await inFlight;
      const cached = await request(h.server).get('/github/repos/before-outage');
      const repeat = await request(h.server).get('/github/repos/during-outage');
      h.gh.setLatency(0);
      await expectServedFromMemory(h, 'after-kill');
      await waitForRedis(h.server, 'down');

      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(repoListRequests(h.gh, 'during-outage')).toHaveLength(3);
      expect([repeat.status, repeat.headers['x-cache']]).toEqual([200, 'HIT']);
      expect([cached.status, cached.headers['x-cache']]).toEqual([200, 'HIT']);
      expect(repoListRequests(h.gh, 'before-outage')).toEqual([]);
      expect(await readiness(h.server)).toEqual({
        status: 200,
        overall: 'degraded',
        cache: { status: 'degraded', backend: 'memory', redis: 'down' },
      });
    });

    it(
      'should report Redis up again and use it once it is back',
      async () => {
        if (redis.running) {
          await redis.kill();
        }
        await redis.restart();
        await waitForRedis(h.server, 'up', RECONNECT_WAIT_MS);
        h.gh.addUser('after-outage', 3);

        const first = await request(h.server).get('/github/repos/after-outage');
        const second = await request(h.server).get('/github/repos/after-outage');

        expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
        expect([second.status, second.headers['x-cache']]).toEqual([200, 'HIT']);
        expect((await readiness(h.server)).cache).toEqual({
          status: 'up',
          backend: 'redis',
          redis: 'up',
        });
        expect(await keysContaining(redis.url, 'gh:repos:user:after-outage')).toHaveLength(1);
      },
      RECONNECT_WAIT_MS + 5000,
    );
  });
});
