import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CacheStore } from '../../cache/cache-store';
import type { AnswerBody } from '../../cache/http/cached-answer';
import { MemoryBudget } from '../../cache/memory-budget';
import { onEveryServe } from '../../cache/request-record';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { MetricsService } from '../../metrics/metrics.service';
import { AccountFreshData } from '../accounts/account-fresh-data';
import { GithubResultCache } from '../upstream/github-result-cache';
import { RepoOwner } from '../accounts/repo-owner';
import { AccountReposFetcher } from './account-repos.fetcher';
import { ListReposQuery, toListingOptions } from './dto/list-repos.query';
import { RepoListResponse } from './dto/repo.response';
import { RepoListingOptions } from './dto/repo-listing-options';
import { listingHeapBytes, listRepos, RepoListingPage } from './repo-listing';
import { StoredRepoList } from '../accounts/stored-repo-list';

/** A cut page of an account's list, and how much of the account the list covers. */
export interface RepoListingResult extends RepoListingPage {
  complete: boolean;
  publicRepos: number | null;
  coverage: string;
}

/** The body of both list routes: one page of an account's list. */
export type RepoListPage = AnswerBody<RepoListResponse>;

/** Repository lists: complete (or capped) from GitHub or the cache, then filtered, sorted and cut. */
@Injectable()
export class RepoListService {
  /** Sorted, cut pages of recent lists; sorting thousands of repositories per request would dominate a hit. */
  private readonly listings: LRUCache<string, RepoListingResult>;
  /** The body made of each listing, dropped with it. */
  private readonly pagesOfListings = new WeakMap<RepoListingResult, RepoListPage>();

  constructor(
    private readonly pages: AccountReposFetcher,
    private readonly results: GithubResultCache,
    store: CacheStore,
    budget: MemoryBudget,
    metrics: MetricsService,
    private readonly fresh: AccountFreshData,
  ) {
    this.listings = budget.create<string, RepoListingResult>('listings', {
      sizeOf: listingHeapBytes,
    });
    metrics.observeCachedRepos(() => {
      let repos = 0;
      for (const value of store.memoryValues()) {
        const data = (value as { data?: unknown } | undefined)?.data;
        repos += data instanceof StoredRepoList ? data.repos.length : 0;
      }
      return repos;
    });
  }

  /**
   * One page of an account's list as both list routes answer it (user and organisation); the
   * account is worth watching, on every answer (edge hits too). The body of one listing is made
   * once, so that its identity, like the listing's, keys its encoded representation.
   */
  async viewPage(
    owner: RepoOwner,
    query: ListReposQuery,
    freshness: FreshnessRequest,
  ): Promise<CachedResult<RepoListPage>> {
    const result = await this.listing(owner, toListingOptions(query), freshness);
    onEveryServe(() => this.fresh.publish({ kind: 'viewed', owner }));
    const listing = result.data;
    let page = this.pagesOfListings.get(listing);
    if (!page) {
      page = {
        username: owner.login,
        total: listing.total,
        page: listing.page,
        perPage: listing.perPage,
        repos: listing.repos,
        complete: listing.complete,
        publicRepos: listing.publicRepos,
        coverage: listing.coverage,
      };
      this.pagesOfListings.set(listing, page);
    }
    return { ...result, data: page };
  }

  /** One filtered, sorted and cut page of an account's repositories. */
  async listing(
    owner: RepoOwner,
    options: RepoListingOptions,
    freshness: FreshnessRequest = {},
  ): Promise<CachedResult<RepoListingResult>> {
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
    return { ...meta, data: listing };
  }

  /** Every public repository of an account (up to the configured ceiling), from the cache or GitHub. */
  ownerRepos(
    owner: RepoOwner,
    freshness: FreshnessRequest = {},
  ): Promise<CachedResult<StoredRepoList>> {
    return this.results.get(
      repoListKey(owner),
      async (previous) => {
        const fetched = await this.pages.fetch(owner, previous);
        this.fresh.publish({ kind: 'repos', owner, list: fetched.list });
        return { data: fetched.list, notModified: fetched.notModified };
      },
      { ...freshness, decode: (raw) => StoredRepoList.fromJSON(raw) },
    );
  }

  /** The last list GitHub gave us for an account, however old, without asking GitHub again. */
  lastKnownRepos(owner: RepoOwner): Promise<StoredRepoList | undefined> {
    return this.results.lastKnown(repoListKey(owner), (raw) => StoredRepoList.fromJSON(raw));
  }
}

function repoListKey(owner: RepoOwner): string {
  return `gh:repos:${owner.kind}:${encodeURIComponent(owner.login.toLowerCase())}`;
}
