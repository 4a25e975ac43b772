import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { Singleflight } from '../../cache/singleflight';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { GithubClient } from './github-client.service';
import { conditionalRequestFor, HeldPage, revalidatedPage } from './page-revalidation';
import { CachedEntry, retentionMs } from '../../cache/freshness';

/** The lower cache layer: one GitHub page, mapped to our shape, with its validators. */
export interface CachedPage<T> extends CachedEntry<T>, HeldPage {}

export interface PageFetchOptions<T> {
  /** Accept header, when not GitHub's default JSON (stargazers with dates). */
  accept?: string;
  /** A cached page this accepts is served without asking GitHub (old pages of an append-only list). */
  reuse?: (page: CachedPage<T>) => boolean;
  /** How long the store keeps the page; the cache's retention when omitted. */
  retentionMs?: number;
}

export interface PageFetch<T> {
  page: CachedPage<T>;
  /** True when GitHub answered 304 and the cached page was confirmed, not refetched. */
  notModified: boolean;
}

/**
 * Fetches a GitHub page through the lower cache layer: a page we hold is revalidated
 * (page-revalidation.ts) with `If-None-Match` on the token that fetched it, so an unchanged page
 * costs a 304 (free when authorized) instead of a full response. Concurrent fetches of one page
 * share one request.
 */
@Injectable()
export class GithubPageCache {
  private readonly inFlight = new Singleflight(() => this.metrics.recordCoalesced());

  constructor(
    private readonly client: GithubClient,
    private readonly store: CacheStore,
    @Inject(cacheConfig.KEY) private readonly config: ConfigType<typeof cacheConfig>,
    private readonly metrics: MetricsService,
  ) {}

  fetch<T>(
    pathOrUrl: string,
    map: (body: unknown) => T,
    options: PageFetchOptions<T> = {},
  ): Promise<PageFetch<T>> {
    const key = pageKey(pathOrUrl, options.accept);
    return this.inFlight.run(key, async () => {
      const cached = await this.store.get<CachedPage<T>>(key);
      if (cached && options.reuse?.(cached)) {
        return { page: cached, notModified: true };
      }
      const response = await this.client.get(
        pathOrUrl,
        conditionalRequestFor(cached),
        options.accept,
      );
      const { notModified, ...revalidated } = revalidatedPage(response, cached, {
        fresh: map,
        kept: (held) => held.data,
      });
      const page: CachedPage<T> = { ...revalidated, fetchedAt: Date.now() };
      await this.store.set(key, page, options.retentionMs ?? retentionMs(this.config));
      return { page, notModified };
    });
  }
}

function pageKey(pathOrUrl: string, accept: string | undefined): string {
  const url = new URL(pathOrUrl, 'http://github.invalid');
  // Another media type is another representation (and another ETag).
  return `gh:page:${url.pathname}${url.search}${accept ? `#${accept}` : ''}`;
}
