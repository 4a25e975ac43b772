import { Logger } from '@nestjs/common';
import type { MetricsService } from '../../metrics/metrics.service';
import { HistoryUnavailableError } from './history-unavailable.error';
import type { HistoryDatabase } from './history-database';
import type { AccountSnapshot } from './account-snapshot';
import { MAX_PENDING, MAX_PENDING_REPOS, SnapshotWriter } from './snapshot-writer';

interface StartingStore {
  state: 'starting' | 'up';
  backend: 'postgres';
  /** The logins of the account rows written. */
  written: string[];
  whenReady(): Promise<void>;
  run: jest.Mock<Promise<unknown>, [(db: unknown) => Promise<unknown>]>;
  open(): void;
}

/** A store still being created: every write refused until `open()`, as HistoryDatabase does. */
function startingStore(): StartingStore {
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  const store: StartingStore = {
    state: 'starting',
    backend: 'postgres',
    written: [],
    whenReady: () => ready,
    run: jest.fn((work: (db: unknown) => Promise<unknown>) => {
      if (store.state !== 'up') {
        return Promise.reject(new HistoryUnavailableError('The history database is not available'));
      }
      return work(fakeKysely(store.written));
    }),
    open: () => {
      store.state = 'up';
      open();
    },
  };
  return store;
}

/** Just enough of Kysely for writeSnapshot: records each account row it is asked to write. */
function fakeKysely(written: string[]): unknown {
  const statement = {
    values: (row: { login?: string }) => {
      if (row.login) {
        written.push(row.login);
      }
      return statement;
    },
    onConflict: () => statement,
    executeTakeFirst: () => Promise.resolve({ numInsertedOrUpdatedRows: 1n }),
  };
  return { insertInto: () => statement };
}

const metrics = {
  recordSnapshotWrite: jest.fn(),
  recordSnapshotsPending: jest.fn(),
} as unknown as MetricsService;

function snapshot(login: string, repos = 0): AccountSnapshot {
  return {
    login,
    day: '2026-06-15',
    profile: { followers: 1, following: 1, publicRepos: repos },
    repos: Array.from({ length: repos }, (_, i) => ({
      fullName: `${login}/r${i}`,
      stars: 0,
      forks: 0,
      openIssues: 0,
    })),
  };
}

describe(SnapshotWriter.name, () => {
  let writer: SnapshotWriter;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => {
    writer.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  function dropWarnings(): unknown[] {
    return warn.mock.calls.filter(
      ([, message]) =>
        message === 'Too many snapshots wait for the history database; dropped the oldest',
    );
  }

  it('should keep the snapshots taken while the store starts and write them once it is ready', async () => {
    const store = startingStore();
    writer = new SnapshotWriter(store as unknown as HistoryDatabase, metrics);
    writer.onApplicationBootstrap();
    writer.enqueue(snapshot('early'));
    await writer.settled();
    const kept = writer.pendingCount;

    store.open();
    await new Promise((resolve) => setImmediate(resolve));
    await writer.settled();

    expect(kept).toBe(1);
    expect(writer.pendingCount).toBe(0);
    expect(store.written).toEqual(['early']);
    // Refused while starting is expected: not a warning per snapshot.
    expect(warn).not.toHaveBeenCalled();
  });

  it(`should keep at most ${MAX_PENDING} snapshots, dropping the oldest`, async () => {
    const store = startingStore();
    writer = new SnapshotWriter(store as unknown as HistoryDatabase, metrics);
    for (let i = 0; i < MAX_PENDING + 3; i++) {
      writer.enqueue(snapshot(`account-${i}`));
    }
    await writer.settled();

    expect(writer.pendingCount).toBe(MAX_PENDING);
    expect(writer.hasUnwritten('account-2')).toBe(false);
    expect(writer.hasUnwritten('account-3')).toBe(true);
    expect(writer.hasUnwritten(`account-${MAX_PENDING + 2}`)).toBe(true);
    expect(dropWarnings()).toHaveLength(3);
  });

  it(`should keep at most ${MAX_PENDING_REPOS} repository rows, dropping the oldest snapshots`, async () => {
    const store = startingStore();
    writer = new SnapshotWriter(store as unknown as HistoryDatabase, metrics);
    const third = MAX_PENDING_REPOS / 2 - 1;
    for (const login of ['first', 'second', 'third']) {
      writer.enqueue(snapshot(login, third));
    }
    await writer.settled();

    expect(['first', 'second', 'third'].map((login) => writer.hasUnwritten(login))).toEqual([
      false,
      true,
      true,
    ]);
    expect(dropWarnings()).toHaveLength(1);
  });
});
