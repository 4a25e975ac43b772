import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { MetricsService } from '../../metrics/metrics.service';
import { HistoryDatabase } from './history-database';
import { HistoryTables } from './history-schema';
import { AccountSnapshot, RepoSnapshot } from './account-snapshot';

/** Rows per INSERT: 1,000 repositories × 5 values stays far below PostgreSQL's 65,535 parameters. */
export const REPO_BATCH_SIZE = 1_000;
/**
 * The embedded store runs inside this process, so each statement holds the event loop while it
 * runs: 1,000 rows took up to 150 ms under --liftoff-only, and a request arriving meanwhile waited.
 * 100-row statements with a turn of the event loop between them keep each pause to ~15 ms.
 */
export const EMBEDDED_REPO_BATCH_SIZE = 100;
/**
 * Snapshots kept for a retry (the database is starting, or down); past either bound the oldest is
 * dropped (logged and counted). A snapshot carries up to 10,000 repositories, hence the second
 * bound: 100,000 repository rows are ~15 MB of memory.
 */
export const MAX_PENDING = 2_000;
export const MAX_PENDING_REPOS = 100_000;
/** Account-days whose last written values this process remembers, to skip rewriting them. */
const WRITTEN_MEMORY = 10_000;
const RETRY_INTERVAL_MS = 15_000;

/**
 * Writes snapshots off the request path: callers enqueue and return at once; one write runs at a
 * time per process, and a later snapshot of the same account and day merges into a queued one.
 * Every write is an upsert, so replicas and repeated requests leave one row per day. Writes are
 * bounded by change: a snapshot equal to the one this process last wrote for its account and day
 * is not sent at all (a revalidation that changed nothing writes nothing), and the upserts skip
 * rows whose values are already there (another replica, or before a restart). A failed write
 * (the database is starting or down) is kept for a retry, and retried as soon as it is ready.
 */
@Injectable()
export class SnapshotWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotWriter.name);
  private readonly queued = new Map<string, AccountSnapshot>();
  private readonly pending = new Map<string, AccountSnapshot>();
  private readonly written = new LRUCache<string, string>({ max: WRITTEN_MEMORY });
  private draining?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly database: HistoryDatabase,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    // Snapshots taken while the store was being created are written as soon as it is.
    void this.database.whenReady().then(() => {
      if (this.database.state === 'up' && this.pending.size > 0) {
        this.retryNow();
      }
    });
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retryTimer);
  }

  enqueue(snapshot: AccountSnapshot): void {
    const key = `${snapshot.login}@${snapshot.day}`;
    this.queued.set(key, merge(this.pending.get(key) ?? this.queued.get(key), snapshot));
    this.pending.delete(key);
    this.metrics.recordSnapshotsPending(this.pending.size);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves when nothing is queued or being written (failed ones wait for their retry). */
  async settled(): Promise<void> {
    while (this.draining) {
      await this.draining;
    }
  }

  /**
   * Waits, at most `ms`, for the writes queued now: a history read just after the visit that
   * recorded the account then sees that visit's day rather than caching an answer without it.
   */
  async settledWithin(ms: number): Promise<void> {
    if (!this.draining) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.settled(),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  /** How many snapshots wait for a retry. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** True while a snapshot of this account is queued or waits for a retry (not in the database). */
  hasUnwritten(login: string): boolean {
    const prefix = `${login.toLowerCase()}@`;
    return [...this.queued.keys(), ...this.pending.keys()].some((key) => key.startsWith(prefix));
  }

  /** Retries the failed snapshots now rather than at the next timer tick. */
  retryNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const failed = [...this.pending.values()];
    this.pending.clear();
    failed.forEach((snapshot) => this.enqueue(snapshot));
  }

  private async drain(): Promise<void> {
    // Let the request that enqueued finish first.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queued.size > 0) {
      const [key, snapshot] = this.queued.entries().next().value as [string, AccountSnapshot];
      this.queued.delete(key);
      const fingerprint = fingerprintOf(snapshot);
      if (this.written.get(key) === fingerprint) {
        continue;
      }
      const startedAt = performance.now();
      try {
        const batchSize =
          this.database.backend === 'embedded' ? EMBEDDED_REPO_BATCH_SIZE : REPO_BATCH_SIZE;
        await this.database.run((db) => writeSnapshot(db, snapshot, batchSize));
        this.written.set(key, fingerprint);
        this.metrics.recordSnapshotWrite('written', (performance.now() - startedAt) / 1000);
      } catch (error) {
        this.keepForRetry(key, snapshot, error);
      }
    }
  }

  private keepForRetry(key: string, snapshot: AccountSnapshot, error: unknown): void {
    this.metrics.recordSnapshotWrite('failed');
    const starting = this.database.state === 'starting';
    // While the store is being created every write fails by design: not worth a warning each.
    this.logger[starting ? 'debug' : 'warn'](
      {
        login: snapshot.login,
        day: snapshot.day,
        error: error instanceof Error ? error.message : String(error),
      },
      starting
        ? 'History database still starting; snapshot kept until it is ready'
        : 'Snapshot write failed; kept for a retry',
    );
    this.pending.set(key, snapshot);
    this.dropBeyondBounds();
    this.metrics.recordSnapshotsPending(this.pending.size);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.retryNow();
    }, RETRY_INTERVAL_MS).unref();
  }

  private dropBeyondBounds(): void {
    let repos = 0;
    this.pending.forEach((snapshot) => (repos += snapshot.repos.length));
    while (
      this.pending.size > MAX_PENDING ||
      (repos > MAX_PENDING_REPOS && this.pending.size > 1)
    ) {
      const [oldest, dropped] = this.pending.entries().next().value as [string, AccountSnapshot];
      this.pending.delete(oldest);
      repos -= dropped.repos.length;
      this.metrics.recordSnapshotWrite('dropped');
      this.logger.warn(
        { login: dropped.login, day: dropped.day, kept: this.pending.size },
        'Too many snapshots wait for the history database; dropped the oldest',
      );
    }
  }
}

/** What a snapshot holds, in 20 bytes: equal fingerprints mean the same rows. */
function fingerprintOf(snapshot: AccountSnapshot): string {
  return createHash('sha1').update(JSON.stringify(snapshot)).digest('base64');
}

/** A later snapshot of the same day wins for each half it carries. */
function merge(earlier: AccountSnapshot | undefined, later: AccountSnapshot): AccountSnapshot {
  if (!earlier) {
    return later;
  }
  return {
    login: later.login,
    day: later.day,
    profile: later.profile ?? earlier.profile,
    totals: later.totals ?? earlier.totals,
    repos: later.totals ? later.repos : earlier.repos,
  };
}

/**
 * Upserts one account's row and its repositories' rows, the repositories in batches; answers how
 * many rows were inserted or changed (rows whose values were already there are left alone).
 */
export async function writeSnapshot(
  db: Kysely<HistoryTables>,
  snapshot: AccountSnapshot,
  batchSize = REPO_BATCH_SIZE,
): Promise<number> {
  const { profile, totals } = snapshot;
  const account = await db
    .insertInto('account_snapshots')
    .values({
      login: snapshot.login,
      day: snapshot.day,
      followers: profile?.followers ?? null,
      following: profile?.following ?? null,
      public_repos: profile?.publicRepos ?? null,
      stars: totals?.stars ?? null,
      forks: totals?.forks ?? null,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['login', 'day'])
        .doUpdateSet({
          // A half missing from this snapshot keeps what an earlier one of the day recorded.
          followers: sql`coalesce(excluded.followers, account_snapshots.followers)`,
          following: sql`coalesce(excluded.following, account_snapshots.following)`,
          public_repos: sql`coalesce(excluded.public_repos, account_snapshots.public_repos)`,
          stars: sql`coalesce(excluded.stars, account_snapshots.stars)`,
          forks: sql`coalesce(excluded.forks, account_snapshots.forks)`,
          recorded_at: sql`now()`,
        })
        // Values already there are not rewritten: no new row version, no WAL, no vacuum.
        .where(
          sql<boolean>`(coalesce(excluded.followers, account_snapshots.followers),
          coalesce(excluded.following, account_snapshots.following),
          coalesce(excluded.public_repos, account_snapshots.public_repos),
          coalesce(excluded.stars, account_snapshots.stars),
          coalesce(excluded.forks, account_snapshots.forks))
          is distinct from (account_snapshots.followers, account_snapshots.following,
          account_snapshots.public_repos, account_snapshots.stars, account_snapshots.forks)`,
        ),
    )
    .executeTakeFirst();
  return (
    Number(account.numInsertedOrUpdatedRows ?? 0) +
    (await writeRepoSnapshots(db, snapshot.day, snapshot.repos, batchSize))
  );
}

export async function writeRepoSnapshots(
  db: Kysely<HistoryTables>,
  day: string,
  repos: readonly RepoSnapshot[],
  batchSize = REPO_BATCH_SIZE,
): Promise<number> {
  let written = 0;
  // One row per repository and day: a list holding the same repository twice must not make the
  // upsert touch one row twice (PostgreSQL refuses that within one statement).
  const unique = [...new Map(repos.map((repo) => [repo.fullName, repo])).values()];
  for (let start = 0; start < unique.length; start += batchSize) {
    if (start > 0) {
      // Requests that arrived during the last statement go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await db
      .insertInto('repo_snapshots')
      .values(
        unique.slice(start, start + batchSize).map((repo) => ({
          full_name: repo.fullName,
          day,
          stars: repo.stars,
          forks: repo.forks,
          open_issues: repo.openIssues,
        })),
      )
      .onConflict((conflict) =>
        conflict
          .columns(['full_name', 'day'])
          .doUpdateSet({
            stars: sql`excluded.stars`,
            forks: sql`excluded.forks`,
            open_issues: sql`excluded.open_issues`,
            recorded_at: sql`now()`,
          })
          .where(
            sql<boolean>`(excluded.stars, excluded.forks, excluded.open_issues) is distinct from
            (repo_snapshots.stars, repo_snapshots.forks, repo_snapshots.open_issues)`,
          ),
      )
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}
