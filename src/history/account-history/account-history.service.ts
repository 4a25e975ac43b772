import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { sql } from 'kysely';
import { keepOffTheEdge } from '../../cache/request-record';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { historyConfig } from '../../config/history.config';
import { ownerOf, ProfileService } from '../../github/profiles/profile.service';
import { Clock } from '../../common/clock';
import { HistoryResultCache } from '../answers/history-result-cache';
import { SnapshotWriter } from '../storage/snapshot-writer';
import { WatchList } from '../storage/watch-list';
import { HistoryDatabase } from '../storage/history-database';
import { AccountHistory, AccountHistoryPoint } from './account-history.model';
import { AccountHistoryQuery, dayRange } from './account-history.query';

/** How long a history read waits for this process's queued snapshot writes. */
const SNAPSHOT_WAIT_MS = 2_000;
/**
 * How long a history read waits for a store still being created (the embedded one takes seconds
 * on a first start): the first visitor gets the day the visit recorded rather than a 503.
 */
const STARTING_WAIT_MS = 5_000;

/** An account's recorded snapshots over a range of days. */
@Injectable()
export class AccountHistoryService {
  private readonly logger = new Logger(AccountHistoryService.name);

  constructor(
    private readonly profiles: ProfileService,
    private readonly database: HistoryDatabase,
    private readonly results: HistoryResultCache,
    private readonly watchList: WatchList,
    private readonly clock: Clock,
    private readonly writer: SnapshotWriter,
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
  ) {}

  async view(
    username: string,
    query: AccountHistoryQuery,
    freshness: FreshnessRequest,
  ): Promise<CachedResult<AccountHistory>> {
    // Never answered at the edge: whether the cached history may be served depends on the
    // database's state and on snapshots still waiting to be written at the time of each request
    // (see `complete`), and viewing the account is recorded in the database each time.
    keepOffTheEdge();
    // An unknown account is GitHub's 404 (the profile is cached like any other).
    const profile = await this.profiles.getProfile(username);
    const owner = ownerOf(profile.data);
    this.watchList
      .markViewed(owner)
      .catch((error: unknown) =>
        this.logger.debug({ error: String(error) }, 'Could not mark the account watched'),
      );
    const { from, to } = dayRange(query, this.clock.today(), this.config.retentionDays);
    const login = profile.data.login;
    await this.startedWithin(STARTING_WAIT_MS);
    // The page asks for history right after the summary that recorded today's snapshot.
    await this.writer.settledWithin(SNAPSHOT_WAIT_MS);
    const result = this.complete(login)
      ? await this.results.get<AccountHistory>(
          `history:account:${encodeURIComponent(login.toLowerCase())}:${from}:${to}`,
          async (previous) => {
            const history = await this.read(login, from, to);
            return {
              data: history,
              notModified:
                previous !== undefined && JSON.stringify(previous) === JSON.stringify(history),
            };
          },
          freshness,
        )
      : await this.uncached(login, from, to);
    return result;
  }

  /**
   * Whether the database holds everything this process knows of the account: not while it is
   * starting or failing, nor while a snapshot of it still waits to be written. An answer read
   * otherwise would lack that snapshot, and cached it would hide it for CACHE_TTL_SECONDS.
   */
  private complete(login: string): boolean {
    return this.database.state === 'up' && !this.writer.hasUnwritten(login);
  }

  /** Read now and not cached (or a 503 when the database cannot answer at all). */
  private async uncached(
    login: string,
    from: string,
    to: string,
  ): Promise<CachedResult<AccountHistory>> {
    const data = await this.read(login, from, to);
    return { data, fetchedAt: Date.now(), status: 'MISS' };
  }

  private async startedWithin(ms: number): Promise<void> {
    if (this.database.state !== 'starting') {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.database.whenReady(),
      new Promise((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
    // Snapshots kept while it started are being written now: the read waits for them below.
  }

  read(login: string, from: string, to: string): Promise<AccountHistory> {
    const key = login.toLowerCase();
    return this.database.run(async (db) => {
      const rows = await db
        .selectFrom('account_snapshots')
        .select([
          sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'),
          'followers',
          'following',
          'public_repos',
          'stars',
          'forks',
        ])
        .where('login', '=', key)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .execute();
      const first = await db
        .selectFrom('account_snapshots')
        .select(sql<string>`to_char(min(day), 'YYYY-MM-DD')`.as('since'))
        .where('login', '=', key)
        .executeTakeFirst();
      return {
        login,
        since: first?.since ?? null,
        points: rows.map((row): AccountHistoryPoint => ({
          date: row.date,
          followers: row.followers,
          following: row.following,
          publicRepos: row.public_repos,
          stars: row.stars,
          forks: row.forks,
        })),
      };
    });
  }
}
