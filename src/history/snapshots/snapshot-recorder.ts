import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { historyConfig } from '../../config/history.config';
import { AccountEvent, AccountFreshData } from '../../github/accounts/account-fresh-data';
import { ownerOf, ProfileService } from '../../github/profiles/profile.service';
import type { Profile } from '../../github/accounts/profile.model';
import type { RepoOwner } from '../../github/accounts/repo-owner';
import { RepoListService } from '../../github/repositories/repo-list.service';
import type { Repo } from '../../github/accounts/repo.model';
import { Clock } from '../../common/clock';
import { WatchList } from '../storage/watch-list';
import { accountSnapshot } from '../storage/account-snapshot';
import { SnapshotWriter } from '../storage/snapshot-writer';

/**
 * Turns what the GitHub feature freshly learns into snapshots: a fresh profile or repository list
 * is written with the other half taken from the cache (never from GitHub), and every view marks
 * the account watched. Runs after the request that caused it, never inside it.
 */
@Injectable()
export class SnapshotRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SnapshotRecorder.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly fresh: AccountFreshData,
    private readonly profiles: ProfileService,
    private readonly repoLists: RepoListService,
    private readonly writer: SnapshotWriter,
    private readonly watchList: WatchList,
    private readonly clock: Clock,
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
  ) {}

  onModuleInit(): void {
    if (!this.config.enabled) {
      return;
    }
    this.unsubscribe = this.fresh.subscribe((event) => {
      void this.record(event).catch((error: unknown) =>
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'Could not record an account event',
        ),
      );
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private async record(event: AccountEvent): Promise<void> {
    switch (event.kind) {
      case 'profile':
        return this.snapshot(
          event.profile.login,
          event.profile,
          (await this.repoLists.lastKnownRepos(ownerOf(event.profile)))?.repos,
        );
      case 'repos':
        return this.snapshot(
          event.owner.login,
          await this.profiles.lastKnownProfile(event.owner.login),
          event.list.repos,
        );
      case 'viewed':
        return this.watchList.markViewed(event.owner);
    }
  }

  private snapshot(
    login: string,
    profile: Profile | undefined,
    repos: readonly Repo[] | undefined,
  ): void {
    // The day is taken now, when the data is fresh, not when the write happens to run.
    this.writer.enqueue(accountSnapshot(login, this.clock.today(), profile, repos));
  }
}

export type { RepoOwner };
