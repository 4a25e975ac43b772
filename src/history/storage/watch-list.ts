import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { Kysely, sql } from 'kysely';
import { historyConfig } from '../../config/history.config';
import type { RepoOwner } from '../../github/accounts/repo-owner';
import { HistoryDatabase } from './history-database';
import { HistoryTables } from './history-schema';

/** A view is written at most this often per account: a busy dashboard must not write per request. */
const MARK_EVERY_MS = 60 * 60 * 1000;
/**
 * Views kept while the database cannot take them (starting, or down): one small entry per
 * account, so a few thousand cost a few hundred kilobytes; past this the oldest is dropped.
 */
export const MAX_WAITING_VIEWS = 5_000;
/** The advisory lock that serialises writes of the watch list across replicas (any constant). */
const WATCH_LIST_LOCK = 7_024_301;
/** Views per INSERT when the waiting ones are written: 3 parameters each, far below 65,535. */
const FLUSH_BATCH = 1_000;

export interface WatchedAccount {
  login: string;
  kind: 'user' | 'org';
  /** The last day with a snapshot (either half); null when never. */
  lastSnapshotDay: string | null;
}

interface View {
  kind: 'user' | 'org';
  at: Date;
}

/**
 * Accounts someone looked at recently: the refresher keeps their history going. Bounded three
 * ways: at most HISTORY_MAX_WATCHED rows (the least viewed go), none unviewed for longer than
 * HISTORY_WATCH_DAYS (`prune`), and reads of at most what the caller can use (`watched`).
 */
@Injectable()
export class WatchList implements OnApplicationBootstrap {
  private readonly logger = new Logger(WatchList.name);
  private readonly marked = new LRUCache<string, number>({ max: 10_000 });
  private readonly waiting = new Map<string, View>();

  constructor(
    private readonly database: HistoryDatabase,
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
  ) {}

  onApplicationBootstrap(): void {
    // Views seen while the store was being created are written as soon as it is.
    void this.database.whenReady().then(() => this.flushIfUp());
  }

  /** How many views wait for the database. */
  get waitingCount(): number {
    return this.waiting.size;
  }

  async markViewed(owner: RepoOwner): Promise<void> {
    const login = owner.login.toLowerCase();
    const last = this.marked.get(login);
    if (this.config.watchDays === 0 || (last !== undefined && Date.now() - last < MARK_EVERY_MS)) {
      return;
    }
    this.marked.set(login, Date.now());
    const view: View = { kind: owner.kind, at: new Date() };
    try {
      await this.database.run((db) => this.write(db, new Map([[login, view]]), login));
    } catch (error) {
      // Kept, not lost: written with the next ones once the database answers.
      this.keep(login, view);
      throw error;
    }
    await this.flushIfUp();
  }

  /** Writes the views kept while the database was unavailable; they stay kept if it still is. */
  async flush(): Promise<void> {
    if (this.waiting.size === 0) {
      return;
    }
    const views = new Map(this.waiting);
    this.waiting.clear();
    try {
      await this.database.run((db) => this.write(db, views));
      this.logger.log({ views: views.size }, 'Wrote the views kept while history was unavailable');
    } catch (error) {
      views.forEach((view, login) => this.keep(login, view));
      throw error;
    }
  }

  /** Forgets accounts nobody viewed within HISTORY_WATCH_DAYS; answers how many went. */
  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.config.watchDays * 86_400_000);
    const result = await this.database.run((db) =>
      db.deleteFrom('watched_accounts').where('last_viewed_at', '<', before).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  /**
   * At most `limit` accounts viewed within HISTORY_WATCH_DAYS and not yet fully recorded today,
   * the longest without a snapshot first (never recorded before all), so that a budget too small
   * for everyone still reaches everyone in turn; among equals the most viewed first. Any row
   * counts as a snapshot for the order, a half one too: an account first viewed today has today's
   * row from that view and waits behind those last recorded earlier (else a stream of new names,
   * each viewed once, would always go first), while it stays due until its row is complete.
   */
  async watched(today: string, limit: number): Promise<WatchedAccount[]> {
    if (limit <= 0) {
      return [];
    }
    const since = new Date(Date.now() - this.config.watchDays * 86_400_000);
    // The newest day per account: a backward scan of the (login, day) key that stops at the
    // first row, rather than a max() over every day kept.
    const rows = await this.database.run((db) =>
      sql<{ login: string; kind: 'user' | 'org'; last_day: string | null }>`
        select login, kind, to_char(last_day, 'YYYY-MM-DD') as last_day
        from (
          select w.login, w.kind, w.views,
            (select s.day from account_snapshots s
              where s.login = w.login order by s.day desc limit 1) as last_day
          from watched_accounts w
          where w.last_viewed_at >= ${since}
            and not exists (
              select 1 from account_snapshots t
              where t.login = w.login and t.day = ${today}::date
                and t.stars is not null and t.followers is not null)
        ) as candidates
        order by last_day asc nulls first, views desc, login
        limit ${limit}
      `.execute(db),
    );
    return rows.rows.map((row) => ({
      login: row.login,
      kind: row.kind,
      lastSnapshotDay: row.last_day,
    }));
  }

  private async flushIfUp(): Promise<void> {
    if (this.database.state === 'up' && this.waiting.size > 0) {
      await this.flush().catch((error: unknown) =>
        this.logger.debug({ error: String(error) }, 'Kept views still wait for the database'),
      );
    }
  }

  private keep(login: string, view: View): void {
    const earlier = this.waiting.get(login);
    this.waiting.delete(login);
    this.waiting.set(login, earlier && earlier.at > view.at ? earlier : view);
    if (this.waiting.size > MAX_WAITING_VIEWS) {
      const oldest = this.waiting.keys().next().value as string;
      this.waiting.delete(oldest);
      this.logger.warn(
        { login: oldest, kept: MAX_WAITING_VIEWS },
        'Too many views wait for the history database; dropped the oldest',
      );
    }
  }

  /**
   * Counts each view and then applies the cap. Eviction takes the fewest views, then the oldest
   * view: one-off names (a crawler, or someone minting logins to fill the list) go before the
   * accounts people come back to, which a most-recent-first rule would evict instead. `keep` (the
   * account just viewed) is never the one evicted, so a new account stays until a newer one
   * arrives, however many views the others have.
   */
  /**
   * The insert and the eviction in one transaction, under one lock for every replica: never more
   * than HISTORY_MAX_WATCHED rows are seen, even while writers race (the reliability suite saw
   * 22 rows of a cap of 20 when they were two statements).
   */
  private write(
    db: Kysely<HistoryTables>,
    views: ReadonlyMap<string, View>,
    keep?: string,
  ): Promise<void> {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${WATCH_LIST_LOCK})`.execute(trx);
      await this.writeLocked(trx, views, keep);
    });
  }

  private async writeLocked(
    db: Kysely<HistoryTables>,
    views: ReadonlyMap<string, View>,
    keep?: string,
  ): Promise<void> {
    const entries = [...views.entries()];
    for (let start = 0; start < entries.length; start += FLUSH_BATCH) {
      await db
        .insertInto('watched_accounts')
        .values(
          entries
            .slice(start, start + FLUSH_BATCH)
            .map(([login, view]) => ({ login, kind: view.kind, last_viewed_at: view.at })),
        )
        .onConflict((conflict) =>
          conflict.column('login').doUpdateSet({
            last_viewed_at: sql`greatest(watched_accounts.last_viewed_at, excluded.last_viewed_at)`,
            views: sql`watched_accounts.views + 1`,
          }),
        )
        .execute();
    }
    await db
      .deleteFrom('watched_accounts')
      .where('login', 'in', (eb) =>
        eb
          .selectFrom('watched_accounts')
          .select('login')
          .where('login', '!=', keep ?? '')
          // The ones kept first; everything past the cap goes.
          .orderBy('views', 'desc')
          .orderBy('last_viewed_at', 'desc')
          .orderBy('login', 'desc')
          .offset(keep === undefined ? this.config.maxWatched : this.config.maxWatched - 1),
      )
      .execute();
  }
}
