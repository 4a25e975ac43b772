import request from 'supertest';
import { bootApp } from '../../support/boot-app';
import { Harness, startHarness } from '../../support/harness';
import { GithubRepoJson } from '../../fake-github';
import { weekStartMs } from '../../fake-github/stargazer-history';
import {
  StarHistory,
  StarHistoryPoint,
} from '../../../src/history/star-history/star-history.model';
import { accumulateByDay } from '../../../src/history/star-history/star-points';
import { utcDay } from '../../../src/common/clock';
import { HISTORY_ON, historyReady, setToday, snapshotsWritten } from '../../support/history-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const PLAIN_TOKEN = 'ghp_plainReaderNotACollaborator012345678';
const OWNER_TOKEN = 'ghp_repositoryOwnerToken0123456789abcd';
const NO_CACHE = { 'Cache-Control': 'no-cache' };
const WEEK_MS = 7 * 86_400_000;

/** `count` stars from `from`, `perDay` a day spread over each day, oldest first. */
function starDates(from: string, count: number, perDay: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const spacingMs = Math.floor(86_400_000 / perDay);
  return Array.from({ length: count }, (_, i) =>
    new Date(start + Math.floor(i / perDay) * 86_400_000 + (i % perDay) * spacingMs).toISOString(),
  );
}

/** Weeks GitHub lists for a repository created at `createdAt`: the current one back to that one. */
function weeksSince(createdAt: string): number {
  return (weekStartMs(Date.now()) - weekStartMs(Date.parse(createdAt))) / WEEK_MS + 1;
}

/**
 * Star history from GitHub's weekly history (`GET /repos/{owner}/{repo}/stargazers/history`, GitHub
 * changelog 2026-09-04), the first source for any public repository and any token, on PostgreSQL:
 * the whole exact curve for one request per 30 weeks, nothing for a cached one, the fallbacks
 * where GitHub has no such endpoint, `lost` on days recorded back to back, and `interval`.
 */
describe('GET /github/repos/:owner/:repo/star-history (GitHub weekly history)', () => {
  let db: TestDatabase;
  let h: Harness;
  let old: GithubRepoJson;
  let huge: GithubRepoJson;
  let enterprise: GithubRepoJson;
  let unlisted: GithubRepoJson;
  let oldStars: string[];
  let hugeStars: string[];

  const starHistory = async (fullName: string, query = ''): Promise<StarHistory> =>
    (
      await request(h.server)
        .get(`/github/repos/${fullName}/star-history${query}`)
        .set(NO_CACHE)
        .expect(200)
    ).body as StarHistory;

  /** Waits until the background write of a repository's snapshot of `day` is in the database. */
  const recordedOn = async (fullName: string, day: string): Promise<void> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const rows = await db.query(
        `SELECT 1 FROM repo_snapshots WHERE full_name = $1 AND day = $2`,
        [fullName.toLowerCase(), day],
      );
      if (rows.length > 0) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`No snapshot of ${fullName} on ${day}`);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({ token: PLAIN_TOKEN, env: { DATABASE_URL: db.url, ...HISTORY_ON } });
    [old, huge, enterprise, unlisted] = h.gh.addUser('octocat', 4);
    old.created_at = '2017-03-15T09:30:00Z';
    oldStars = [
      ...starDates('2017-03-16', 900, 3),
      ...starDates('2021-06-01', 1_200, 40),
      ...starDates('2025-02-10', 199, 1),
    ];
    h.gh.setStargazers(old.full_name, { starredAt: oldStars, collaborators: [OWNER_TOKEN] });
    huge.created_at = '2023-12-20T00:00:00Z';
    hugeStars = starDates('2024-01-01', 41_234, 500);
    h.gh.setStargazers(huge.full_name, { starredAt: hugeStars });
    enterprise.created_at = '2022-01-01T00:00:00Z';
    h.gh.setStargazers(enterprise.full_name, {
      starredAt: starDates('2022-02-01', 250, 5),
      collaborators: [PLAIN_TOKEN],
    });
    unlisted.created_at = '2022-01-01T00:00:00Z';
    h.gh.setStargazers(unlisted.full_name, { starredAt: starDates('2022-02-01', 30, 2) });
    await historyReady(h.app);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    h.gh.reset();
  });

  it('should give the whole exact curve of a repository created years ago, with a plain token, for ceil(weeks / 30) + 1 requests', async () => {
    const body = await starHistory(old.full_name);

    const today = utcDay(new Date());
    expect(body).toMatchObject({
      source: 'history',
      exact: true,
      stars: 2_299,
      since: '2017-03-16',
      interval: 'day',
    });
    expect(body.points.map(({ date, stars }) => ({ date, stars }))).toEqual([
      ...accumulateByDay(oldStars),
      { date: today, stars: 2_299 },
    ]);
    const budget = Math.ceil(weeksSince(old.created_at) / 30) + 1;
    expect(h.gh.requests).toHaveLength(budget);
    expect(h.gh.countRequests(`/repos/${old.full_name.toLowerCase()}/stargazers?`)).toBe(0);
  });

  it('should check every day of the curve against the stargazer list, with the stars given that day', async () => {
    const body = await starHistory(old.full_name);

    for (const point of body.points.slice(0, -1)) {
      expect(point).toEqual({
        date: point.date,
        stars: oldStars.filter((at) => at.slice(0, 10) <= point.date).length,
        gained: oldStars.filter((at) => at.slice(0, 10) === point.date).length,
      });
    }
  });

  it('should cost no GitHub request the second time, and only free 304s when asked to revalidate', async () => {
    await starHistory(old.full_name);
    h.gh.reset();
    const before = h.gh.rateLimitOf(`Bearer ${PLAIN_TOKEN}`).remaining;

    await request(h.server).get(`/github/repos/${old.full_name}/star-history`).expect(200);
    expect(h.gh.requests).toHaveLength(0);

    await starHistory(old.full_name);
    expect(h.gh.requests.length).toBeGreaterThan(0);
    expect(h.gh.requests.every((r) => r.status === 304)).toBe(true);
    expect(h.gh.rateLimitOf(`Bearer ${PLAIN_TOKEN}`).remaining).toBe(before);
  });

  it('should be exact for a 40,000+ star repository: no sampling, no 400-page cap', async () => {
    const body = await starHistory(huge.full_name);

    expect(body).toMatchObject({ source: 'history', exact: true, stars: 41_234 });
    expect(body.points.slice(0, -1).map(({ date, stars }) => ({ date, stars }))).toEqual(
      accumulateByDay(hugeStars),
    );
    expect(h.gh.countRequests(`/repos/${huge.full_name.toLowerCase()}/stargazers?`)).toBe(0);
    expect(h.gh.requests).toHaveLength(Math.ceil(weeksSince(huge.created_at) / 30) + 1);
  });

  it('should keep a week seen twice once, and read the page a new week pushed further', async () => {
    const [repo] = h.gh.addOrg('shifty', 1);
    repo.created_at = new Date(Date.now() - 59 * WEEK_MS).toISOString();
    const stars = Array.from({ length: 300 }, (_, i) =>
      new Date(Date.now() - (300 - i) * 86_400_000).toISOString(),
    );
    h.gh.setStargazers(repo.full_name, { starredAt: stars });
    const weeks = weeksSince(repo.created_at);
    // A new week starts once page 1 is answered: every later page is one week further back.
    const now = Date.now.bind(Date);
    jest
      .spyOn(Date, 'now')
      .mockImplementation(() =>
        h.gh.requests.some(
          (r) => r.path.includes('/stargazers/history') && !r.path.endsWith('page=1'),
        )
          ? now() + WEEK_MS
          : now(),
      );

    const body = await starHistory(repo.full_name);

    // 60 weeks: two full pages, and a third once the new week pushed the oldest one onto it.
    const pages = h.gh.requests.filter((r) => r.path.includes('/stargazers/history'));
    expect(weeks).toBe(60);
    expect(pages.map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(body).toMatchObject({ source: 'history', exact: true, stars: 300 });
    expect(
      body.points.slice(0, -1).map(({ date, stars: count }) => ({ date, stars: count })),
    ).toEqual(accumulateByDay(stars));
  });

  it('should say when the weeks do not add up to stargazers_count, and still end at today’s count', async () => {
    const counted = old.stargazers_count;
    old.stargazers_count = counted + 7;
    try {
      const body = await starHistory(old.full_name);

      expect(body).toMatchObject({ source: 'history', exact: false, stars: counted + 7 });
      expect(body.points.at(-1)).toMatchObject({ date: utcDay(new Date()), stars: counted + 7 });
    } finally {
      old.stargazers_count = counted;
    }
  });

  it('should drop the days GitHub counts after today', async () => {
    // This service's day is behind GitHub's: what GitHub counted later is not yet history.
    setToday(h.app, '2025-03-01');

    const body = await starHistory(old.full_name);

    const beforeToday = oldStars.filter((at) => at.slice(0, 10) < '2025-03-01');
    expect(body).toMatchObject({ source: 'history', exact: false, stars: 2_299 });
    expect(body.points.map(({ date, stars }) => ({ date, stars }))).toEqual([
      ...accumulateByDay(beforeToday),
      { date: '2025-03-01', stars: 2_299 },
    ]);
  });

  it('should work without a token', async () => {
    const anonymous = await bootApp({
      githubUrl: h.gh.url,
      env: { DATABASE_URL: db.url, ...HISTORY_ON },
    });
    try {
      await historyReady(anonymous);
      const body = (
        await request(anonymous.getHttpServer())
          .get(`/github/repos/${old.full_name}/star-history`)
          .set(NO_CACHE)
          .expect(200)
      ).body as StarHistory;

      expect(body).toMatchObject({ source: 'history', exact: true, stars: 2_299 });
      expect(
        h.gh.requests.filter((r) => r.path.includes('/stargazers/history')).length,
      ).toBeGreaterThan(0);
      expect(h.gh.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await anonymous.close();
    }
  }, 60_000);

  it('should fall back to the stargazer list where GitHub has no weekly history (404) and the token may list it', async () => {
    h.gh.failNext({
      pathPrefix: `/repos/${enterprise.full_name.toLowerCase()}/stargazers/history`,
      mode: 'not-found',
      times: Infinity,
    });

    const body = await starHistory(enterprise.full_name);

    expect(body).toMatchObject({ source: 'stargazers', exact: true, stars: 250 });
    expect(h.gh.countRequests(`/repos/${enterprise.full_name.toLowerCase()}/stargazers?`)).toBe(3);
  });

  it('should fall back to the recorded days where GitHub has no weekly history and refuses the list', async () => {
    h.gh.failNext({
      pathPrefix: `/repos/${unlisted.full_name.toLowerCase()}/stargazers/history`,
      mode: 'not-found',
      times: Infinity,
    });

    const body = await starHistory(unlisted.full_name);

    expect(body).toMatchObject({ source: 'snapshots', exact: false, stars: 30 });
    expect(body.points).toEqual([{ date: utcDay(new Date()), stars: 30 }]);
  });

  it('should report stars lost on a day recorded after the day before, as a lower bound', async () => {
    const [repo] = h.gh.addOrg('lossy', 1);
    repo.created_at = '2025-01-01T00:00:00Z';
    const first = starDates('2025-01-05', 50, 5);
    h.gh.setStargazers(repo.full_name, { starredAt: first });
    setToday(h.app, '2026-11-20');
    await starHistory(repo.full_name);
    await snapshotsWritten(h.app);
    await recordedOn(repo.full_name, '2026-11-20');
    // On the 21st, 3 of the old stargazers unstar and 5 new ones star: 52 recorded.
    const second = [...first.slice(3), ...starDates('2026-11-21', 5, 5)];
    h.gh.setStargazers(repo.full_name, { starredAt: second });
    setToday(h.app, '2026-11-21');

    const body = await starHistory(repo.full_name);

    expect(body.points.at(-1)).toEqual<StarHistoryPoint>({
      date: '2026-11-21',
      stars: 52,
      gained: 5,
      lost: 3,
      lostKind: 'lower-bound',
    });
    expect(body.points.filter((point) => point.lost !== undefined)).toHaveLength(1);
    const weekly = await starHistory(repo.full_name, '?interval=week');
    expect(weekly.points.at(-1)).toEqual<StarHistoryPoint>({
      date: '2026-11-21',
      stars: 52,
      gained: 5,
      lost: 3,
      lostKind: 'lower-bound',
    });
  });

  it('should report the exact stars lost on a day with star events, over the lower bound', async () => {
    const [repo] = h.gh.addOrg('evented', 1);
    repo.created_at = '2025-01-01T00:00:00Z';
    const first = starDates('2025-01-05', 20, 5);
    h.gh.setStargazers(repo.full_name, { starredAt: first });
    setToday(h.app, '2026-11-20');
    await starHistory(repo.full_name);
    await recordedOn(repo.full_name, '2026-11-20');
    // On the 21st, as the `star` webhook saw it (one row per delivery): 4 old stargazers unstar,
    // 3 new ones star and one of them unstars again: 5 lost, 18 recorded. GitHub counts the 2 new
    // stars still held, so the recorded totals alone would say at least 2 − (18 − 20) = 4.
    h.gh.setStargazers(repo.full_name, {
      starredAt: [...first.slice(0, 16), ...starDates('2026-11-21', 2, 2)],
    });
    const fullName = repo.full_name.toLowerCase();
    await db.query(
      `INSERT INTO repo_star_events (delivery_id, full_name, day, action) VALUES
         ('d1', $1, '2026-11-21', 'deleted'), ('d2', $1, '2026-11-21', 'deleted'),
         ('d3', $1, '2026-11-21', 'deleted'), ('d4', $1, '2026-11-21', 'deleted'),
         ('d5', $1, '2026-11-21', 'created'), ('d6', $1, '2026-11-21', 'created'),
         ('d7', $1, '2026-11-21', 'created'), ('d8', $1, '2026-11-21', 'deleted')`,
      [fullName],
    );
    setToday(h.app, '2026-11-21');

    const body = await starHistory(repo.full_name);

    expect(body.points.at(-1)).toEqual<StarHistoryPoint>({
      date: '2026-11-21',
      stars: 18,
      gained: 2,
      lost: 5,
      lostKind: 'exact',
    });
  });

  it.each(['week', 'month'] as const)(
    'should give one point per %s with a change, at the end of its last day',
    async (interval) => {
      const day = await starHistory(old.full_name);
      const body = await starHistory(old.full_name, `?interval=${interval}`);

      const today = utcDay(new Date());
      const periodEnd = (date: string): string => {
        const at = new Date(`${date}T00:00:00Z`);
        const end =
          interval === 'week'
            ? new Date(at.getTime() + (6 - at.getUTCDay()) * 86_400_000)
            : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0));
        const last = utcDay(end);
        return last < today ? last : today;
      };
      const expected = new Map<string, { stars: number; gained: number }>();
      for (const point of day.points) {
        const end = periodEnd(point.date);
        expected.set(end, {
          stars: point.stars,
          gained: (expected.get(end)?.gained ?? 0) + (point.gained ?? 0),
        });
      }
      expect(body).toMatchObject({ interval, source: 'history', exact: true, since: '2017-03-16' });
      expect(body.points).toEqual(
        [...expected].map(([date, { stars, gained }]) => ({ date, stars, gained })),
      );
      expect(body.points.length).toBeLessThan(day.points.length);
    },
  );

  it('should refuse an unknown interval with a 400 naming the parameter', async () => {
    const response = await request(h.server)
      .get(`/github/repos/${old.full_name}/star-history?interval=year`)
      .expect(400);

    expect(JSON.stringify(response.body)).toContain('interval must be one of day, week, month');
  });

  it('should answer CSV as before', async () => {
    const response = await request(h.server)
      .get(`/github/repos/${old.full_name}/star-history?interval=month`)
      .set('Accept', 'text/csv')
      .expect(200);

    expect(response.text.startsWith('date,stars\r\n2017-03-31,')).toBe(true);
    expect(response.text.endsWith(`${utcDay(new Date())},2299\r\n`)).toBe(true);
  });

  // Last: it leaves the governor believing the token's budget is low.
  it("should refuse (503) a history whose pages would spend the governor's reserve, before asking for them", async () => {
    h.gh.setRateLimit({ limit: 5_000, remaining: 60, authorization: `Bearer ${PLAIN_TOKEN}` });

    const response = await request(h.server)
      .get(`/github/repos/${old.full_name}/star-history`)
      .set(NO_CACHE)
      .expect(503);

    expect(response.headers['retry-after']).toBeDefined();
    const pages = h.gh.requests.filter((r) => r.path.includes('/stargazers/history'));
    expect(pages.map((r) => r.path)).toEqual([
      `/repos/${old.full_name.toLowerCase()}/stargazers/history?per_page=30&page=1`,
    ]);
  });
});
