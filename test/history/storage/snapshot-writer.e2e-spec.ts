import request from 'supertest';
import { AccountSnapshot } from '../../../src/history/storage/account-snapshot';
import { SnapshotWriter, writeSnapshot } from '../../../src/history/storage/snapshot-writer';
import { HistoryDatabase } from '../../../src/history/storage/history-database';
import { Harness, startHarness } from '../../support/harness';
import { HISTORY_ON, historyReady, setToday, snapshotsWritten } from '../../support/history-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const NO_CACHE = { 'Cache-Control': 'no-cache' };
const REPOS = 30;

/** Each row's transaction id: it changes exactly when the row is written again. */
type Versions = Record<string, string>;

/**
 * Writes bounded by change, on the real PostgreSQL: a revalidation that changes nothing writes
 * nothing (this process remembers what it wrote), the upserts leave identical rows alone (what
 * another replica, or this one before a restart, wrote), and a change rewrites only its rows.
 */
describe(`${SnapshotWriter.name} writes`, () => {
  let db: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({ env: { DATABASE_URL: db.url, ...HISTORY_ON } });
    h.gh.addUser('octocat', REPOS);
    await historyReady(h.app);
    setToday(h.app, '2026-06-15');
  });

  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  async function versions(): Promise<Versions> {
    const rows = await db.query<{ name: string; version: string }>(
      `select login as name, xmin::text as version from account_snapshots
       union all select full_name, xmin::text from repo_snapshots`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.version]));
  }

  function changed(before: Versions, after: Versions): string[] {
    return Object.keys(after).filter((name) => before[name] !== after[name]);
  }

  async function visit(): Promise<void> {
    await request(h.server).get('/github/users/octocat/summary').set(NO_CACHE).expect(200);
    await snapshotsWritten(h.app);
  }

  it('should write nothing when a revalidation changes nothing', async () => {
    await visit();
    const before = await versions();
    const database = h.app.get(HistoryDatabase);
    const run = jest.spyOn(database, 'run');
    const asked = h.gh.countRequests('/users/octocat');

    await visit();

    // The revalidation did reach GitHub (304s), and not a statement reached the database.
    expect(h.gh.countRequests('/users/octocat')).toBeGreaterThan(asked);
    expect(run.mock.calls.filter(([work]) => String(work).includes('writeSnapshot'))).toEqual([]);
    expect(changed(before, await versions())).toEqual([]);
    expect(Object.keys(before)).toHaveLength(1 + REPOS);
    run.mockRestore();
  });

  it("should rewrite only the rows whose values changed, the day's other rows left alone", async () => {
    const before = await versions();
    const repo = h.gh.reposOf('octocat')[3];
    repo.stargazers_count += 1;

    await visit();

    expect(changed(before, await versions()).sort()).toEqual(
      ['octocat', `octocat/${repo.name}`.toLowerCase()].sort(),
    );
  });

  it('should leave identical rows alone when this process has not written them (another replica, a restart)', async () => {
    const snapshot: AccountSnapshot = {
      login: 'elsewhere',
      day: '2026-06-15',
      profile: { followers: 5, following: 1, publicRepos: 2 },
      totals: { stars: 3, forks: 0 },
      repos: [
        { fullName: 'elsewhere/a', stars: 1, forks: 0, openIssues: 0 },
        { fullName: 'elsewhere/b', stars: 2, forks: 0, openIssues: 1 },
      ],
    };
    const database = h.app.get(HistoryDatabase);
    const first = await database.run((kysely) => writeSnapshot(kysely, snapshot));
    const before = await versions();

    const again = await database.run((kysely) => writeSnapshot(kysely, snapshot));
    const partial = await database.run((kysely) =>
      // Only the profile half, as it was: the other half stays and nothing is rewritten.
      writeSnapshot(kysely, { ...snapshot, totals: undefined, repos: [] }),
    );
    const oneRepo = await database.run((kysely) =>
      writeSnapshot(kysely, {
        ...snapshot,
        repos: [snapshot.repos[0], { ...snapshot.repos[1], openIssues: 2 }],
      }),
    );

    expect({ first, again, partial, oneRepo }).toEqual({
      first: 3,
      again: 0,
      partial: 0,
      oneRepo: 1,
    });
    expect(changed(before, await versions())).toEqual(['elsewhere/b']);
  });
});
