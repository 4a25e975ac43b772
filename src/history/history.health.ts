import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SnapshotWriter } from './storage/snapshot-writer';
import { WatchList } from './storage/watch-list';
import { HistoryDatabase } from './storage/history-database';

/**
 * Readiness of history. A database that is down (or still starting) is `degraded`, never `down`:
 * every route but the two history routes still serves, and taking replicas out of the load
 * balancer would turn a history outage into a full one (docs/history.md). `database` says
 * `starting` while the store is being created (the embedded one takes seconds on a first start)
 * and `down` once an attempt failed; `waiting` counts the views and snapshots kept in memory
 * meanwhile, written once it is up.
 */
@Injectable()
export class HistoryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: HistoryDatabase,
    private readonly writer: SnapshotWriter,
    private readonly watchList: WatchList,
  ) {}

  check() {
    const indicator = this.indicators.check('history');
    const { backend, state } = this.database;
    if (state === 'disabled') {
      return indicator.up({ enabled: false });
    }
    if (state === 'up') {
      return indicator.up({ backend, database: state });
    }
    return indicator.degraded({
      backend,
      database: state,
      waiting: { snapshots: this.writer.pendingCount, views: this.watchList.waitingCount },
    });
  }
}
