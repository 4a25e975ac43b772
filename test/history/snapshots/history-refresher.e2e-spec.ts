import { setTimeout as sleep } from 'node:timers/promises';
import { ProfileService } from '../../../src/github/profiles/profile.service';
import { RateLimitGovernor } from '../../../src/github/upstream/rate-limit-governor';
import { DatabaseLease } from '../../../src/history/storage/database-lease';
import { HistoryRefresher } from '../../../src/history/snapshots/history-refresher';
import { HistoryDatabase } from '../../../src/history/storage/history-database';
import { Harness, startHarness } from '../../support/harness';
import { HISTORY_ON, historyReady, setToday } from '../../support/history-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

const TODAY = '2026-06-15';
const RESERVE = 50;
const SHARE = 0.1;
/** 150 left, 50 of them the reserve: 100 spare, of which the refresher's 10 % is 10 requests. */
const REMAINING = 150;
const ALLOWANCE = 10;
/** A profile and one list page: what an account never loaded before is planned to cost. */
const ACCOUNT_COST = 2;

/**
 * The refresher as a guest on the real PostgreSQL: it plans at most its share of the budget left
 * above the reserve, takes the accounts longest without a snapshot first, and keeps its lease for
 * a round longer than the lease (stopping when another replica took it).
 */
describe(HistoryRefresher.name, () => {
  let db: TestDatabase;
  let h: Harness;
  let refresher: HistoryRefresher;
  let created = 0;
  let windows = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness({
      env: {
        DATABASE_URL: db.url,
        ...HISTORY_ON,
        HISTORY_REFRESH_SHARE: String(SHARE),
        GITHUB_RATE_LIMIT_RESERVE: String(RESERVE),
        // A one-second lease, so that a round of a few seconds outlasts it.
        HISTORY_REFRESH_INTERVAL_SECONDS: '1',
      },
    });
    await historyReady(h.app);
    refresher = h.app.get(HistoryRefresher);
    // Rounds run when the tests say, not every second.
    refresher.onApplicationShutdown();
  });

  beforeEach(() => {
    setToday(h.app, TODAY);
    const governor = h.app.get(RateLimitGovernor);
    // The governor's spare budget for this token: REMAINING less its reserve.
    jest.spyOn(governor, 'spareBudget').mockReturnValue(REMAINING - RESERVE);
    jest.spyOn(governor, 'budgets').mockReturnValue([
      {
        fingerprint: 'test',
        limit: 5000,
        remaining: REMAINING,
        // A window of its own per test: what earlier tests planned is not taken off.
        reset: Math.floor(Date.now() / 1000) + 3600 + ++windows,
        estimated: false,
      },
    ]);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await db.query('delete from watched_accounts');
    await db.query('delete from account_snapshots');
    await db.query('delete from history_leases');
  });

  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  /** Accounts GitHub has and the watch list holds, each a name no other test used. */
  async function watch(count: number, tag: string): Promise<string[]> {
    const logins = Array.from({ length: count }, (_, i) => `${tag}-${++created}-${i}`);
    for (const login of logins) {
      h.gh.addUser(login, 0);
      await db.query(
        "insert into watched_accounts (login, kind, last_viewed_at) values ($1, 'user', now())",
        [login],
      );
    }
    return logins;
  }

  function profilesAsked(logins: string[]): string[] {
    // Names are unique counters: no login is the start of another.
    return logins.filter((login) => h.gh.countRequests(`/users/${login}`) > 0);
  }

  it('should refresh only as many accounts as its share of the spare budget pays for, reading no more than it can pay for', async () => {
    const logins = await watch(14, 'share');

    const round = await refresher.runOnce();

    expect(round).toMatchObject({
      ran: true,
      allowance: ALLOWANCE,
      planned: ALLOWANCE,
      refreshed: ALLOWANCE / ACCOUNT_COST,
      // Read: at most ALLOWANCE accounts (each costs one request at least), not all 14.
      skipped: ALLOWANCE - ALLOWANCE / ACCOUNT_COST,
      leaseLost: false,
    });
    expect(profilesAsked(logins)).toHaveLength(ALLOWANCE / ACCOUNT_COST);
  });

  it('should take off what an earlier round of the same window planned', async () => {
    await watch(8, 'window');
    await refresher.runOnce();
    await db.query('delete from history_leases');

    const second = await refresher.runOnce();

    // 100 spare + 10 planned before = 110; 10 % of it is 11, of which 10 are spent already.
    expect(second).toMatchObject({ ran: true, allowance: 1, refreshed: 0 });
  });

  it('should refresh the accounts longest without a snapshot first, never-recorded before all', async () => {
    const [recent, old, never, middle] = await watch(4, 'order');
    for (const [login, day] of [
      [recent, '2026-06-14'],
      [old, '2026-06-01'],
      [middle, '2026-06-10'],
    ]) {
      await db.query(
        'insert into account_snapshots (login, day, followers, stars) values ($1, $2, 1, 1)',
        [login, day],
      );
    }
    const governor = h.app.get(RateLimitGovernor);
    // 40 spare: 4 requests, two accounts.
    jest.spyOn(governor, 'spareBudget').mockReturnValue(90 - RESERVE);
    jest
      .spyOn(governor, 'budgets')
      .mockReturnValue([
        { fingerprint: 'test', limit: 5000, remaining: 90, reset: 0, estimated: true },
      ]);

    const round = await refresher.runOnce();

    expect(round).toMatchObject({ allowance: 4, refreshed: 2 });
    expect(profilesAsked([recent, old, never, middle]).sort()).toEqual([never, old].sort());
  });

  it('should forget watched accounts nobody viewed within HISTORY_WATCH_DAYS in each round', async () => {
    await db.query(
      "insert into watched_accounts (login, kind, last_viewed_at) values ('long-gone', 'user', now() - interval '31 days')",
    );

    const round = await refresher.runOnce();

    expect(round.unwatched).toBe(1);
    expect(await db.query("select 1 from watched_accounts where login = 'long-gone'")).toEqual([]);
  });

  it('should keep its lease through a round longer than the lease, so no other replica runs one', async () => {
    await watch(3, 'long');
    const profiles = h.app.get(ProfileService);
    const getProfile = profiles.getProfile.bind(profiles);
    jest.spyOn(profiles, 'getProfile').mockImplementation(async (...args) => {
      await sleep(700);
      return getProfile(...args);
    });
    const otherReplica = new DatabaseLease(h.app.get(HistoryDatabase), 'history-refresher', 1);

    const running = refresher.runOnce();
    const takenByOther: boolean[] = [];
    while (takenByOther.length < 8) {
      await sleep(250);
      takenByOther.push(await otherReplica.take());
    }
    const round = await running;

    expect(round).toMatchObject({ ran: true, refreshed: 3, leaseLost: false });
    expect(takenByOther).toEqual(Array(8).fill(false));
  });

  it('should stop the round when another replica holds its lease', async () => {
    await watch(3, 'lost');
    const profiles = h.app.get(ProfileService);
    const getProfile = profiles.getProfile.bind(profiles);
    jest.spyOn(profiles, 'getProfile').mockImplementation(async (...args) => {
      // The lease expired (a stalled process) and another replica took it meanwhile.
      await db.query("update history_leases set holder = 'other-replica'");
      return getProfile(...args);
    });

    const round = await refresher.runOnce();

    expect(round).toMatchObject({ ran: true, refreshed: 1, skipped: 2, leaseLost: true });
  });
});
