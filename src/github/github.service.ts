import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CacheStore } from '../cache/cache-store';
import { MemoryBudget } from '../cache/memory-budget';
import { MetricsService } from '../metrics/metrics.service';
import { CachedResult, ResultCache } from './cache/result-cache';
import { RepoList } from './repo-list';
import { listingHeapBytes, listRepos, RepoListingOptions, RepoListingPage } from './repo-listing';
import { RepoOwner, RepoPagesFetcher } from './repo-pages.fetcher';

export type { RepoOwner } from './repo-pages.fetcher';

export interface FreshnessRequest {
  /** The caller asked to revalidate now (`Cache-Control: no-cache`) rather than take cached data. */
  revalidate?: boolean;
}

/** A cut page of an account's list, and how much of the account the list covers. */
export interface RepoListingResult extends RepoListingPage {
  complete: boolean;
  publicRepos: number | null;
  coverage: string;
}

export type RepoListing = Omit<CachedResult<RepoList>, 'data'> & { listing: RepoListingResult };

/** A listing page holds references to stored repositories, not copies: slots and a header each. */

/** Repository lists: complete (or capped) from GitHub or the cache, then filtered, sorted and cut. */
@Injectable()
export class GithubService {
  /** Sorted, cut pages of recent lists; sorting thousands of repositories per request would dominate a hit. */
  private readonly listings: LRUCache<string, RepoListingResult>;

  constructor(
    private readonly pages: RepoPagesFetcher,
    private readonly results: ResultCache,
    store: CacheStore,
    budget: MemoryBudget,
    metrics: MetricsService,
  ) {
    this.listings = budget.create<string, RepoListingResult>('listings', {
      sizeOf: listingHeapBytes,
    });
    metrics.observeCachedRepos(() => {
      let repos = 0;
      for (const value of store.memoryValues()) {
        const data = (value as { data?: unknown } | undefined)?.data;
        repos += data instanceof RepoList ? data.repos.length : 0;
      }
      return repos;
    });
  }

  async listRepos(
    owner: RepoOwner,
    options: RepoListingOptions,
    freshness: FreshnessRequest = {},
  ): Promise<RepoListing> {
    const { data, ...meta } = await this.ownerRepos(owner, freshness);
    // Keyed by the data's fetch time: a refresh makes a new listing object, never an edited one.
    const key = `${owner.kind}:${owner.login.toLowerCase()}@${meta.fetchedAt}?${JSON.stringify(options)}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = {
        ...listRepos(data.repos, options),
        complete: data.complete,
        publicRepos: data.publicRepos,
        coverage: data.coverage,
      };
      this.listings.set(key, listing);
    }
    return { ...meta, listing };
  }

  /** Every public repository of an account (up to the configured ceiling), from the cache or GitHub. */
  ownerRepos(owner: RepoOwner, freshness: FreshnessRequest = {}): Promise<CachedResult<RepoList>> {
    const key = `gh:repos:${owner.kind}:${encodeURIComponent(owner.login.toLowerCase())}`;
    return this.results.get(
      key,
      async (previous) => {
        const fetched = await this.pages.fetch(owner, previous);
        return { data: fetched.list, notModified: fetched.notModified };
      },
      { ...freshness, decode: (raw) => RepoList.fromJSON(raw) },
    );
  }
}
