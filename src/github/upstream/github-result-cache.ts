import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { DistributedLock } from '../../cache/distributed-lock';
import { LoadFailures, ResultCache } from '../../cache/result-cache';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { GithubError, GithubNotFoundError } from './github-errors';

/**
 * GitHub's failures as the result cache reads them: a 404 is an answer (remembered briefly, never
 * covered by stale data); any other GitHub failure (rate limit, 5xx, timeout) lets the last good
 * value be served instead of an error.
 */
export const GITHUB_LOAD_FAILURES: LoadFailures = {
  isNotFound: (error) => error instanceof GithubNotFoundError,
  notFound: () => new GithubNotFoundError('GitHub has no such user or resource'),
  canServeStale: (error) => error instanceof GithubError,
};

/** The result cache of every GitHub-backed route. */
@Injectable()
export class GithubResultCache extends ResultCache {
  constructor(
    store: CacheStore,
    locks: DistributedLock,
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    metrics: MetricsService,
  ) {
    super(store, locks, config, metrics, GITHUB_LOAD_FAILURES);
  }
}
