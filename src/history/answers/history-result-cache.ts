import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { DistributedLock } from '../../cache/distributed-lock';
import { LoadFailures, ResultCache } from '../../cache/result-cache';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';

/**
 * History's failures as the result cache reads them: nothing is a "not found" (the account check
 * is GitHub's), and a database failure is answered as one (503), never hidden by an older answer,
 * so an outage shows as what it is once the fresh window has passed.
 */
const HISTORY_LOAD_FAILURES: LoadFailures = {
  isNotFound: () => false,
  notFound: () => new Error('history has no "not found" answers'),
  canServeStale: () => false,
};

/** The result cache of the history routes: fresh for CACHE_TTL_SECONDS, shared through Redis. */
@Injectable()
export class HistoryResultCache extends ResultCache {
  constructor(
    store: CacheStore,
    locks: DistributedLock,
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    metrics: MetricsService,
  ) {
    super(store, locks, config, metrics, HISTORY_LOAD_FAILURES);
  }
}
