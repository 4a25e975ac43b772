import { WatchList } from '../../../src/history/storage/watch-list';
import { Harness, startHarness } from '../../support/harness';
import { HISTORY_ON, historyReady } from '../../support/history-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const CAP = 3;
const WATCH_DAYS = 30;
const DAY_MS = 86_400_000;
const TODAY = '2026-06-15';

/**
 * The watch list on the real PostgreSQL: capped at HISTORY_MAX_WATCHED (the least viewed go),
 * pruned past HISTORY_WATCH_DAYS, and read oldest snapshot first, at most as many as asked.
 */
describe(WatchList.name, () => {
  let db: TestDatabase;
  let h: Harness;
  let watchList: WatchList;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({
      env: {
        DATABASE_URL: db.url,
        ...HISTORY_ON,
        HISTORY_MAX_WATCHED: String(CAP),
        HISTORY_WATCH_DAYS: String(WATCH_DAYS),
      },
    });
    await historyReady(h.app);
    watchList = h.app.get(WatchList);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await db.query('delete from watched_accounts');
    await db.query('delete from account_snapshots');
  });

  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  /** Watched accounts as the table holds them: `login: views`. */
  async function watched(): Promise<Record<string, number>> {
    const rows = await db.query<{ login: string; views: number }>(
      'select login, views from watched_accounts order by login',
    );
    return Object.fromEntries(rows.map((row) => [row.login, row.views]));
  }

  async function seed(login: string, views: number, daysAgo: number): Promise<void> {
    await db.query(
      "insert into watched_accounts (login, kind, last_viewed_at, views) values ($1, 'user', $2, $3)",
      [login, new Date(Date.now() - daysAgo * DAY_MS), views],
    );
  }

  async function snapshot(login: string, day: string, complete = true): Promise<void> {
    await db.query(
      'insert into account_snapshots (login, day, followers, stars) values ($1, $2, 1, $3)',
      [login, day, complete ? 1 : null],
    );
  }

  describe('cap', () => {
    it('should evict the account with the fewest views when the cap is passed', async () => {
      await seed('often', 5, 3);
      await seed('once', 1, 1);
      await seed('sometimes', 3, 2);

      await watchList.markViewed({ login: 'newcomer-1', kind: 'user' });

      expect(await watched()).toEqual({ often: 5, sometimes: 3, 'newcomer-1': 1 });
    });

    it('should evict the oldest view among accounts with as many views', async () => {
      await seed('three-days', 2, 3);
      await seed('one-day', 2, 1);
      await seed('two-days', 2, 2);

      await watchList.markViewed({ login: 'newcomer-2', kind: 'user' });

      expect(Object.keys(await watched()).sort()).toEqual(['newcomer-2', 'one-day', 'two-days']);
    });

    it('should keep the account just viewed even when every other has more views', async () => {
      await seed('a', 5, 1);
      await seed('b', 5, 2);
      await seed('c', 5, 3);

      await watchList.markViewed({ login: 'newcomer-3', kind: 'user' });

      expect(await watched()).toEqual({ a: 5, b: 5, 'newcomer-3': 1 });
    });

    it('should not let a flood of new names push out the accounts people come back to', async () => {
      await seed('regular', 4, 1);
      await seed('returning', 2, 5);

      for (let i = 0; i < 40; i++) {
        await watchList.markViewed({ login: `made-up-${i}`, kind: 'user' });
      }

      expect(await watched()).toEqual({ regular: 4, returning: 2, 'made-up-39': 1 });
    });

    it('should count a view at most once an hour per account', async () => {
      const start = Date.now();
      const now = jest.spyOn(Date, 'now').mockReturnValue(start);
      await watchList.markViewed({ login: 'busy', kind: 'user' });
      await watchList.markViewed({ login: 'busy', kind: 'user' });
      now.mockReturnValue(start + 59 * 60_000);
      await watchList.markViewed({ login: 'busy', kind: 'user' });
      const withinTheHour = await watched();

      now.mockReturnValue(start + 61 * 60_000);
      await watchList.markViewed({ login: 'busy', kind: 'user' });

      expect(withinTheHour).toEqual({ busy: 1 });
      expect(await watched()).toEqual({ busy: 2 });
    });
  });

  describe('pruning', () => {
    it('should forget the accounts nobody viewed within HISTORY_WATCH_DAYS, and only those', async () => {
      await seed('forgotten', 9, WATCH_DAYS + 1);
      await seed('recent', 1, WATCH_DAYS - 1);

      const pruned = await watchList.prune();

      expect(pruned).toBe(1);
      expect(await watched()).toEqual({ recent: 1 });
    });
  });

  describe('reading', () => {
    beforeEach(async () => {
      await seed('never', 1, 1);
      await seed('five-days', 1, 1);
      await seed('two-days', 1, 1);
      await seed('done-today', 1, 1);
      await seed('half-today', 1, 1);
      await seed('half-before', 1, 1);
      await seed('unviewed', 1, WATCH_DAYS + 1);
      await snapshot('five-days', '2026-06-10');
      await snapshot('two-days', '2026-06-13');
      await snapshot('two-days', '2026-06-01');
      await snapshot('done-today', TODAY);
      await snapshot('half-today', '2026-06-01');
      // Only half of today is recorded (a profile view): still due, but behind every account
      // recorded on an earlier day.
      await snapshot('half-today', TODAY, false);
      await snapshot('half-before', '2026-06-12', false);
    });

    it('should answer the accounts longest without a snapshot first, never-recorded before all, none complete today', async () => {
      const accounts = await watchList.watched(TODAY, 100);

      expect(accounts.map((a) => [a.login, a.lastSnapshotDay])).toEqual([
        ['never', null],
        ['five-days', '2026-06-10'],
        ['half-before', '2026-06-12'],
        ['two-days', '2026-06-13'],
        ['half-today', TODAY],
      ]);
    });

    it('should read at most the number asked for', async () => {
      const accounts = await watchList.watched(TODAY, 2);

      expect(accounts.map((a) => a.login)).toEqual(['never', 'five-days']);
    });

    it('should put the most viewed first among accounts never recorded', async () => {
      await seed('popular', 7, 2);

      const accounts = await watchList.watched(TODAY, 2);

      expect(accounts.map((a) => a.login)).toEqual(['popular', 'never']);
    });
  });
});
