import request from 'supertest';
import {
  deleteKeysContaining,
  keysContaining,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../support/test-redis';
import { RepoListBody } from '../../support/collect-pages';
import { expectedListing } from '../../support/expected-repos';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

/** Three pages of 100: small enough to test quickly, the same rule as the default 10,000. */
const CEILING = 300;
const BIG = 1234;

interface Coverage {
  complete: boolean;
  publicRepos: number | null;
  coverage: string;
}

describe('GITHUB_MAX_REPOS_PER_ACCOUNT: a ceiling on what one request reads', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { GITHUB_MAX_REPOS_PER_ACCOUNT: String(CEILING) } });
    h.gh.addUser('huge-user', BIG);
    h.gh.addOrg('huge-org', BIG);
    h.gh.addUser('at-ceiling', CEILING);
  });

  afterAll(async () => {
    await h.close();
  });

  beforeEach(() => {
    h.gh.reset();
  });

  it('should answer 200 with the most recently pushed repositories, flagged partial with the real count', async () => {
    const response = await request(h.server)
      .get('/github/repos/huge-user')
      .query({ sort: 'pushed', perPage: 100 });

    expect(response.status).toBe(200);
    expect(response.headers['x-repos-complete']).toBe('false');
    const body = response.body as RepoListBody & Coverage;
    expect(body).toMatchObject({
      complete: false,
      publicRepos: BIG,
      total: CEILING,
      coverage: 'first 300 of 1,234 repositories, most recently pushed first',
    });
    // The 300 read are GitHub's 300 most recently pushed, in our own order.
    const newest = expectedListing(h.gh.reposOf('huge-user'), { sort: 'pushed' }).slice(0, CEILING);
    expect(body.repos).toEqual(newest.slice(0, 100));
  });

  it('should cost at most ceil(ceiling / 100) + 2 GitHub pages, and nothing when asked again', async () => {
    await request(h.server).get('/github/repos/huge-user').set('Cache-Control', 'no-cache');
    const cold = h.gh.requests.length;
    h.gh.reset();

    const again = await request(h.server).get('/github/repos/huge-user').query({ page: 3 });

    expect(cold).toBeLessThanOrEqual(CEILING / 100 + 2);
    expect(again.status).toBe(200);
    expect(h.gh.requests).toEqual([]);
  });

  it('should sort and page across all it read, like a complete list', async () => {
    const response = await request(h.server)
      .get('/github/repos/huge-user')
      .query({ sort: 'name', page: 3, perPage: 100 });

    const read = expectedListing(h.gh.reposOf('huge-user'), { sort: 'pushed' }).slice(0, CEILING);
    const byName = [...read].sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase()
        ? -1
        : a.name.toLowerCase() > b.name.toLowerCase()
          ? 1
          : 0,
    );
    const body = response.body as RepoListBody;
    expect(body.repos.map((r) => r.name)).toEqual(byName.slice(200, 300).map((r) => r.name));
    expect(response.headers.link).not.toContain('page=4');
  });

  it('should flag an organisation the same way', async () => {
    const response = await request(h.server).get('/github/orgs/huge-org/repos');

    expect(response.status).toBe(200);
    expect(response.headers['x-repos-complete']).toBe('false');
    expect(response.body).toMatchObject({ complete: false, publicRepos: BIG, total: CEILING });
  });

  it('should say in the summary that the numbers cover the first 300 of 1,234', async () => {
    const response = await request(h.server).get('/github/users/huge-user/summary');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      complete: false,
      publicRepos: BIG,
      coverage: 'first 300 of 1,234 repositories, most recently pushed first',
      totals: { repos: CEILING },
    });
  });

  it('should read an account of exactly the ceiling whole', async () => {
    const response = await request(h.server).get('/github/repos/at-ceiling');

    expect(response.headers['x-repos-complete']).toBe('true');
    expect(response.body).toMatchObject({
      complete: true,
      publicRepos: CEILING,
      total: CEILING,
      coverage: 'all 300 repositories',
    });
    expect(h.gh.requests).toHaveLength(3);
  });
});

describe('The governor refuses a fan-out that would spend its reserve', () => {
  let h: Harness;

  beforeAll(async () => {
    // 20 of 60 left and 6 held back: a 2,500-repository account needs 24 more pages.
    h = await startHarness({ fake: { rateLimit: { limit: 60, remaining: 20 } } });
    h.gh.addUser('too-costly', 2500);
    h.gh.addUser('affordable', 250);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should answer 503 with Retry-After after one page, not spend the budget', async () => {
    h.gh.reset();

    const response = await request(h.server).get('/github/repos/too-costly');

    const problem = expectProblem(response, 503);
    expect(problem.detail).toMatch(/budget/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(h.gh.requests).toHaveLength(1);
  });

  it('should still serve an account that fits above the reserve', async () => {
    const response = await request(h.server).get('/github/repos/affordable');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ complete: true, total: 250 });
  });
});

describe('CACHE_REDIS_MAX_VALUE_BYTES: a byte ceiling on each value written to Redis', () => {
  const prefix = uniqueKeyPrefix('redis-ceiling');
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: {
        REDIS_URL: TEST_REDIS_URL,
        CACHE_KEY_PREFIX: prefix,
        CACHE_REDIS_MAX_VALUE_BYTES: '4096',
      },
    });
    h.gh.addUser('too-big-for-redis', 150);
    h.gh.addUser('fits-in-redis', 2);
    // The first request may race the Redis connection; one the app has surely made.
    for (let i = 0; i < 50 && !(await request(h.server).get('/health/ready')).ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    await h.close();
    await deleteKeysContaining(TEST_REDIS_URL, prefix);
  });

  it('should keep a value over the ceiling in memory only, and still serve it from there', async () => {
    await request(h.server).get('/github/repos/fits-in-redis').expect(200);
    await request(h.server).get('/github/repos/too-big-for-redis').expect(200);
    h.gh.reset();

    const again = await request(h.server).get('/github/repos/too-big-for-redis');
    const keys = await keysContaining(TEST_REDIS_URL, prefix);

    expect(keys.some((k) => k.endsWith('gh:repos:user:fits-in-redis'))).toBe(true);
    expect(keys.some((k) => k.includes('too-big-for-redis'))).toBe(false);
    expect(again.headers['x-cache']).toBe('HIT');
    expect(h.gh.requests).toEqual([]);
    const metrics = await request(h.server).get('/metrics');
    expect(metrics.text).toMatch(/^cache_redis_skipped_total [1-9]/m);
  });
});
