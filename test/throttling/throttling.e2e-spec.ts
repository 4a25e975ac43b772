import request from 'supertest';
import { Harness, startHarness } from '../support/harness';
import { expectProblem } from '../support/problem';

const LIMIT = 4;

/**
 * THROTTLE_LIMIT is one budget per client across all routes (README, Configuration); probes and
 * /metrics are exempt. A fresh app per test, so each starts with a full budget.
 */
describe('Per-client throttling (ThrottlingModule)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ env: { THROTTLE_LIMIT: String(LIMIT), THROTTLE_TTL_SECONDS: '60' } });
    h.gh.addUser('octocat', 3);
  });

  afterEach(async () => {
    await h.close();
  });

  it('should answer a 429 problem with Retry-After once the limit is spent', async () => {
    for (let i = 0; i < LIMIT; i++) {
      expect((await request(h.server).get('/github/repos/octocat')).status).toBe(200);
    }

    const refused = await request(h.server).get('/github/repos/octocat');

    expectProblem(refused, 429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('should count every route against one budget per client', async () => {
    const paths = [
      '/github/repos/octocat',
      '/github/users/octocat',
      '/github/users/octocat/summary',
      '/github/repos/octocat?sort=name',
    ];
    for (const path of paths) {
      expect((await request(h.server).get(path)).status).toBe(200);
    }

    expectProblem(await request(h.server).get('/github/users/octocat'), 429);
  });

  it('should never throttle the probes or /metrics', async () => {
    for (let i = 0; i < LIMIT; i++) {
      await request(h.server).get('/github/repos/octocat');
    }
    expect((await request(h.server).get('/github/repos/octocat')).status).toBe(429);

    for (const path of ['/health', '/health/ready', '/metrics']) {
      expect((await request(h.server).get(path)).status).toBe(200);
    }
  });
});
