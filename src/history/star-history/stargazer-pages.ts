import { Injectable } from '@nestjs/common';
import { mapWithConcurrency } from '../../common/map-with-concurrency';
import { GithubPageCache } from '../../github/upstream/github-page-cache';
import { GithubBadGatewayError } from '../../github/api/github-errors';
import { RateLimitGovernor } from '../../github/upstream/rate-limit-governor';
import { STARGAZERS_PER_PAGE } from './stargazer-plan';
import { SampledPage } from './star-points';

const STAR_JSON = 'application/vnd.github.star+json';
/** A full page of an oldest-first list changes only when someone unstars: re-asked weekly. */
const FULL_PAGE_REUSE_MS = 7 * 86_400_000;
const PAGE_RETENTION_MS = 30 * 86_400_000;
const CONCURRENT_PAGES = 4;

/** Reads pages of a repository's stargazer list (with `starred_at`) through the page cache. */
@Injectable()
export class StargazerPages {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly governor: RateLimitGovernor,
  ) {}

  async read(owner: string, repo: string, page: number): Promise<SampledPage> {
    const path = `/repos/${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(repo.toLowerCase())}/stargazers?per_page=${STARGAZERS_PER_PAGE}&page=${page}`;
    const fetched = await this.pages.fetch(path, toStarredAt, {
      accept: STAR_JSON,
      reuse: (cached) =>
        cached.data.length === STARGAZERS_PER_PAGE &&
        Date.now() - cached.fetchedAt < FULL_PAGE_REUSE_MS,
      retentionMs: PAGE_RETENTION_MS,
    });
    return { page, starredAt: fetched.page.data };
  }

  /**
   * Up to STAR_HISTORY_MAX_PAGES pages at once: admitted by the governor as one fan-out, so a
   * star history cannot spend the reserve kept for revalidations (503, as for a long list).
   */
  readMany(owner: string, repo: string, pages: readonly number[]): Promise<SampledPage[]> {
    this.governor.admitFanOut(pages.length);
    return mapWithConcurrency(pages, CONCURRENT_PAGES, (page) => this.read(owner, repo, page));
  }
}

/** `starred_at` of each stargazer on a page, oldest first. */
export function toStarredAt(body: unknown): string[] {
  if (!Array.isArray(body)) {
    throw new GithubBadGatewayError('GitHub answered with a stargazer page that is not a list');
  }
  return body.map((item: unknown) => {
    const at = (item as { starred_at?: unknown } | null)?.starred_at;
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
      throw new GithubBadGatewayError('GitHub listed a stargazer without starred_at');
    }
    return new Date(at).toISOString();
  });
}
