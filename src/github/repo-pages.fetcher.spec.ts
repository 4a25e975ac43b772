import { CacheStore } from '../cache/cache-store';
import { CacheConfig } from '../config/cache.config';
import { GithubPageCache } from './cache/github-page-cache';
import { MetricsService } from '../metrics/metrics.service';
import { ConditionalRequest, GithubClient, GithubResponse } from './github-client.service';
import { GithubBadGatewayError, GithubTimeoutError } from './github-errors';
import { LinkRelations } from './link-header';
import { RepoPagesFetcher } from './repo-pages.fetcher';

const FIRST = '/users/octocat/repos?per_page=100&type=owner';
const LIST = 'https://api.github.com/user/583231/repos';
const pageUrl = (n: number): string => `${LIST}?per_page=100&type=owner&page=${n}`;

const cacheConfig: CacheConfig = {
  redisUrl: undefined,
  ttlSeconds: 60,
  staleSeconds: 3600,
  negativeTtlSeconds: 60,
  maxEntries: 5000,
  keyPrefix: 'test',
};

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function item(name: string): Record<string, unknown> {
  return {
    name,
    full_name: `octocat/${name}`,
    html_url: `https://github.com/octocat/${name}`,
    description: null,
    language: null,
    stargazers_count: 1,
    forks_count: 0,
    fork: false,
    open_issues_count: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-01T00:00:00Z',
    pushed_at: null,
  };
}

/** The page cache's store, kept in a Map. */
class MapStore {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.values.get(key) as T | undefined);
  }

  set(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

interface FakePage {
  body: unknown;
  links?: LinkRelations;
  etag?: string;
  delayMs?: number;
  error?: Error;
}

/**
 * Answers only the URLs it was given, like GitHub would: a 304 when the ETag sent back is the
 * page's current one. Records every call and how many were in flight.
 */
class FakeGithubClient {
  readonly calls: { url: string; conditional: ConditionalRequest }[] = [];
  peakInFlight = 0;
  private inFlight = 0;

  constructor(readonly pages: Map<string, FakePage>) {}

  get urls(): string[] {
    return this.calls.map((c) => c.url);
  }

  async get(url: string, conditional: ConditionalRequest = {}): Promise<GithubResponse> {
    this.calls.push({ url, conditional });
    const page = this.pages.get(url);
    if (!page) {
      throw new Error(`unexpected GET ${url}`);
    }
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    await tick(page.delayMs ?? 0);
    this.inFlight--;
    if (page.error) {
      throw page.error;
    }
    const unchanged = page.etag !== undefined && conditional.etag === page.etag;
    return {
      status: unchanged ? 304 : 200,
      body: unchanged ? undefined : page.body,
      links: page.links ?? {},
      etag: page.etag,
      tokenFingerprint: 'anonymous',
    };
  }
}

function fetcherFor(client: Pick<GithubClient, 'get'>): RepoPagesFetcher {
  const pageCache = new GithubPageCache(
    client as GithubClient,
    new MapStore() as unknown as CacheStore,
    cacheConfig,
    new MetricsService(),
  );
  return new RepoPagesFetcher(pageCache);
}

/** A list of `count` pages announced with `last`, each holding repos named `p{page}-{i}`. */
function numberedList(count: number, perPage = 2, delays: number[] = []): Map<string, FakePage> {
  const body = (n: number) => Array.from({ length: perPage }, (_, i) => item(`p${n}-${i}`));
  const pages = new Map<string, FakePage>([
    [FIRST, { body: body(1), links: { next: pageUrl(2), last: pageUrl(count) }, etag: '"e1"' }],
  ]);
  for (let n = 2; n <= count; n++) {
    pages.set(pageUrl(n), { body: body(n), delayMs: delays[n] ?? 0, etag: `"e${n}"` });
  }
  return pages;
}

describe(RepoPagesFetcher.name, () => {
  it('should fetch a single page once when GitHub sends no Link', async () => {
    // Arrange
    const client = new FakeGithubClient(new Map([[FIRST, { body: [item('a'), item('b')] }]]));

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(client.urls).toEqual([FIRST]);
    expect(result.repos.map((r) => r.name)).toEqual(['a', 'b']);
    expect(result.notModified).toBe(false);
  });

  it('should answer no repositories for an empty first page', async () => {
    // Arrange
    const client = new FakeGithubClient(new Map([[FIRST, { body: [] }]]));

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(result.repos).toEqual([]);
  });

  it('should request pages 2 to last once each when GitHub names the last page', async () => {
    // Arrange
    const client = new FakeGithubClient(numberedList(6));

    // Act
    await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(client.urls[0]).toBe(FIRST);
    expect([...client.urls.slice(1)].sort()).toEqual([2, 3, 4, 5, 6].map(pageUrl).sort());
  });

  it('should change only the page of the last link', async () => {
    // Arrange
    const last = `${LIST}?per_page=100&type=owner&sort=full_name&page=3`;
    const sibling = (n: number) => `${LIST}?per_page=100&type=owner&sort=full_name&page=${n}`;
    const client = new FakeGithubClient(
      new Map<string, FakePage>([
        [FIRST, { body: [item('a')], links: { next: sibling(2), last } }],
        [sibling(2), { body: [item('b')] }],
        [sibling(3), { body: [item('c')] }],
      ]),
    );

    // Act
    await fetcherFor(client).fetchAll(FIRST);

    // Assert
    const lastUrl = new URL(last);
    const withoutPage = (url: URL) => [...url.searchParams].filter(([key]) => key !== 'page');
    for (const called of client.urls.slice(1)) {
      const url = new URL(called);
      expect(url.origin + url.pathname).toBe(lastUrl.origin + lastUrl.pathname);
      expect(withoutPage(url)).toEqual(withoutPage(lastUrl));
    }
    const pages = client.urls.slice(1).map((u) => new URL(u).searchParams.get('page'));
    expect(pages.sort()).toEqual(['2', '3']);
  });

  it('should concatenate the pages in page order even when they arrive out of order', async () => {
    // Arrange: later pages answer first.
    const client = new FakeGithubClient(numberedList(5, 2, [0, 0, 40, 30, 20, 10]));

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(result.repos.map((r) => r.name)).toEqual(
      [1, 2, 3, 4, 5].flatMap((n) => [`p${n}-0`, `p${n}-1`]),
    );
  });

  it('should keep at most four page requests in flight', async () => {
    // Arrange
    const client = new FakeGithubClient(numberedList(12, 1, Array<number>(13).fill(5)));

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(result.repos).toHaveLength(12);
    expect(client.peakInFlight).toBeLessThanOrEqual(4);
    expect(client.peakInFlight).toBeGreaterThan(1);
  });

  it('should walk next links one page at a time when there is no last link', async () => {
    // Arrange
    const client = new FakeGithubClient(
      new Map<string, FakePage>([
        [FIRST, { body: [item('a')], links: { next: pageUrl(2) } }],
        [pageUrl(2), { body: [item('b')], links: { prev: FIRST, next: pageUrl(3) } }],
        [pageUrl(3), { body: [item('c')], links: { prev: pageUrl(2) } }],
      ]),
    );

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(client.urls).toEqual([FIRST, pageUrl(2), pageUrl(3)]);
    expect(result.repos.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('should fetch a list of exactly 1000 pages', async () => {
    // Arrange
    const client = new FakeGithubClient(numberedList(1000, 1));

    // Act
    const result = await fetcherFor(client).fetchAll(FIRST);

    // Assert
    expect(result.repos).toHaveLength(1000);
    expect(client.calls).toHaveLength(1000);
  });

  it('should refuse a last link beyond 1000 pages without fetching them', async () => {
    // Arrange
    const client = new FakeGithubClient(
      new Map<string, FakePage>([
        [FIRST, { body: [item('a')], links: { next: pageUrl(2), last: pageUrl(1001) } }],
      ]),
    );

    // Act
    const result = fetcherFor(client).fetchAll(FIRST);

    // Assert
    await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
    expect(client.urls).toEqual([FIRST]);
  });

  it('should stop walking next links after 1000 pages', async () => {
    // Arrange: every page points to a next one, forever.
    const calls: string[] = [];
    const endless = {
      get: (url: string): Promise<GithubResponse> => {
        calls.push(url);
        const n = url === FIRST ? 1 : Number(new URL(url).searchParams.get('page'));
        return Promise.resolve({
          status: 200,
          body: [item(`p${n}`)],
          links: { next: pageUrl(n + 1) },
          tokenFingerprint: 'anonymous',
        });
      },
    };

    // Act
    const result = fetcherFor(endless).fetchAll(FIRST);

    // Assert
    await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
    expect(calls).toHaveLength(1000);
  });

  it('should fail with the error of a page that fails', async () => {
    // Arrange
    const pages = numberedList(4);
    const timeout = new GithubTimeoutError('GitHub did not answer within 10000 ms');
    pages.set(pageUrl(3), { body: [], error: timeout });

    // Act
    const result = fetcherFor(new FakeGithubClient(pages)).fetchAll(FIRST);

    // Assert
    await expect(result).rejects.toBe(timeout);
  });

  it('should fail with the error of the first page', async () => {
    // Arrange
    const timeout = new GithubTimeoutError('GitHub did not answer within 10000 ms');
    const client = new FakeGithubClient(new Map([[FIRST, { body: [], error: timeout }]]));

    // Act
    const result = fetcherFor(client).fetchAll(FIRST);

    // Assert
    await expect(result).rejects.toBe(timeout);
  });

  it('should reject a later page that is not a repository list', async () => {
    // Arrange
    const pages = numberedList(3);
    pages.set(pageUrl(2), { body: { message: 'Server Error' } });

    // Act
    const result = fetcherFor(new FakeGithubClient(pages)).fetchAll(FIRST);

    // Assert
    await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
  });

  describe('revalidation', () => {
    it("should send each page's ETag back and report an unchanged list as not modified", async () => {
      // Arrange
      const client = new FakeGithubClient(numberedList(3));
      const fetcher = fetcherFor(client);
      const first = await fetcher.fetchAll(FIRST);
      client.calls.length = 0;

      // Act
      const second = await fetcher.fetchAll(FIRST);

      // Assert
      expect(second.notModified).toBe(true);
      expect(second.repos).toEqual(first.repos);
      expect(client.calls.map((c) => [c.url, c.conditional.etag]).sort()).toEqual(
        [
          [FIRST, '"e1"'],
          [pageUrl(2), '"e2"'],
          [pageUrl(3), '"e3"'],
        ].sort(),
      );
    });

    it('should report the list as modified when one page changed', async () => {
      // Arrange
      const client = new FakeGithubClient(numberedList(3));
      const fetcher = fetcherFor(client);
      await fetcher.fetchAll(FIRST);
      client.pages.set(pageUrl(2), { body: [item('renamed')], etag: '"e2-new"' });

      // Act
      const second = await fetcher.fetchAll(FIRST);

      // Assert
      expect(second.notModified).toBe(false);
      expect(second.repos.map((r) => r.name)).toEqual(['p1-0', 'p1-1', 'renamed', 'p3-0', 'p3-1']);
    });
  });
});
