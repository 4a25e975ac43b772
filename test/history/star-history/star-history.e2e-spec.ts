import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { StarHistory } from '../../../src/history/star-history/star-history.model';
import { accumulateByDay } from '../../../src/history/star-history/star-points';
import { bootApp } from '../../support/boot-app';
import { Harness, startHarness } from '../../support/harness';
import { HISTORY_ON, historyReady, setToday, snapshotsWritten } from '../../support/history-app';

const OWNER_TOKEN = 'ghp_repositoryOwnerToken0123456789abcd';
const NO_CACHE = { 'Cache-Control': 'no-cache' };
const MAX_PAGES = 5;
const TODAY = '2026-07-15';

/** `count` stars from 2024-01-01, `perDay` a day spread over the day (oldest first, like GitHub). */
function starDates(count: number, perDay: number): string[] {
  const spacingMs = Math.floor(86_400_000 / perDay);
  return Array.from({ length: count }, (_, i) => {
    const day = Math.floor(i / perDay);
    return new Date(Date.UTC(2024, 0, 1 + day) + (i % perDay) * spacingMs).toISOString();
  });
}

/** The page numbers the app asked the fake for, for one repository's stargazers. */
function stargazerPagesAsked(h: Harness, fullName: string): number[] {
  return h.gh.requests
    .filter((r) => r.path.startsWith(`/repos/${fullName.toLowerCase()}/stargazers?`))
    .map((r) => Number(new URL(r.path, 'http://x').searchParams.get('page') ?? '1'));
}

/**
 * Star history on the embedded store (PGlite under a temporary DATA_DIR) where GitHub has no
 * weekly star history (404, as GitHub Enterprise Server): rebuilt from the stargazer list where
 * the token is a collaborator, sampled within STAR_HISTORY_MAX_PAGES for long lists, and the
 * recorded days where GitHub refuses the list. (The weekly history: star-history-weekly.e2e-spec.ts.)
 */
describe('GET /github/repos/:owner/:repo/star-history (embedded store)', () => {
  let h: Harness;
  let dataDir: string;
  let repos: { exact: string; sampled: string; huge: string; forbidden: string; empty: string };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gdb-history-'));
    h = await startHarness({
      token: OWNER_TOKEN,
      env: {
        ...HISTORY_ON,
        DATA_DIR: dataDir,
        STAR_HISTORY_MAX_PAGES: String(MAX_PAGES),
      },
    });
    const [exact, sampled, huge, forbidden, empty] = h.gh.addUser('octocat', 5);
    repos = {
      exact: exact.full_name,
      sampled: sampled.full_name,
      huge: huge.full_name,
      forbidden: forbidden.full_name,
      empty: empty.full_name,
    };
    h.gh.setStargazers(repos.exact, { starredAt: starDates(437, 9), collaborators: [OWNER_TOKEN] });
    h.gh.setStargazers(repos.sampled, {
      starredAt: starDates(2_345, 40),
      collaborators: [OWNER_TOKEN],
    });
    h.gh.setStargazers(repos.huge, {
      starredAt: starDates(41_234, 500),
      collaborators: [OWNER_TOKEN],
    });
    h.gh.setStargazers(repos.forbidden, { starredAt: starDates(30, 3), restriction: 'forbidden' });
    h.gh.setStargazers(repos.empty, { starredAt: starDates(12, 3), restriction: 'empty' });
    await historyReady(h.app);
    setToday(h.app, TODAY);
  }, 180_000);

  afterAll(async () => {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    // GitHub Enterprise Server: no /stargazers/history.
    for (const fullName of Object.values(repos)) {
      h.gh.failNext({
        pathPrefix: `/repos/${fullName.toLowerCase()}/stargazers/history`,
        mode: 'not-found',
        times: Infinity,
      });
    }
  });

  afterEach(() => {
    h.gh.reset();
  });

  const starHistory = async (fullName: string): Promise<StarHistory> =>
    (
      await request(h.server)
        .get(`/github/repos/${fullName}/star-history`)
        .set(NO_CACHE)
        .expect(200)
    ).body as StarHistory;

  it('should rebuild the exact history day by day from the whole list', async () => {
    const body = await starHistory(repos.exact);

    const expected = accumulateByDay(starDates(437, 9));
    expect(body).toMatchObject({
      source: 'stargazers',
      exact: true,
      stars: 437,
      since: '2024-01-01',
    });
    expect(body.points).toEqual([...expected, { date: TODAY, stars: 437 }]);
    expect(stargazerPagesAsked(h, repos.exact)).toEqual([1, 2, 3, 4, 5]);
  });

  it('should check each day of the exact history against the list itself', async () => {
    const body = await starHistory(repos.exact);
    const list = starDates(437, 9);

    for (const point of body.points.slice(0, -1)) {
      const starsByEndOfDay = list.filter((at) => at.slice(0, 10) <= point.date).length;
      expect({ date: point.date, stars: point.stars }).toEqual({
        date: point.date,
        stars: starsByEndOfDay,
      });
    }
  });

  it('should sample a longer list within the page budget, first and last page included', async () => {
    const body = await starHistory(repos.sampled);

    const asked = stargazerPagesAsked(h, repos.sampled);
    expect(asked.length).toBeLessThanOrEqual(MAX_PAGES);
    expect(Math.min(...asked)).toBe(1);
    expect(Math.max(...asked)).toBe(24);
    expect(body).toMatchObject({ source: 'stargazers', exact: false, stars: 2_345 });
    const list = starDates(2_345, 40);
    for (const point of body.points.slice(0, -1)) {
      // A sample is a lower bound of the day's end count, never above it.
      expect(point.stars).toBeLessThanOrEqual(
        list.filter((at) => at.slice(0, 10) <= point.date).length,
      );
      expect(point.stars).toBeGreaterThan(list.filter((at) => at.slice(0, 10) < point.date).length);
    }
    expect(body.points.at(-1)).toEqual({ date: TODAY, stars: 2_345 });
  });

  it('should never ask past page 400 of a list GitHub cuts there', async () => {
    const body = await starHistory(repos.huge);

    const asked = stargazerPagesAsked(h, repos.huge);
    expect(asked.length).toBeLessThanOrEqual(MAX_PAGES);
    expect(Math.max(...asked)).toBe(400);
    expect(body.points.at(-2)).toMatchObject({ stars: 40_000 });
    expect(body.points.at(-1)).toEqual({ date: TODAY, stars: 41_234 });
  });

  it('should serve old full pages from the cache without asking GitHub again', async () => {
    await starHistory(repos.exact);

    // Only the last page (not full) is asked again.
    expect(stargazerPagesAsked(h, repos.exact)).toEqual([5]);
  });

  it.each([
    ['a 403', 'forbidden'],
    ['an empty list', 'empty'],
  ] as const)(
    'should answer the recorded days when GitHub refuses the list with %s',
    async (_how, key) => {
      const fullName = repos[key];
      const repo = h.gh.reposOf('octocat').find((r) => r.full_name === fullName)!;
      const stars = repo.stargazers_count;
      setToday(h.app, '2026-07-10');
      await starHistory(fullName);
      repo.stargazers_count = stars + 4;
      setToday(h.app, '2026-07-12');
      await request(h.server).get(`/github/repos/${fullName}`).set(NO_CACHE).expect(200);
      await starHistory(fullName);
      await snapshotsWritten(h.app);
      setToday(h.app, TODAY);
      repo.stargazers_count = stars + 5;
      await request(h.server).get(`/github/repos/${fullName}`).set(NO_CACHE).expect(200);

      const body = await starHistory(fullName);

      expect(body).toMatchObject({ source: 'snapshots', exact: false, since: '2026-07-10' });
      expect(body.points).toEqual([
        { date: '2026-07-10', stars },
        { date: '2026-07-12', stars: stars + 4 },
        { date: TODAY, stars: stars + 5 },
      ]);
    },
  );

  it('should not pause anything after a permission 403', async () => {
    await starHistory(repos.forbidden);

    // A governor paused by the 403 would refuse this without asking GitHub.
    await request(h.server).get('/github/users/octocat').set(NO_CACHE).expect(200);
    expect(h.gh.countRequests('/users/octocat')).toBe(1);
  });

  it('should answer 404 for a repository GitHub does not have', async () => {
    await request(h.server).get('/github/repos/octocat/no-such-repo/star-history').expect(404);
  });

  it('should keep the recorded history across a restart of the embedded store', async () => {
    await snapshotsWritten(h.app);
    await h.app.close();
    const restarted = await bootApp({
      githubUrl: h.gh.url,
      token: OWNER_TOKEN,
      env: {
        ...HISTORY_ON,
        DATA_DIR: dataDir,
        STAR_HISTORY_MAX_PAGES: String(MAX_PAGES),
      },
    });
    try {
      await historyReady(restarted);
      setToday(restarted, TODAY);

      const body = (
        await request(restarted.getHttpServer())
          .get(`/github/repos/${repos.forbidden}/star-history`)
          .expect(200)
      ).body as StarHistory;

      expect(body.since).toBe('2026-07-10');
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
