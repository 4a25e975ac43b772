import { CacheableMemory } from '@cacheable/memory';
import { Injectable } from '@nestjs/common';
import { CachedResult, ResultCache } from './cache/result-cache';
import { listRepos, RepoListingOptions, RepoListingPage } from './repo-listing';
import { Repo } from './repo.model';
import { GITHUB_PAGE_SIZE, RepoPagesFetcher } from './repo-pages.fetcher';

export interface FreshnessRequest {
  /** The caller asked to revalidate now (`Cache-Control: no-cache`) rather than take cached data. */
  revalidate?: boolean;
}

/** Whose repositories: a user's own, or an organisation's public ones. */
export interface RepoOwner {
  kind: 'user' | 'org';
  login: string;
}

export type RepoListing = Omit<CachedResult<Repo[]>, 'data'> & { listing: RepoListingPage };

/** Sorted, cut pages of recent lists; sorting thousands of repositories per request would dominate a hit. */
const LISTING_MEMO_SIZE = 1000;

/** Repository lists: complete from GitHub or the cache, then filtered, sorted and cut. */
@Injectable()
export class GithubService {
  private readonly listings = new CacheableMemory({
    lruSize: LISTING_MEMO_SIZE,
    useClone: false,
    storeHashSize: 1,
  });

  constructor(
    private readonly pages: RepoPagesFetcher,
    private readonly results: ResultCache,
  ) {}

  async listRepos(
    owner: RepoOwner,
    options: RepoListingOptions,
    freshness: FreshnessRequest = {},
  ): Promise<RepoListing> {
    const { data, ...meta } = await this.ownerRepos(owner, freshness);
    // Keyed by the data's fetch time: a refresh makes a new listing object, never an edited one.
    const key = `${owner.kind}:${owner.login.toLowerCase()}@${meta.fetchedAt}?${JSON.stringify(options)}`;
    let listing = this.listings.get<RepoListingPage>(key);
    if (!listing) {
      listing = listRepos(data, options);
      this.listings.set(key, listing);
    }
    return { ...meta, listing };
  }

  /** Every public repository of an account, complete, from the cache or GitHub. */
  ownerRepos(owner: RepoOwner, freshness: FreshnessRequest = {}): Promise<CachedResult<Repo[]>> {
    // Logins are case-insensitive: one cache entry per account, however it is spelled.
    const login = encodeURIComponent(owner.login.toLowerCase());
    const firstPage =
      owner.kind === 'user'
        ? `/users/${login}/repos?per_page=${GITHUB_PAGE_SIZE}&type=owner`
        : `/orgs/${login}/repos?per_page=${GITHUB_PAGE_SIZE}&type=public`;
    return this.results.get(
      `gh:repos:${owner.kind}:${login}`,
      async () => {
        const all = await this.pages.fetchAll(firstPage);
        return { data: all.repos, notModified: all.notModified };
      },
      freshness,
    );
  }
}
