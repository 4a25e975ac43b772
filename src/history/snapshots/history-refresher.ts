import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { historyConfig } from '../../config/history.config';
import { ProfileService } from '../../github/profiles/profile.service';
import { RepoListService } from '../../github/repositories/repo-list.service';
import { RateLimitGovernor } from '../../github/upstream/rate-limit-governor';
import { MetricsService } from '../../metrics/metrics.service';
import { addDays, Clock } from '../../common/clock';
import { HistoryDatabase } from '../storage/history-database';
import { DatabaseLease } from '../storage/database-lease';
import { refreshAllowance, refreshCost } from './refresh-allowance';
import { WatchList } from '../storage/watch-list';

const LEASE = 'history-refresher';

export interface RefreshRound {
  ran: boolean;
  refreshed: number;
  failed: number;
  skipped: number;
  /** Snapshots past HISTORY_RETENTION_DAYS deleted. */
  pruned: number;
  /** Watched accounts nobody viewed within HISTORY_WATCH_DAYS, forgotten. */
  unwatched: number;
  /** GitHub requests this round could plan: its share of the spare budget. */
  allowance: number;
  /** GitHub requests planned (an upper bound: unchanged pages come back as free 304s). */
  planned: number;
  /** True when another replica took the lease during the round, which then stopped. */
  leaseLost: boolean;
}

/**
 * Keeps watched accounts (viewed within HISTORY_WATCH_DAYS) snapshotted daily when nobody looks:
 * every HISTORY_REFRESH_INTERVAL_SECONDS, the replica that takes the lease in the database prunes
 * old snapshots and unviewed accounts, then reloads watched accounts not yet recorded today (a
 * profile and its list, revalidated, so an unchanged page costs a free 304), the longest without
 * a snapshot first. It is a guest: it plans at most HISTORY_REFRESH_SHARE of the budget left
 * above the governor's reserve, and reads only as many accounts as that can pay for. The
 * snapshots themselves are written by the recorder, which hears the fresh data like any other.
 */
@Injectable()
export class HistoryRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryRefresher.name);
  private readonly lease: DatabaseLease;
  private timer?: NodeJS.Timeout;
  private running?: Promise<RefreshRound>;
  /** Requests planned in the current rate-limit window (keyed by its earliest reset). */
  private window = { reset: -1, planned: 0 };

  constructor(
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
    private readonly database: HistoryDatabase,
    private readonly profiles: ProfileService,
    private readonly repoLists: RepoListService,
    private readonly governor: RateLimitGovernor,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
    private readonly watchList: WatchList,
  ) {
    this.lease = new DatabaseLease(database, LEASE, config.refreshIntervalSeconds);
  }

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
    const round: RefreshRound = {
      ran: false,
      refreshed: 0,
      failed: 0,
      skipped: 0,
      pruned: 0,
      unwatched: 0,
      allowance: 0,
      planned: 0,
      leaseLost: false,
    };
    try {
      // Views kept while the database was away count before the round picks its accounts.
      await this.watchList.flush();
      if (!(await this.lease.take())) {
        this.metrics.recordRefresherRound('skipped');
        return round;
      }
      round.ran = true;
      const today = this.clock.today();
      round.pruned = await this.prune(today);
      round.unwatched = await this.watchList.prune();
      await this.refreshWatched(today, round);
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
    round.allowance = this.allowance();
    // Every account costs one request at least: the share bounds the read as well.
    const accounts = await this.watchList.watched(today, round.allowance);
    for (const [index, account] of accounts.entries()) {
      const known = await this.profiles.lastKnownProfile(account.login);
      const pages = refreshCost(known?.publicRepos);
      if (round.planned + pages > round.allowance || !this.affords(pages)) {
        // Whatever is left waits for the next round (or a visitor), still first in line then.
        this.skip(round, accounts.length - index);
        return;
      }
      // A round may outlast the lease's interval: renewed before each account, and stopped the
      // moment another replica turns out to hold it.
      if (!(await this.lease.renew())) {
        round.leaseLost = true;
        this.skip(round, accounts.length - index);
        this.logger.warn('History refresher lost its lease; round stopped');
        return;
      }
      round.planned += pages;
      this.window.planned += pages;
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

  /** This round's share of the budget above the reserve, less what this window planned already. */
  private allowance(): number {
    const budgets = this.governor.budgets();
    const reset = Math.min(...budgets.map((budget) => budget.reset));
    if (reset !== this.window.reset) {
      this.window = { reset, planned: 0 };
    }
    return refreshAllowance(
      this.governor.spareBudget(),
      this.config.refreshShare,
      this.window.planned,
    );
  }

  private skip(round: RefreshRound, count: number): void {
    round.skipped += count;
    for (let i = 0; i < count; i++) {
      this.metrics.recordRefresherAccount('skipped_budget');
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
