import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:http';
import request from 'supertest';
import { ThrottleSync } from '../../src/throttling/throttle-sync.service';
import { PrivateRedis } from '../support/private-redis';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../support/test-redis';
import { sleep, waitForRedis } from '../support/upstream';
import { FakeGithub } from '../fake-github';
import { bootApp } from '../support/boot-app';
import { AMPLE_BUDGET } from '../support/harness';
import { expectProblem } from '../support/problem';

const LIMIT = 20;
const SYNC_MS = 50;
/** One request every PACE_MS, so the client's rate, and with it the documented bound, is known. */
const PACE_MS = 20;
/**
 * What a sync may take on top of its interval (a Redis round trip, a late timer on a busy test
 * machine); generous, and still far below the LIMIT a missing sync would let through.
 */
const SYNC_LATENCY_ALLOWANCE_MS = 50;
/**
 * docs/throttling.md: at most limit + rate × (THROTTLE_SYNC_MS + a sync's round trip) in a
 * window, whatever the number of replicas (the rate being the client's, over all of them).
 */
const BOUND = LIMIT + Math.ceil((SYNC_MS + SYNC_LATENCY_ALLOWANCE_MS) / PACE_MS);
const REQUESTS = 3 * LIMIT;
const PATH = '/github/users/octocat';

/**
 * Two instances of the service, as two replicas behind a load balancer, with one client (this
 * test, 127.0.0.1) alternating between them. THROTTLE_LIMIT is the client's budget over both
 * when they share a Redis, and each replica's own when there is none.
 */
describe(`${ThrottleSync.name} (two replicas)`, () => {
  let gh: FakeGithub;
  let apps: NestFastifyApplication[] = [];
  let redis: PrivateRedis | undefined;
  const prefixes: string[] = [];

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    gh.addUser('octocat', 3);
  });

  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
    await redis?.stop();
    redis = undefined;
  });

  afterAll(async () => {
    await gh?.close();
    for (const prefix of prefixes) {
      await deleteKeysContaining(TEST_REDIS_URL, prefix);
    }
  });

  /** Boots two instances with the same settings: the same Redis and key prefix, if any. */
  async function bootReplicas(env: Record<string, string>): Promise<[Server, Server]> {
    const settings = {
      THROTTLE_LIMIT: String(LIMIT),
      THROTTLE_TTL_SECONDS: '60',
      THROTTLE_SYNC_MS: String(SYNC_MS),
      ...env,
    };
    for (let i = 0; i < 2; i++) {
      apps.push(await bootApp({ githubUrl: gh.url, env: settings }));
    }
    const [a, b] = apps.map((app) => app.getHttpServer());
    return [a, b];
  }

  /** REQUESTS requests, one every PACE_MS, alternating a, b, a...: each status with its replica. */
  async function alternate(a: Server, b: Server): Promise<{ replica: Server; status: number }[]> {
    const results: { replica: Server; status: number }[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const replica = i % 2 === 0 ? a : b;
      const started = Date.now();
      const response = await request(replica).get(PATH);
      if (response.status === 429) {
        expectProblem(response, 429);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      results.push({ replica, status: response.status });
      await sleep(Math.max(0, PACE_MS - (Date.now() - started)));
    }
    return results;
  }

  it('should refuse the client beyond the shared limit and its bound, on whichever replica', async () => {
    const prefix = uniqueKeyPrefix('throttle-replicas');
    prefixes.push(prefix);
    const [a, b] = await bootReplicas({ REDIS_URL: TEST_REDIS_URL, CACHE_KEY_PREFIX: prefix });
    await Promise.all([waitForRedis(a, 'up'), waitForRedis(b, 'up')]);

    const results = await alternate(a, b);

    const admitted = results.filter((r) => r.status === 200).length;
    expect(results.slice(0, LIMIT).map((r) => r.status)).toEqual(Array(LIMIT).fill(200));
    expect(admitted).toBeLessThanOrEqual(BOUND);
    // Once both replicas have heard, the client is refused everywhere: nothing is admitted later.
    const lastAdmitted = results.map((r) => r.status).lastIndexOf(200);
    expect(lastAdmitted).toBeLessThan(BOUND);
    const refused = results.slice(lastAdmitted + 1);
    expect(refused.every((r) => r.status === 429)).toBe(true);
    expect(new Set(refused.map((r) => r.replica))).toEqual(new Set([a, b]));
  });

  it('should let each replica count alone without Redis', async () => {
    const [a, b] = await bootReplicas({});

    const results = await alternate(a, b);

    for (const replica of [a, b]) {
      const statuses = results.filter((r) => r.replica === replica).map((r) => r.status);
      expect(statuses).toEqual([
        ...Array<number>(LIMIT).fill(200),
        ...Array<number>(REQUESTS / 2 - LIMIT).fill(429),
      ]);
    }
  });

  it('should fall back to counting per replica, without failing a request, while Redis is down', async () => {
    redis = await PrivateRedis.start();
    const prefix = uniqueKeyPrefix('throttle-outage');
    const [a, b] = await bootReplicas({ REDIS_URL: redis.url, CACHE_KEY_PREFIX: prefix });
    await Promise.all([waitForRedis(a, 'up'), waitForRedis(b, 'up')]);
    await redis.kill();
    await Promise.all([waitForRedis(a, 'down'), waitForRedis(b, 'down')]);

    const results = await alternate(a, b);

    for (const replica of [a, b]) {
      const statuses = results.filter((r) => r.replica === replica).map((r) => r.status);
      expect(statuses).toEqual([
        ...Array<number>(LIMIT).fill(200),
        ...Array<number>(REQUESTS / 2 - LIMIT).fill(429),
      ]);
    }
  });
});
