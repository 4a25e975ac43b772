import request from 'supertest';
import { AccountHistoryPoint } from '../../../src/history/account-history/account-history.model';
import { HistoryRefresher } from '../../../src/history/snapshots/history-refresher';
import { setTimeout as sleep } from 'node:timers/promises';
import { HistoryDatabase } from '../../../src/history/storage/history-database';
import { bootApp } from '../../support/boot-app';
import { Harness, startHarness } from '../../support/harness';
import { expectProblem } from '../../support/problem';
import { HISTORY_ON, historyReady, setToday, snapshotsWritten } from '../../support/history-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const NO_CACHE = { 'Cache-Control': 'no-cache' };

type Point = AccountHistoryPoint;

/**
 * Account history on the real PostgreSQL: snapshots taken whenever a profile or list is fresh,
 * one row per UTC day (the injectable clock makes the days), read back as a series.
 */
describe('GET /github/users/:username/history (PostgreSQL)', () => {
  let db: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({ env: { DATABASE_URL: db.url, ...HISTORY_ON } });
    h.gh.addUser('octocat', 12);
    h.gh.addUser('ghost', 0);
    await historyReady(h.app);
  });

  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  const expectedTotals = () => {
    const repos = h.gh.reposOf('octocat');
    return {
      stars: repos.reduce((total, repo) => total + repo.stargazers_count, 0),
      forks: repos.reduce((total, repo) => total + repo.forks_count, 0),
    };
  };

  async function visitOn(day: string): Promise<void> {
    setToday(h.app, day);
    await request(h.server).get('/github/users/octocat/summary').set(NO_CACHE).expect(200);
    await snapshotsWritten(h.app);
  }

  it('should record one point per day with the summary totals, ascending', async () => {
    const profile = h.gh.profileOf('octocat');
    const expected: Point[] = [];
    for (const [index, day] of ['2026-03-01', '2026-03-02', '2026-03-04'].entries()) {
      profile.followers = 100 + index * 7;
      h.gh.reposOf('octocat')[0].stargazers_count += 5;
      await visitOn(day);
      expected.push({
        date: day,
        followers: 100 + index * 7,
        following: profile.following,
        publicRepos: profile.public_repos,
        ...expectedTotals(),
      });
    }

    const response = await request(h.server)
      .get('/github/users/octocat/history?from=2026-03-01&to=2026-03-31')
      .expect(200);

    expect(response.body).toMatchObject({
      login: 'octocat',
      since: '2026-03-01',
      points: expected,
    });
  });

  it('should keep one row per day however often the account is fresh that day', async () => {
    await visitOn('2026-03-05');
    await visitOn('2026-03-05');
    h.gh.profileOf('octocat').followers = 999;
    await visitOn('2026-03-05');

    const rows = await db.query(
      "select followers from account_snapshots where login = 'octocat' and day = '2026-03-05'",
    );

    expect(rows).toEqual([{ followers: 999 }]);
  });

  it('should answer the last `days` up to today', async () => {
    setToday(h.app, '2026-03-05');

    const response = await request(h.server)
      .get('/github/users/octocat/history?days=2')
      .set(NO_CACHE)
      .expect(200);

    expect((response.body as { points: Point[] }).points.map((p) => p.date)).toEqual([
      '2026-03-04',
      '2026-03-05',
    ]);
  });

  it('should write every repository of the account, one row per repository and day', async () => {
    const rows = await db.query<{ n: string }>(
      "select count(*) as n from repo_snapshots where day = '2026-03-05'",
    );

    expect(Number(rows[0].n)).toBe(12);
  });

  it("should include the day the visit just recorded in the page's first history read", async () => {
    // Arrange: a new account seen for the first time, as the dashboard page does: summary, then
    // history; a slow snapshot write, still running when history is asked.
    h.gh.addUser('first-visit', 30);
    setToday(h.app, '2026-04-01');
    const database = h.app.get(HistoryDatabase);
    const run = database.run.bind(database);
    const slow = jest.spyOn(database, 'run').mockImplementation(async (work) => {
      // Only the snapshot write is slow: the history read must wait for it, not overtake it.
      if (String(work).includes('writeSnapshot')) {
        await sleep(500);
      }
      return run(work);
    });
    await request(h.server).get('/github/users/first-visit/summary').expect(200);

    // Act: no waiting for the write and no no-cache: the answer is cached as it is.
    const response = await request(h.server)
      .get('/github/users/first-visit/history?from=2026-04-01&to=2026-04-01')
      .expect(200);
    slow.mockRestore();

    // Assert
    expect(response.body).toMatchObject({ since: '2026-04-01', points: [{ date: '2026-04-01' }] });
  });

  it('should answer a range before anything was recorded with no points', async () => {
    // Looking the account up records it today (a fresh profile), so only an earlier range is empty.
    setToday(h.app, '2026-05-01');
    const response = await request(h.server)
      .get('/github/users/ghost/history?from=2020-01-01&to=2020-01-31')
      .expect(200);

    expect(response.body).toMatchObject({ login: 'ghost', since: '2026-05-01', points: [] });
  });

  it('should answer every range reaching past the retention and today from one cached entry', async () => {
    setToday(h.app, '2026-03-05');
    const asked = [
      'from=1900-01-01&to=2099-12-31',
      'from=1901-06-30&to=2030-01-01',
      'from=0001-01-01',
      'to=2999-01-01',
    ];

    const replies = [];
    for (const query of asked) {
      replies.push(
        await request(h.server).get(`/github/users/octocat/history?${query}`).expect(200),
      );
    }

    expect(replies.map((reply) => reply.headers['x-cache'])).toEqual(['MISS', 'HIT', 'HIT', 'HIT']);
    expect(new Set(replies.map((reply) => JSON.stringify(reply.body.points))).size).toBe(1);
  });

  it('should answer 404 for an account GitHub does not have', async () => {
    const response = await request(h.server).get('/github/users/nobody-here/history');

    expectProblem(response, 404);
  });

  it('should mark viewed accounts watched', async () => {
    const rows = await db.query("select login from watched_accounts where login = 'octocat'");

    expect(rows).toEqual([{ login: 'octocat' }]);
  });

  it.each([
    ['days=0', 'days'],
    ['days=3651', 'days'],
    ['days=ten', 'days'],
    ['days=5&from=2026-01-01', 'days'],
    ['from=2026-02-30', 'from'],
    ['from=yesterday', 'from'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['since=2026-01-01', 'since'],
  ])('should refuse ?%s with a 400 naming %s', async (query, parameter) => {
    const response = await request(h.server).get(`/github/users/octocat/history?${query}`);

    const body = expectProblem(response, 400);
    expect(body.errors?.map((error) => error.parameter)).toContain(parameter);
  });

  it('should snapshot watched accounts when nobody looks, one replica per interval', async () => {
    setToday(h.app, '2026-03-10');

    const first = await h.app.get(HistoryRefresher).runOnce();
    await snapshotsWritten(h.app);
    const second = await h.app.get(HistoryRefresher).runOnce();

    expect(first).toMatchObject({ ran: true, failed: 0, skipped: 0 });
    expect(first.refreshed).toBeGreaterThanOrEqual(1);
    expect(second.ran).toBe(false);
    const rows = await db.query<{ stars: number; followers: number }>(
      "select stars, followers from account_snapshots where login = 'octocat' and day = '2026-03-10'",
    );
    expect(rows).toEqual([
      { stars: expectedTotals().stars, followers: h.gh.profileOf('octocat').followers },
    ]);
    const metrics = (await request(h.server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^history_refresher_rounds_total\{outcome="ran"\} 1$/m);
    expect(metrics).toMatch(/^history_refresher_rounds_total\{outcome="skipped"\} 1$/m);
  });

  it('should keep one row per day when two instances share the database', async () => {
    const second = await bootApp({
      githubUrl: h.gh.url,
      env: { DATABASE_URL: db.url, ...HISTORY_ON },
    });
    try {
      await historyReady(second);
      setToday(h.app, '2026-03-06');
      setToday(second, '2026-03-06');
      await Promise.all([
        request(h.server).get('/github/users/octocat/summary').set(NO_CACHE).expect(200),
        request(second.getHttpServer())
          .get('/github/users/octocat/summary')
          .set(NO_CACHE)
          .expect(200),
      ]);
      await Promise.all([snapshotsWritten(h.app), snapshotsWritten(second)]);

      const accounts = await db.query(
        "select 1 from account_snapshots where login = 'octocat' and day = '2026-03-06'",
      );
      const repos = await db.query<{ n: string }>(
        "select count(*) as n from repo_snapshots where day = '2026-03-06'",
      );
      expect({ accounts: accounts.length, repos: Number(repos[0].n) }).toEqual({
        accounts: 1,
        repos: 12,
      });
    } finally {
      await second.close();
    }
  });

  it('should keep the history across a restart', async () => {
    const restarted = await bootApp({
      githubUrl: h.gh.url,
      env: { DATABASE_URL: db.url, ...HISTORY_ON },
    });
    try {
      await historyReady(restarted);

      const response = await request(restarted.getHttpServer())
        .get('/github/users/octocat/history?from=2026-03-01&to=2026-03-06')
        .expect(200);

      expect((response.body as { points: Point[] }).points.map((p) => p.date)).toEqual([
        '2026-03-01',
        '2026-03-02',
        '2026-03-04',
        '2026-03-05',
        '2026-03-06',
      ]);
    } finally {
      await restarted.close();
    }
  });
});

describe('GET /github/users/:username/history as CSV', () => {
  let db: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({ env: { DATABASE_URL: db.url, ...HISTORY_ON } });
    h.gh.addUser('octocat', 2);
    await historyReady(h.app);
    setToday(h.app, '2026-04-01');
    await request(h.server).get('/github/users/octocat/summary').expect(200);
    await snapshotsWritten(h.app);
  });

  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  it('should answer a header row and one line per point for Accept: text/csv', async () => {
    const profile = h.gh.profileOf('octocat');
    const repos = h.gh.reposOf('octocat');

    const response = await request(h.server)
      .get('/github/users/octocat/history?days=1')
      .set('Accept', 'text/csv')
      .expect(200);

    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
    expect(response.text).toBe(
      'date,followers,following,publicRepos,stars,forks\r\n' +
        `2026-04-01,${profile.followers},${profile.following},${profile.public_repos},` +
        `${repos.reduce((t, r) => t + r.stargazers_count, 0)},${repos.reduce((t, r) => t + r.forks_count, 0)}\r\n`,
    );
  });

  it.each([undefined, '*/*', 'application/json', 'text/html', 'application/json, text/csv'])(
    'should answer JSON for Accept %p',
    async (accept) => {
      const asked = request(h.server).get('/github/users/octocat/history?days=1');
      const response = await (accept === undefined ? asked : asked.set('Accept', accept)).expect(
        200,
      );

      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers.vary).toBe('Accept, Accept-Encoding');
    },
  );

  it('should give CSV and JSON distinct ETags, each revalidating only itself', async () => {
    const url = '/github/users/octocat/history?days=1';
    const json = await request(h.server).get(url).expect(200);
    const csv = await request(h.server).get(url).set('Accept', 'text/csv').expect(200);

    expect(csv.headers.etag).not.toBe(json.headers.etag);
    await request(h.server)
      .get(url)
      .set('Accept', 'text/csv')
      .set('If-None-Match', String(csv.headers.etag))
      .expect(304);
    await request(h.server).get(url).set('If-None-Match', String(csv.headers.etag)).expect(200);
  });
});
