import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore, Decode } from '../../cache/cache-store';
import { DistributedLock } from '../../cache/distributed-lock';
import { LoadFailures, ResultCache } from '../../cache/result-cache';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { ClientUpstreamBudgetError } from '../../throttling/upstream-budget/client-upstream-budget.error';
import { GithubError, GithubNotFoundError } from '../api/github-errors';

/**
 * GitHub's failures as the result cache reads them: a 404 is an answer (remembered briefly, never
 * covered by stale data); any other GitHub failure (rate limit, 5xx, timeout) lets the last good
 * value be served instead of an error, and so may a client's spent share of the budget.
 */
export const GITHUB_LOAD_FAILURES: LoadFailures = {
  isNotFound: (error) => error instanceof GithubNotFoundError,
  notFound: () => new GithubNotFoundError('GitHub has no such user or resource'),
  // A client past its share of the budget still gets what is cached, however old.
  canServeStale: (error) =>
    error instanceof GithubError || error instanceof ClientUpstreamBudgetError,
};

/** The result cache of every GitHub-backed route. */
@Injectable()
export class GithubResultCache extends ResultCache {
  constructor(
    private readonly cacheStore: CacheStore,
    locks: DistributedLock,
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    metrics: MetricsService,
  ) {
    super(cacheStore, locks, config, metrics, GITHUB_LOAD_FAILURES);
  }

  /**
   * The last good value of a key, whatever its age, without asking GitHub (undefined when none):
   * for work off the request path that may use what is known but must not spend budget.
   */
  async lastKnown<T>(key: string, decode?: Decode<T>): Promise<T | undefined> {
    const entry = await this.cacheStore
      .get<{ data?: T }>(key, (raw) => {
        const stored = raw as { data?: unknown; notFound?: true } | null;
        return stored && 'data' in stored && !stored.notFound
          ? { data: decode ? decode(stored.data) : (stored.data as T) }
          : {};
      })
      .catch(() => undefined);
    return entry?.data;
  }
}
