import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { historyConfig } from '../../config/history.config';
import { ProfileService } from '../../github/profiles/profile.service';
import { RepoListService } from '../../github/repositories/repo-list.service';
import { RateLimitGovernor } from '../../github/upstream/rate-limit-governor';
import { MetricsService } from '../../metrics/metrics.service';
import { addDays, Clock } from '../clock';
import { HistoryDatabase } from '../storage/history-database';
import { WatchList } from './watch-list';

const LEASE = 'history-refresher';
const REPOS_PER_PAGE = 100;

export interface RefreshRound {
  ran: boolean;
  refreshed: number;
  failed: number;
  skipped: number;
  pruned: number;
}

/**
 * Keeps watched accounts (viewed within HISTORY_WATCH_DAYS) snapshotted daily when nobody looks:
 * every HISTORY_REFRESH_INTERVAL_SECONDS, the replica that takes the lease in the database
 * reloads each watched account not yet recorded today (a profile and its list, revalidated, so an
 * unchanged page costs a free 304), spending only budget above the governor's reserve, then prunes
 * snapshots past HISTORY_RETENTION_DAYS. The snapshots themselves are written by the recorder,
 * which hears the fresh data like any other.
 */
@Injectable()
export class HistoryRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryRefresher.name);
  private readonly holder = randomUUID();
  private timer?: NodeJS.Timeout;
  private running?: Promise<RefreshRound>;

  constructor(
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
    private readonly database: HistoryDatabase,
    private readonly profiles: ProfileService,
    private readonly repoLists: RepoListService,
    private readonly governor: RateLimitGovernor,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly watchList: WatchList,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.enabled) {
      return;
    }
    this.timer = setInterval(() => {
      void this.runOnce();
    }, this.config.refreshIntervalSeconds * 1000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round, unless one is running in this process already. */
  runOnce(): Promise<RefreshRound> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<RefreshRound> {
    const round: RefreshRound = { ran: false, refreshed: 0, failed: 0, skipped: 0, pruned: 0 };
    try {
      if (!(await this.takeLease())) {
        this.metrics.recordRefresherRound('skipped');
        return round;
      }
      round.ran = true;
      const today = this.clock.today();
      await this.refreshWatched(today, round);
      round.pruned = await this.prune(today);
      this.metrics.recordRefresherRound('ran');
      this.logger.log(round, 'History refresher round');
    } catch (error) {
      this.metrics.recordRefresherRound('failed');
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'History refresher round failed',
      );
    }
    return round;
  }

  private async refreshWatched(today: string, round: RefreshRound): Promise<void> {
    if (this.config.watchDays === 0) {
      return;
    }
    const accounts = await this.watchList.watched(today);
    for (const [index, account] of accounts.entries()) {
      const known = await this.profiles.lastKnownProfile(account.login);
      const pages = 1 + Math.ceil((known?.publicRepos ?? 0) / REPOS_PER_PAGE);
      if (!this.affords(pages)) {
        // Whatever is left waits for the next round (or a visitor).
        round.skipped += accounts.length - index;
        for (let i = index; i < accounts.length; i++) {
          this.metrics.recordRefresherAccount('skipped_budget');
        }
        return;
      }
      try {
        await this.profiles.getProfile(account.login, { revalidate: true });
        await this.repoLists.ownerRepos(account, { revalidate: true });
        round.refreshed++;
        this.metrics.recordRefresherAccount('refreshed');
      } catch (error) {
        round.failed++;
        this.metrics.recordRefresherAccount('failed');
        this.logger.debug(
          { login: account.login, error: error instanceof Error ? error.message : String(error) },
          'Refresher could not reload an account',
        );
      }
    }
  }

  /** Only budget above the governor's reserve: a visitor's request always comes first. */
  private affords(pages: number): boolean {
    if (!this.governor.hasBudget()) {
      return false;
    }
    try {
      this.governor.admitFanOut(pages);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A lease row in the database, taken when free or expired and kept for one interval: one
   * replica runs a round per interval, whichever it is; a replica that dies frees it by expiry.
   */
  private async takeLease(): Promise<boolean> {
    const seconds = this.config.refreshIntervalSeconds;
    const taken = await this.database.run((db) =>
      db
        .insertInto('history_leases')
        .values({
          name: LEASE,
          holder: this.holder,
          expires_at: sql<Date>`now() + make_interval(secs => ${seconds})`,
        })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ holder: sql`excluded.holder`, expires_at: sql`excluded.expires_at` })
            .where('history_leases.expires_at', '<=', sql<Date>`now()`),
        )
        .returning('holder')
        .execute(),
    );
    return taken.length === 1;
  }

  private async prune(today: string): Promise<number> {
    const cutoff = addDays(today, -this.config.retentionDays);
    const [accounts, repos] = await this.database.run((db) =>
      Promise.all([
        db.deleteFrom('account_snapshots').where('day', '<', cutoff).executeTakeFirst(),
        db.deleteFrom('repo_snapshots').where('day', '<', cutoff).executeTakeFirst(),
      ]),
    );
    const pruned = Number(accounts.numDeletedRows) + Number(repos.numDeletedRows);
    if (pruned > 0) {
      this.metrics.recordSnapshotsPruned(pruned);
    }
    return pruned;
  }
}
