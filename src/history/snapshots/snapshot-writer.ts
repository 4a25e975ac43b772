import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { MetricsService } from '../../metrics/metrics.service';
import { HistoryDatabase } from '../storage/history-database';
import { HistoryTables } from '../storage/history-schema';
import { AccountSnapshot, RepoSnapshot } from './account-snapshot';

/** Rows per INSERT: 1,000 repositories × 5 values stays far below PostgreSQL's 65,535 parameters. */
export const REPO_BATCH_SIZE = 1_000;
/**
 * The embedded store runs inside this process, so each statement holds the event loop while it
 * runs: 1,000 rows took up to 150 ms under --liftoff-only, and a request arriving meanwhile waited.
 * 100-row statements with a turn of the event loop between them keep each pause to ~15 ms.
 */
export const EMBEDDED_REPO_BATCH_SIZE = 100;
/** Failed snapshots kept for a retry; past this the oldest is dropped (and counted). */
const MAX_PENDING = 500;
const RETRY_INTERVAL_MS = 15_000;

/**
 * Writes snapshots off the request path: callers enqueue and return at once; one write runs at a
 * time per process, and a later snapshot of the same account and day merges into a queued one.
 * Every write is an upsert, so replicas and repeated requests leave one row per day. A failed
 * write (the database is down) is logged, counted and kept for a retry.
 */
@Injectable()
export class SnapshotWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(SnapshotWriter.name);
  private readonly queued = new Map<string, AccountSnapshot>();
  private readonly pending = new Map<string, AccountSnapshot>();
  private draining?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly database: HistoryDatabase,
    private readonly metrics: MetricsService,
  ) {}

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
      const startedAt = performance.now();
      try {
        const batchSize =
          this.database.backend === 'embedded' ? EMBEDDED_REPO_BATCH_SIZE : REPO_BATCH_SIZE;
        await this.database.run((db) => writeSnapshot(db, snapshot, batchSize));
        this.metrics.recordSnapshotWrite('written', (performance.now() - startedAt) / 1000);
      } catch (error) {
        this.keepForRetry(key, snapshot, error);
      }
    }
  }

  private keepForRetry(key: string, snapshot: AccountSnapshot, error: unknown): void {
    this.metrics.recordSnapshotWrite('failed');
    this.logger.warn(
      {
        login: snapshot.login,
        day: snapshot.day,
        error: error instanceof Error ? error.message : String(error),
      },
      'Snapshot write failed; kept for a retry',
    );
    this.pending.set(key, snapshot);
    if (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
      this.metrics.recordSnapshotWrite('dropped');
    }
    this.metrics.recordSnapshotsPending(this.pending.size);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.retryNow();
    }, RETRY_INTERVAL_MS).unref();
  }
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

/** Upserts one account's row and its repositories' rows, the repositories in batches. */
export async function writeSnapshot(
  db: Kysely<HistoryTables>,
  snapshot: AccountSnapshot,
  batchSize = REPO_BATCH_SIZE,
): Promise<void> {
  const { profile, totals } = snapshot;
  await db
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
      conflict.columns(['login', 'day']).doUpdateSet({
        // A half missing from this snapshot keeps what an earlier one of the day recorded.
        followers: sql`coalesce(excluded.followers, account_snapshots.followers)`,
        following: sql`coalesce(excluded.following, account_snapshots.following)`,
        public_repos: sql`coalesce(excluded.public_repos, account_snapshots.public_repos)`,
        stars: sql`coalesce(excluded.stars, account_snapshots.stars)`,
        forks: sql`coalesce(excluded.forks, account_snapshots.forks)`,
        recorded_at: sql`now()`,
      }),
    )
    .execute();
  await writeRepoSnapshots(db, snapshot.day, snapshot.repos, batchSize);
}

export async function writeRepoSnapshots(
  db: Kysely<HistoryTables>,
  day: string,
  repos: readonly RepoSnapshot[],
  batchSize = REPO_BATCH_SIZE,
): Promise<void> {
  // One row per repository and day: a list holding the same repository twice must not make the
  // upsert touch one row twice (PostgreSQL refuses that within one statement).
  const unique = [...new Map(repos.map((repo) => [repo.fullName, repo])).values()];
  for (let start = 0; start < unique.length; start += batchSize) {
    if (start > 0) {
      // Requests that arrived during the last statement go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await db
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
        conflict.columns(['full_name', 'day']).doUpdateSet({
          stars: sql`excluded.stars`,
          forks: sql`excluded.forks`,
          open_issues: sql`excluded.open_issues`,
          recorded_at: sql`now()`,
        }),
      )
      .execute();
  }
}
