import { Injectable } from '@nestjs/common';
import { GithubPageCache } from './cache/github-page-cache';
import { CachedResult, ResultCache } from './cache/result-cache';
import { FreshnessRequest } from './github.service';
import { toLanguageBytes, toRepoDetails } from './repo-details.mapper';
import { RepoDetails } from './repo-details.model';

/** One repository with its language breakdown: two GitHub calls, cached as one result. */
@Injectable()
export class RepoDetailsService {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly results: ResultCache,
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
