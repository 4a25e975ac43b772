import { Injectable } from '@nestjs/common';
import { mapWithConcurrency } from '../../common/map-with-concurrency';
import { GithubPageCache } from '../../github/upstream/github-page-cache';
import { LinkRelations, pageOf } from '../../github/api/link-header';
import { RateLimitGovernor } from '../../github/upstream/rate-limit-governor';
import {
  HISTORY_WEEKS_PER_PAGE,
  HistoryWeek,
  MAX_HISTORY_PAGES,
  toHistoryWeeks,
} from './weekly-history';

const CONCURRENT_PAGES = 4;

interface HistoryPage {
  page: number;
  weeks: HistoryWeek[];
  links: LinkRelations;
}

/**
 * Reads GitHub's weekly star history (`GET /repos/{owner}/{repo}/stargazers/history`, any public
 * repository, any token or none), every page from the current week back to the repository's first,
 * each through the page cache (revalidated with its ETag, so an unchanged page is a free 304).
 */
@Injectable()
export class StargazerHistoryPages {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly governor: RateLimitGovernor,
  ) {}

  /**
   * Every week, newest first (a week may appear twice when a new one started while paging). The
   * first page says through its `Link` how many follow; those are read at once, admitted by the
   * governor as one fan-out like a long list; should the last one point further (a new week
   * pushed a week onto another page), the rest are read one by one. Never past page 100.
   */
  async readAll(owner: string, repo: string): Promise<HistoryWeek[]> {
    const first = await this.read(
      `/repos/${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(repo.toLowerCase())}/stargazers/history?per_page=${HISTORY_WEEKS_PER_PAGE}&page=1`,
      1,
    );
    const pages = [first];
    const template = first.links.last ?? first.links.next;
    if (first.weeks.length > 0 && template !== undefined) {
      const last = Math.min(pageOf(first.links.last) ?? 2, MAX_HISTORY_PAGES);
      const numbers = Array.from({ length: last - 1 }, (_, i) => i + 2);
      this.governor.admitFanOut(numbers.length);
      pages.push(
        ...(await mapWithConcurrency(numbers, CONCURRENT_PAGES, (page) =>
          this.read(withPage(template, page), page),
        )),
      );
      let tail = pages[pages.length - 1];
      while (
        tail.weeks.length > 0 &&
        tail.links.next !== undefined &&
        tail.page < MAX_HISTORY_PAGES
      ) {
        this.governor.admitFanOut(1);
        tail = await this.read(tail.links.next, tail.page + 1);
        pages.push(tail);
      }
    }
    return pages.flatMap((page) => page.weeks);
  }

  private async read(pathOrUrl: string, page: number): Promise<HistoryPage> {
    const fetched = await this.pages.fetch(pathOrUrl, toHistoryWeeks);
    return { page, weeks: fetched.page.data, links: fetched.page.links };
  }
}

/** GitHub's own page URL (its `Link` form, absolute or a path) for another page. */
function withPage(url: string, page: number): string {
  const parsed = new URL(url, 'http://github.invalid');
  parsed.searchParams.set('page', String(page));
  return parsed.origin === 'http://github.invalid'
    ? `${parsed.pathname}${parsed.search}`
    : parsed.toString();
}
