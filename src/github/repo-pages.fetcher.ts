import { Injectable } from '@nestjs/common';
import { GithubClient } from './github-client.service';
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

/** Fetches every page of a repository list, following GitHub's `Link` header. */
@Injectable()
export class RepoPagesFetcher {
  constructor(private readonly client: GithubClient) {}

  async fetchAll(firstPagePath: string): Promise<Repo[]> {
    const first = await this.client.get(firstPagePath);
    const repos = toRepoPage(first.body);
    const lastPage = pageOf(first.links.last);
    if (first.links.last && lastPage !== undefined) {
      return repos.concat(...(await this.fetchNumberedPages(first.links.last, lastPage)));
    }
    // No `last` relation: walk `next` one page at a time, as GitHub's docs describe.
    let next = first.links.next;
    for (let page = 2; next !== undefined; page++) {
      if (page > MAX_PAGES) {
        throw new GithubBadGatewayError(`GitHub listed more than ${MAX_PAGES} pages`);
      }
      const response = await this.client.get(next);
      repos.push(...toRepoPage(response.body));
      next = response.links.next;
    }
    return repos;
  }

  /** Pages 2..last, built from the `last` link GitHub gave us by changing only its `page`. */
  private async fetchNumberedPages(lastUrl: string, lastPage: number): Promise<Repo[][]> {
    if (lastPage > MAX_PAGES) {
      throw new GithubBadGatewayError(`GitHub listed ${lastPage} pages, more than ${MAX_PAGES}`);
    }
    const urls = Array.from({ length: lastPage - 1 }, (_, i) => {
      const url = new URL(lastUrl);
      url.searchParams.set('page', String(i + 2));
      return url.toString();
    });
    return mapWithConcurrency(urls, PAGE_CONCURRENCY, async (url) =>
      toRepoPage((await this.client.get(url)).body),
    );
  }
}
