import { Injectable } from '@nestjs/common';
import { GithubPageCache } from './cache/github-page-cache';
import { GithubBadGatewayError } from './github-errors';
import { pageOf } from './link-header';
import { mapWithConcurrency } from './map-with-concurrency';
import { toRepoPage } from './repo.mapper';
import { Repo } from './repo.model';

/** GitHub's largest page: the fewest requests for a complete list. */
export const GITHUB_PAGE_SIZE = 100;
/** Pages fetched at once after page 1 names the last one: fast, yet far from the 100-concurrent secondary limit. */
const PAGE_CONCURRENCY = 4;
/** 100,000 repositories. A bound so a hostile or broken `Link` header cannot make us loop forever. */
const MAX_PAGES = 1000;

export interface AllRepos {
  repos: Repo[];
  /** Every page was confirmed unchanged by a 304. */
  notModified: boolean;
}

/** Fetches every page of a repository list through the page cache, following GitHub's `Link` header. */
@Injectable()
export class RepoPagesFetcher {
  constructor(private readonly pages: GithubPageCache) {}

  async fetchAll(firstPagePath: string): Promise<AllRepos> {
    const first = await this.pages.fetch(firstPagePath, toRepoPage);
    const results = [first];
    const { last, next } = first.page.links;
    const lastPage = pageOf(last);
    if (last && lastPage !== undefined) {
      results.push(...(await this.fetchNumberedPages(last, lastPage)));
    } else {
      // No `last` relation: walk `next` one page at a time, as GitHub's docs describe.
      for (let url = next, page = 2; url !== undefined; page++) {
        if (page > MAX_PAGES) {
          throw new GithubBadGatewayError(`GitHub listed more than ${MAX_PAGES} pages`);
        }
        const result = await this.pages.fetch(url, toRepoPage);
        results.push(result);
        url = result.page.links.next;
      }
    }
    return {
      repos: results.flatMap((result) => result.page.data),
      notModified: results.every((result) => result.notModified),
    };
  }

  /** Pages 2..last, built from the `last` link GitHub gave us by changing only its `page`. */
  private async fetchNumberedPages(lastUrl: string, lastPage: number) {
    if (lastPage > MAX_PAGES) {
      throw new GithubBadGatewayError(`GitHub listed ${lastPage} pages, more than ${MAX_PAGES}`);
    }
    let last: URL;
    try {
      last = new URL(lastUrl);
    } catch (error) {
      throw new GithubBadGatewayError('GitHub sent a Link header that is not a URL', {
        cause: error,
      });
    }
    const urls = Array.from({ length: lastPage - 1 }, (_, i) => {
      const url = new URL(last);
      url.searchParams.set('page', String(i + 2));
      return url.toString();
    });
    return mapWithConcurrency(urls, PAGE_CONCURRENCY, (url) => this.pages.fetch(url, toRepoPage));
  }
}
