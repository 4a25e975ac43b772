import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { githubConfig } from '../../config/github.config';
import { GithubClient } from '../upstream/github-client.service';
import { conditionalRequestFor, revalidatedPage } from '../upstream/page-revalidation';
import { GithubBadGatewayError } from '../api/github-errors';
import { pageOf } from '../api/link-header';
import { mapWithConcurrency } from '../../common/map-with-concurrency';
import { RateLimitGovernor } from '../upstream/rate-limit-governor';
import { RepoOwner } from '../accounts/repo-owner';
import { StoredRepoList, StoredPage } from '../accounts/stored-repo-list';
import { toRepoPage } from './repo.mapper';

/** GitHub's largest page: the fewest requests for a complete list. */
export const GITHUB_PAGE_SIZE = 100;
/** Pages fetched at once for one list: fast, yet far from the 100-concurrent secondary limit. */
const PAGE_CONCURRENCY = 4;

export interface FetchedRepoList {
  list: StoredRepoList;
  /** Every page was confirmed unchanged by a 304. */
  notModified: boolean;
}

interface ReadPage extends StoredPage {
  notModified: boolean;
}

/**
 * Reads an account's repository list from GitHub, page by page, revalidating each page it read
 * before with `If-None-Match` (an unchanged page costs a free 304 and is reused as it was) as the
 * page cache does (page-revalidation.ts). The pages are held in the `StoredRepoList`, not in
 * the page cache, which would keep every repository a second time.
 *
 * A request reads at most `GITHUB_MAX_REPOS_PER_ACCOUNT` repositories. Page 1 (by name) tells
 * how long the list is; when it is longer, the last page by name is read to count it exactly,
 * then the first pages **by most recent push** — the repositories a dashboard most wants — so a
 * huge account costs at most ceil(max / 100) + 2 pages, and the answer says it is partial.
 * Before fanning out, the governor must agree that the pages fit in the budget above its reserve.
 */
@Injectable()
export class AccountReposFetcher {
  private readonly maxPages: number;

  constructor(
    private readonly client: GithubClient,
    private readonly governor: RateLimitGovernor,
    @Inject(githubConfig.KEY) config: ConfigType<typeof githubConfig>,
  ) {
    this.maxPages = Math.ceil(config.maxReposPerAccount / GITHUB_PAGE_SIZE);
  }

  async fetch(owner: RepoOwner, previous?: StoredRepoList): Promise<FetchedRepoList> {
    const known = new Map(previous?.parts.pages.map((page) => [page.url, page]));
    const first = await this.read(firstPageUrl(owner, 'full_name'), known, true);
    const lastPage = pageOf(first.links.last);
    let pages: ReadPage[];
    let complete = true;
    let publicRepos: number | null;
    if (first.links.last === undefined || lastPage === undefined) {
      ({ pages, complete } = await this.walkNext(first, known));
      publicRepos = complete ? sumCounts(pages) : null;
    } else if (lastPage <= this.maxPages) {
      pages = [first, ...(await this.readNumbered(first.links.last, 2, lastPage, known))];
      publicRepos = sumCounts(pages);
    } else {
      complete = false;
      ({ pages, publicRepos } = await this.readMostRecentlyPushed(
        owner,
        first,
        first.links.last,
        lastPage,
        known,
      ));
    }
    return {
      list: new StoredRepoList({ pages: pages.map(stored), complete, publicRepos }),
      notModified: pages.every((page) => page.notModified),
    };
  }

  /** A list too long to read whole: its exact length, and its most recently pushed pages. */
  private async readMostRecentlyPushed(
    owner: RepoOwner,
    firstByName: ReadPage,
    lastByNameUrl: string,
    lastPage: number,
    known: Map<string, StoredPage>,
  ): Promise<{ pages: ReadPage[]; publicRepos: number }> {
    const byPushed = firstPageUrl(owner, 'pushed');
    this.admit([lastByNameUrl, byPushed], known, this.maxPages - 1);
    const [lastByName, firstByPushed] = await Promise.all([
      this.read(lastByNameUrl, known, false),
      this.read(byPushed, known, true),
    ]);
    const template = firstByPushed.links.last ?? firstByPushed.links.next;
    const lastPushed = Math.min(this.maxPages, pageOf(firstByPushed.links.last) ?? this.maxPages);
    const rest = template ? await this.readNumbered(template, 2, lastPushed, known) : [];
    // Counting pages travel with the list for their validators, holding no repositories.
    const counting = [firstByName, lastByName].map((page) => ({ ...page, repos: null }));
    return {
      pages: [...counting, firstByPushed, ...rest],
      publicRepos: (lastPage - 1) * GITHUB_PAGE_SIZE + lastByName.count,
    };
  }

  /** No `last` relation: walk `next` one page at a time, as GitHub's docs describe. */
  private async walkNext(
    first: ReadPage,
    known: Map<string, StoredPage>,
  ): Promise<{ pages: ReadPage[]; complete: boolean }> {
    const pages = [first];
    for (let url = first.links.next; url !== undefined;) {
      if (pages.length >= this.maxPages) {
        return { pages, complete: false };
      }
      this.admit([url], known, 0);
      const page = await this.read(url, known, true);
      pages.push(page);
      url = page.links.next;
    }
    return { pages, complete: true };
  }

  /** Pages `from`..`to`, built from a link GitHub gave us by changing only its `page`. */
  private async readNumbered(
    template: string,
    from: number,
    to: number,
    known: Map<string, StoredPage>,
  ): Promise<ReadPage[]> {
    let base: URL;
    try {
      base = new URL(template);
    } catch (error) {
      throw new GithubBadGatewayError('GitHub sent a Link header that is not a URL', {
        cause: error,
      });
    }
    const urls = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => {
      const url = new URL(base);
      url.searchParams.set('page', String(from + i));
      return url.toString();
    });
    this.admit(urls, known, 0);
    return mapWithConcurrency(urls, PAGE_CONCURRENCY, (url) => this.read(url, known, false));
  }

  /**
   * Refuses (503, or stale data upstream of us) a fan-out whose new pages would eat into the
   * governor's reserve. Pages we hold validators for are revalidated, free on a 304.
   */
  private admit(urls: string[], known: Map<string, StoredPage>, unnamedPages: number): void {
    const newPages = urls.filter((url) => !known.has(url)).length + unnamedPages;
    this.governor.admitFanOut(newPages, urls.length + unnamedPages);
  }

  private async read(
    url: string,
    known: Map<string, StoredPage>,
    keepLinks: boolean,
  ): Promise<ReadPage> {
    const held = known.get(url);
    const response = await this.client.get(url, conditionalRequestFor(held));
    const page = revalidatedPage<StoredPage, Pick<StoredPage, 'repos' | 'count'>>(response, held, {
      fresh: (body) => {
        const repos = toRepoPage(body);
        return { repos, count: repos.length };
      },
      kept: ({ repos, count }) => ({ repos, count }),
    });
    return {
      url,
      etag: page.etag,
      lastModified: page.lastModified,
      tokenFingerprint: page.tokenFingerprint,
      ...page.data,
      links: keepLinks ? page.links : {},
      notModified: page.notModified,
    };
  }
}

function firstPageUrl(owner: RepoOwner, order: 'full_name' | 'pushed'): string {
  // Logins are case-insensitive: one cache entry per account, however it is spelled.
  const login = encodeURIComponent(owner.login.toLowerCase());
  const base = owner.kind === 'user' ? `/users/${login}/repos` : `/orgs/${login}/repos`;
  const type = owner.kind === 'user' ? 'owner' : 'public';
  const sort = order === 'pushed' ? 'sort=pushed&direction=desc' : 'sort=full_name';
  return `${base}?per_page=${GITHUB_PAGE_SIZE}&type=${type}&${sort}`;
}

function sumCounts(pages: StoredPage[]): number {
  return pages.reduce((total, page) => total + page.count, 0);
}

function stored({ notModified: _notModified, ...page }: ReadPage): StoredPage {
  return page;
}
