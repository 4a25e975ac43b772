import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';

const LIMIT = 3;
/** Behind one trusted proxy (this test, on 127.0.0.1), the last X-Forwarded-For entry is the client. */
const as = (client: string) => ({ 'X-Forwarded-For': client });
const SPENDER = '198.51.100.7';
const BYSTANDER = '203.0.113.9';

/**
 * CLIENT_UPSTREAM_LIMIT: the GitHub requests one client's requests may cause per window, counted
 * at the fake GitHub (issue 20). Cached answers cost nothing and are still served past it.
 */
describe('Per-client upstream budget (CLIENT_UPSTREAM_LIMIT)', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: '1',
        CLIENT_UPSTREAM_LIMIT: String(LIMIT),
        CLIENT_UPSTREAM_WINDOW_S: '600',
        CACHE_TTL_SECONDS: '1',
        CACHE_MIN_REVALIDATE_S: '10',
      },
    });
    for (const login of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      h.gh.addUser(login, 1);
    }
  });

  afterEach(async () => {
    await h.close();
  });

  /** One profile costs one GitHub request: `count` distinct ones spend as much of the budget. */
  async function spend(client: string, count: number): Promise<void> {
    for (let i = 1; i <= count; i++) {
      expect((await request(h.server).get(`/github/users/u${i}`).set(as(client))).status).toBe(200);
    }
  }

  it('should refuse what needs GitHub past the share with a 429 problem and Retry-After, without asking GitHub', async () => {
    // Arrange
    await spend(SPENDER, LIMIT);
    const asked = h.gh.countRequests('/users/');

    // Act
    const refused = await request(h.server).get('/github/users/u4').set(as(SPENDER));

    // Assert
    const problem = expectProblem(refused, 429);
    expect(problem.type).toBe('urn:github-dashboard:problem:client-upstream-budget');
    expect(problem.detail).toContain('share of the GitHub budget');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(h.gh.countRequests('/users/')).toBe(asked);
    expect(asked).toBe(LIMIT);
  });

  it('should still serve the spender what is cached, fresh or stale', async () => {
    // Arrange
    await spend(SPENDER, LIMIT);

    // Act
    const fresh = await request(h.server).get('/github/users/u1').set(as(SPENDER));
    await sleep(1100);
    const stale = await request(h.server).get('/github/users/u2').set(as(SPENDER));

    // Assert
    expect(fresh.status).toBe(200);
    expect(stale.status).toBe(200);
    expect(stale.headers['x-cache']).toBe('STALE');
    // The background refresh the stale answer started was the spender's, and refused.
    await sleep(100);
    expect(h.gh.countRequests('/users/')).toBe(LIMIT);
  });

  it('should charge each client alone: a bystander is not refused for the spender', async () => {
    await spend(SPENDER, LIMIT);

    const bystander = await request(h.server).get('/github/users/u4').set(as(BYSTANDER));

    expect(bystander.status).toBe(200);
  });

  it('should charge a fan-out whole when it starts, finish it past the limit, then refuse', async () => {
    // Arrange: 250 repositories are three pages; one request of the share of three is spent.
    h.gh.addUser('big', 250);
    await spend(SPENDER, 1);

    // Act: page 1 (the second of three), then pages 2 and 3 reserved together on the last unit
    const list = await request(h.server).get('/github/repos/big').set(as(SPENDER));
    const next = await request(h.server).get('/github/users/u5').set(as(SPENDER));

    // Assert
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 250, complete: true });
    expect(h.gh.countRequests('/users/big/repos') + h.gh.countRequests('/user/')).toBe(3);
    expectProblem(next, 429);
  });

  it('should refuse a fan-out whole once the share is spent, asking GitHub nothing more', async () => {
    // Arrange: two of three spent; page 1 of a 250-repository list spends the third.
    h.gh.addUser('big', 250);
    await spend(SPENDER, LIMIT - 1);

    // Act
    const list = await request(h.server).get('/github/repos/big').set(as(SPENDER));

    // Assert: page 1 was the last request; pages 2 and 3 were refused together
    expectProblem(list, 429);
    expect(h.gh.countRequests('/users/big/repos') + h.gh.countRequests('/user/')).toBe(1);
  });

  it('should make a loop of no-cache cost one GitHub request per CACHE_MIN_REVALIDATE_S', async () => {
    // Arrange
    await request(h.server).get('/github/users/u1').set(as(BYSTANDER));
    const before = h.gh.countRequests('/users/u1');

    // Act
    for (let i = 0; i < 20; i++) {
      const response = await request(h.server)
        .get('/github/users/u1')
        .set({ ...as(BYSTANDER), 'Cache-Control': 'no-cache' });
      expect(response.status).toBe(200);
    }

    // Assert
    expect(h.gh.countRequests('/users/u1') - before).toBe(0);
  });

  it('should not let no-cache reach past a remembered not-found', async () => {
    const first = await request(h.server).get('/github/users/ghost').set(as(BYSTANDER));

    for (let i = 0; i < 10; i++) {
      const again = await request(h.server)
        .get('/github/users/ghost')
        .set({ ...as(BYSTANDER), 'Cache-Control': 'no-cache' });
      expectProblem(again, 404);
    }

    expectProblem(first, 404);
    expect(h.gh.countRequests('/users/ghost')).toBe(1);
  });
});
