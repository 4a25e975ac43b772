import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { sleep, waitForRedis } from '../../support/upstream';
import { FakeGithub } from '../../fake-github';
import { bootApp } from '../../support/boot-app';
import { AMPLE_BUDGET } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { deleteKeysContaining, TEST_REDIS_URL, uniqueKeyPrefix } from '../../support/test-redis';

const LIMIT = 6;
const SYNC_MS = 50;
/** One request every PACE_MS: slower than a sync, so the documented bound is a request or two. */
const PACE_MS = 100;
const SYNC_LATENCY_ALLOWANCE_MS = 100;
/** docs/throttling.md: the limit plus what reaches the replicas in one sync interval and its trip. */
const BOUND = LIMIT + Math.ceil((SYNC_MS + SYNC_LATENCY_ALLOWANCE_MS) / PACE_MS);
const REQUESTS = 3 * LIMIT;
const CLIENT = { 'X-Forwarded-For': '198.51.100.7' };

/**
 * Two replicas behind one ingress share each client's upstream budget through Redis, as they
 * share THROTTLE_LIMIT: one client alternating between them causes CLIENT_UPSTREAM_LIMIT GitHub
 * requests in all (within the sync bound), not that many per replica.
 */
describe('Per-client upstream budget across two replicas', () => {
  let gh: FakeGithub;
  let apps: NestFastifyApplication[] = [];
  const prefix = uniqueKeyPrefix('upstream-replicas');

  beforeAll(async () => {
    gh = await FakeGithub.start({ rateLimit: AMPLE_BUDGET });
    for (let i = 0; i < REQUESTS; i++) {
      gh.addUser(`user-${i}`, 1);
    }
    for (let i = 0; i < 2; i++) {
      apps.push(
        await bootApp({
          githubUrl: gh.url,
          env: {
            REDIS_URL: TEST_REDIS_URL,
            CACHE_KEY_PREFIX: prefix,
            TRUST_PROXY: '1',
            CLIENT_UPSTREAM_LIMIT: String(LIMIT),
            THROTTLE_SYNC_MS: String(SYNC_MS),
          },
        }),
      );
    }
    await Promise.all(apps.map((app) => waitForRedis(app.getHttpServer(), 'up')));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
    await gh?.close();
    await deleteKeysContaining(TEST_REDIS_URL, prefix);
  });

  it('should hold one client to one share over both replicas', async () => {
    // Act: a new login each time, so each admitted request costs GitHub one request.
    const statuses: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const started = Date.now();
      const server = apps[i % 2].getHttpServer();
      const response = await request(server).get(`/github/users/user-${i}`).set(CLIENT);
      if (response.status === 429) {
        expectProblem(response, 429);
      }
      statuses.push(response.status);
      await sleep(Math.max(0, PACE_MS - (Date.now() - started)));
    }

    // Assert
    const spent = gh.countRequests('/users/');
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(200));
    expect(spent).toBeGreaterThanOrEqual(LIMIT);
    expect(spent).toBeLessThanOrEqual(BOUND);
    const lastAdmitted = statuses.lastIndexOf(200);
    expect(statuses.slice(lastAdmitted + 1).every((status) => status === 429)).toBe(true);
    // Both replicas refuse: each knows what the other charged.
    const refusedOn = new Set(
      statuses.map((status, i) => (status === 429 ? i % 2 : -1)).filter((r) => r >= 0),
    );
    expect(refusedOn).toEqual(new Set([0, 1]));
  });
});
