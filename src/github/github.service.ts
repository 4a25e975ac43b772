import { Injectable } from '@nestjs/common';
import { GITHUB_PAGE_SIZE, RepoPagesFetcher } from './repo-pages.fetcher';
import { listRepos, RepoListingOptions, RepoListingPage } from './repo-listing';

/** The logic behind the GitHub routes: what to fetch, and how to shape it. */
@Injectable()
export class GithubService {
  constructor(private readonly pages: RepoPagesFetcher) {}

  async listUserRepos(username: string, options: RepoListingOptions): Promise<RepoListingPage> {
    // `username` passed the login rule, so it needs no encoding; encode anyway as a second guard.
    const repos = await this.pages.fetchAll(
      `/users/${encodeURIComponent(username)}/repos?per_page=${GITHUB_PAGE_SIZE}&type=owner`,
    );
    return listRepos(repos, options);
  }
}
