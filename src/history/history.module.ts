import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProfilesModule } from '../github/profiles/profiles.module';
import { RepositoriesModule } from '../github/repositories/repositories.module';
import { GithubUpstreamModule } from '../github/upstream/github-upstream.module';
import { AccountHistoryController } from './account-history/account-history.controller';
import { AccountHistoryService } from './account-history/account-history.service';
import { Clock } from '../common/clock';
import { HistoryHealthIndicator } from './history.health';
import { HistoryResultCache } from './answers/history-result-cache';
import { HistoryRefresher } from './snapshots/history-refresher';
import { SnapshotRecorder } from './snapshots/snapshot-recorder';
import { SnapshotWriter } from './storage/snapshot-writer';
import { WatchList } from './storage/watch-list';
import { StarHistoryController } from './star-history/star-history.controller';
import { StarEventWriter } from './storage/star-event-writer';
import { StarHistoryService } from './star-history/star-history.service';
import { StargazerHistoryPages } from './star-history/stargazer-history-pages';
import { StargazerPages } from './star-history/stargazer-pages';
import { HistoryDatabase } from './storage/history-database';
import { AccountFreshDataModule } from '../github/accounts/account-fresh-data.module';

/**
 * History: what GitHub does not keep. Daily snapshots of the accounts and repositories the
 * service sees (storage/, snapshots/), an account's growth (account-history/) and a repository's
 * star history (star-history/). It listens to the GitHub feature through AccountFreshData; the
 * GitHub feature never imports it.
 */
@Module({
  imports: [
    TerminusModule,
    AccountFreshDataModule,
    GithubUpstreamModule,
    ProfilesModule,
    RepositoriesModule,
  ],
  controllers: [AccountHistoryController, StarHistoryController],
  providers: [
    Clock,
    HistoryDatabase,
    HistoryResultCache,
    SnapshotWriter,
    SnapshotRecorder,
    WatchList,
    HistoryRefresher,
    AccountHistoryService,
    StarHistoryService,
    StarEventWriter,
    StargazerPages,
    StargazerHistoryPages,
    HistoryHealthIndicator,
  ],
  // The webhooks feature stores its deliveries here and writes star events through the writer.
  exports: [HistoryHealthIndicator, HistoryDatabase, StarEventWriter, Clock],
})
export class HistoryModule {}
