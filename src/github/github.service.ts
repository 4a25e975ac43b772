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

export type RepoListing = Omit<CachedResult<Repo[]>, 'data'> & { listing: RepoListingPage };

/** Sorted, cut pages of recent lists; sorting thousands of repositories per request would dominate a hit. */
const LISTING_MEMO_SIZE = 1000;

/** The logic behind the GitHub routes: what to fetch, through which cache, and how to shape it. */
@Injectable()
export class GithubService {
  private readonly listings = new CacheableMemory({ lruSize: LISTING_MEMO_SIZE });

  constructor(
    private readonly pages: RepoPagesFetcher,
    private readonly results: ResultCache,
  ) {}

  async listUserRepos(
    username: string,
    options: RepoListingOptions,
    freshness: FreshnessRequest = {},
  ): Promise<RepoListing> {
    const { data, ...meta } = await this.userRepos(username, freshness);
    // Keyed by the data's fetch time: a refresh makes a new listing object, never an edited one.
    const key = `${username.toLowerCase()}@${meta.fetchedAt}?${JSON.stringify(options)}`;
    let listing = this.listings.get<RepoListingPage>(key);
    if (!listing) {
      listing = listRepos(data, options);
      this.listings.set(key, listing);
    }
    return { ...meta, listing };
  }

  /** Every public repository of a user, complete, from the cache or GitHub. */
  userRepos(username: string, freshness: FreshnessRequest = {}): Promise<CachedResult<Repo[]>> {
    // Logins are case-insensitive: one cache entry per account, however it is spelled.
    const login = username.toLowerCase();
    return this.results.get(
      `gh:repos:user:${login}`,
      async () => {
        const all = await this.pages.fetchAll(
          `/users/${encodeURIComponent(login)}/repos?per_page=${GITHUB_PAGE_SIZE}&type=owner`,
        );
        return { data: all.repos, notModified: all.notModified };
      },
      freshness,
    );
  }
}
