import { Injectable } from '@nestjs/common';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { GithubPageCache } from '../upstream/github-page-cache';
import { GithubResultCache } from '../upstream/github-result-cache';
import { RateLimitGovernor } from '../upstream/rate-limit-governor';
import { toLanguageBytes, toRepoDetails } from './repo-details.mapper';
import { RepoDetails } from './dto/repo-details.model';

/** One repository with its language breakdown: two GitHub calls, cached as one result. */
@Injectable()
export class RepoDetailsService {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly results: GithubResultCache,
    private readonly governor: RateLimitGovernor,
  ) {}

  getRepo(
    owner: string,
    name: string,
    freshness: FreshnessRequest = {},
  ): Promise<CachedResult<RepoDetails>> {
    const path = `/repos/${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}`;
    return this.results.get(
      `gh:repo:${path}`,
      async () => {
        // Two requests at once: a fan-out like any other, kept out of the governor's reserve.
        this.governor.admitFanOut(2);
        const [repo, languages] = await Promise.all([
          this.pages.fetch(path, (body) => toRepoDetails(body, [])),
          this.pages.fetch(`${path}/languages`, toLanguageBytes),
        ]);
        return {
          data: { ...repo.page.data, languages: languages.page.data },
          notModified: repo.notModified && languages.notModified,
        };
      },
      freshness,
    );
  }
}
