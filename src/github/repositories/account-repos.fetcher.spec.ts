import { CacheStore } from '../../cache/cache-store';
import { GithubConfig } from '../../config/github.config';
import { MetricsService } from '../../metrics/metrics.service';
import {
  ConditionalRequest,
  GithubClient,
  GithubResponse,
} from '../upstream/github-client.service';
import {
  GithubBadGatewayError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from '../api/github-errors';
import { LinkRelations } from '../api/link-header';
import { RateLimitGovernor } from '../upstream/rate-limit-governor';
import { StoredRepoList } from '../accounts/stored-repo-list';
import { RepoOwner } from '../accounts/repo-owner';
import { AccountReposFetcher } from './account-repos.fetcher';
import { testClientBudget } from '../../../test/support/client-budget';
import { tokenFingerprint } from '../upstream/token-fingerprint';

const OWNER: RepoOwner = { kind: 'user', login: 'octocat' };
const FIRST = '/users/octocat/repos?per_page=100&type=owner&sort=full_name';
const PUSHED_FIRST = '/users/octocat/repos?per_page=100&type=owner&sort=pushed&direction=desc';
const LIST = 'https://api.github.com/user/583231/repos';
const pageUrl = (n: number): string => `${LIST}?per_page=100&type=owner&sort=full_name&page=${n}`;
const pushedUrl = (n: number): string =>
  `${LIST}?per_page=100&type=owner&sort=pushed&direction=desc&page=${n}`;

function githubConfig(overrides: Partial<GithubConfig> = {}): GithubConfig {
  return {
    apiUrl: 'https://api.github.com',
    tokens: [],
    timeoutMs: 5000,
    rateLimitReserve: 50,
    maxReposPerAccount: 100_000,
    maxConcurrentRequests: 8,
    maxRequestsPerMinute: 900,
    ...overrides,
  };
}

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
  /** A 304 for this page comes without a `Link` header. */
  noLinksOn304?: boolean;
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
      links: unchanged && page.noLinksOn304 ? {} : (page.links ?? {}),
      etag: page.etag,
      tokenFingerprint: 'anonymous',
    };
  }
}

function governorFor(config: GithubConfig): RateLimitGovernor {
  const metrics = new MetricsService();
  return new RateLimitGovernor(
    config,
    new MapStore() as unknown as CacheStore,
    metrics,
    testClientBudget(metrics),
  );
}

function fetcherFor(
  client: Pick<GithubClient, 'get'>,
  config: GithubConfig = githubConfig(),
  governor: RateLimitGovernor = governorFor(config),
): AccountReposFetcher {
  return new AccountReposFetcher(client as GithubClient, governor, config);
}

const names = (list: StoredRepoList): string[] => list.repos.map((r) => r.name);

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

describe(AccountReposFetcher.name, () => {
  it('should fetch a single page once when GitHub sends no Link', async () => {
    // Arrange
    const client = new FakeGithubClient(new Map([[FIRST, { body: [item('a'), item('b')] }]]));

    // Act
    const result = await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(client.urls).toEqual([FIRST]);
    expect(names(result.list)).toEqual(['a', 'b']);
    expect(result.notModified).toBe(false);
  });

  it('should answer no repositories for an empty first page', async () => {
    // Arrange
    const client = new FakeGithubClient(new Map([[FIRST, { body: [] }]]));

    // Act
    const result = await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(result.list.repos).toEqual([]);
  });

  it('should request pages 2 to last once each when GitHub names the last page', async () => {
    // Arrange
    const client = new FakeGithubClient(numberedList(6));

    // Act
    await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(client.urls[0]).toBe(FIRST);
    expect([...client.urls.slice(1)].sort()).toEqual([2, 3, 4, 5, 6].map(pageUrl).sort());
  });

  it('should change only the page of the last link', async () => {
    // Arrange
    const last = `${LIST}?per_page=100&type=owner&sort=full_name&x=1&page=3`;
    const sibling = (n: number) => `${LIST}?per_page=100&type=owner&sort=full_name&x=1&page=${n}`;
    const client = new FakeGithubClient(
      new Map<string, FakePage>([
        [FIRST, { body: [item('a')], links: { next: sibling(2), last } }],
        [sibling(2), { body: [item('b')] }],
        [sibling(3), { body: [item('c')] }],
      ]),
    );

    // Act
    await fetcherFor(client).fetch(OWNER);

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
    const result = await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(names(result.list)).toEqual([1, 2, 3, 4, 5].flatMap((n) => [`p${n}-0`, `p${n}-1`]));
  });

  it('should keep at most four page requests in flight', async () => {
    // Arrange
    const client = new FakeGithubClient(numberedList(12, 1, Array<number>(13).fill(5)));

    // Act
    const result = await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(result.list.repos).toHaveLength(12);
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
    const result = await fetcherFor(client).fetch(OWNER);

    // Assert
    expect(client.urls).toEqual([FIRST, pageUrl(2), pageUrl(3)]);
    expect(names(result.list)).toEqual(['a', 'b', 'c']);
  });

  it('should read a list of exactly the ceiling whole', async () => {
    // Arrange: five pages, and a ceiling of five pages.
    const client = new FakeGithubClient(numberedList(5, 1));

    // Act
    const result = await fetcherFor(client, githubConfig({ maxReposPerAccount: 500 })).fetch(OWNER);

    // Assert
    expect(result.list.repos).toHaveLength(5);
    expect(result.list.complete).toBe(true);
    expect(result.list.publicRepos).toBe(5);
    expect(client.calls).toHaveLength(5);
  });

  it('should read past the ceiling only the most recently pushed pages, and count the rest', async () => {
    // Arrange: eight pages by name, three allowed; the pushed order is its own list.
    const pages = numberedList(8, 2);
    const pushed = (n: number) => [item(`pushed${n}-0`), item(`pushed${n}-1`)];
    pages.set(PUSHED_FIRST, { body: pushed(1), links: { next: pushedUrl(2), last: pushedUrl(8) } });
    for (let n = 2; n <= 8; n++) {
      pages.set(pushedUrl(n), { body: pushed(n) });
    }
    const client = new FakeGithubClient(pages);

    // Act
    const result = await fetcherFor(client, githubConfig({ maxReposPerAccount: 300 })).fetch(OWNER);

    // Assert: ceil(300 / 100) + 2 pages, never more.
    expect(client.urls.sort()).toEqual(
      [FIRST, pageUrl(8), PUSHED_FIRST, pushedUrl(2), pushedUrl(3)].sort(),
    );
    expect(names(result.list)).toEqual([1, 2, 3].flatMap((n) => [`pushed${n}-0`, `pushed${n}-1`]));
    expect(result.list.complete).toBe(false);
    // Seven full pages of 100 before the last one, which holds two.
    expect(result.list.publicRepos).toBe(702);
    expect(result.list.coverage).toBe('first 6 of 702 repositories, most recently pushed first');
  });

  it('should stop walking next links at the ceiling and say the count is unknown', async () => {
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
    const result = await fetcherFor(endless, githubConfig({ maxReposPerAccount: 1000 })).fetch(
      OWNER,
    );

    // Assert
    expect(calls).toHaveLength(10);
    expect(result.list.complete).toBe(false);
    expect(result.list.publicRepos).toBeNull();
  });

  it('should refuse a fan-out that would spend the reserve, before asking for it', async () => {
    // Arrange: 10 of 60 left, 6 held back: 4 spendable, and the list needs 7 more pages.
    const config = githubConfig();
    const governor = governorFor(config);
    governor.record(tokenFingerprint(undefined), {
      limit: 60,
      remaining: 10,
      reset: Math.floor(Date.now() / 1000) + 600,
      resource: 'core',
    });
    const client = new FakeGithubClient(numberedList(8));

    // Act
    const result = fetcherFor(client, config, governor).fetch(OWNER);

    // Assert
    await expect(result).rejects.toBeInstanceOf(GithubRateLimitedError);
    expect(client.urls).toEqual([FIRST]);
  });

  it('should admit a fan-out of pages it can revalidate, which cost nothing on a 304', async () => {
    // Arrange: the list was read while the budget was full; now only 4 are spendable.
    const config = githubConfig();
    const governor = governorFor(config);
    const client = new FakeGithubClient(numberedList(8));
    const fetcher = fetcherFor(client, config, governor);
    const first = await fetcher.fetch(OWNER);
    governor.record(tokenFingerprint(undefined), {
      limit: 60,
      remaining: 10,
      reset: Math.floor(Date.now() / 1000) + 600,
      resource: 'core',
    });

    // Act
    const second = await fetcher.fetch(OWNER, first.list);

    // Assert
    expect(second.notModified).toBe(true);
    expect(names(second.list)).toEqual(names(first.list));
  });

  it('should fail with the error of a page that fails', async () => {
    // Arrange
    const pages = numberedList(4);
    const timeout = new GithubTimeoutError('GitHub did not answer within 10000 ms');
    pages.set(pageUrl(3), { body: [], error: timeout });

    // Act
    const result = fetcherFor(new FakeGithubClient(pages)).fetch(OWNER);

    // Assert
    await expect(result).rejects.toBe(timeout);
  });

  it('should fail with the error of the first page', async () => {
    // Arrange
    const timeout = new GithubTimeoutError('GitHub did not answer within 10000 ms');
    const client = new FakeGithubClient(new Map([[FIRST, { body: [], error: timeout }]]));

    // Act
    const result = fetcherFor(client).fetch(OWNER);

    // Assert
    await expect(result).rejects.toBe(timeout);
  });

  it('should reject a later page that is not a repository list', async () => {
    // Arrange
    const pages = numberedList(3);
    pages.set(pageUrl(2), { body: { message: 'Server Error' } });

    // Act
    const result = fetcherFor(new FakeGithubClient(pages)).fetch(OWNER);

    // Assert
    await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
  });

  describe('revalidation', () => {
    it("should send each page's ETag back and report an unchanged list as not modified", async () => {
      // Arrange
      const client = new FakeGithubClient(numberedList(3));
      const fetcher = fetcherFor(client);
      const first = await fetcher.fetch(OWNER);
      client.calls.length = 0;

      // Act
      const second = await fetcher.fetch(OWNER, first.list);

      // Assert
      expect(second.notModified).toBe(true);
      expect(second.list.repos).toEqual(first.list.repos);
      expect(client.calls.map((c) => [c.url, c.conditional.etag]).sort()).toEqual(
        [
          [FIRST, '"e1"'],
          [pageUrl(2), '"e2"'],
          [pageUrl(3), '"e3"'],
        ].sort(),
      );
    });

    it('should keep the links of a held first page when its 304 comes without a Link header', async () => {
      // Arrange
      const client = new FakeGithubClient(numberedList(3));
      const fetcher = fetcherFor(client);
      const first = await fetcher.fetch(OWNER);
      client.pages.set(FIRST, { ...client.pages.get(FIRST)!, noLinksOn304: true });
      client.calls.length = 0;

      // Act
      const second = await fetcher.fetch(OWNER, first.list);

      // Assert
      expect(second.notModified).toBe(true);
      expect(client.urls.sort()).toEqual([FIRST, pageUrl(2), pageUrl(3)].sort());
      expect(second.list.repos).toEqual(first.list.repos);
    });

    it('should report the list as modified when one page changed', async () => {
      // Arrange
      const client = new FakeGithubClient(numberedList(3));
      const fetcher = fetcherFor(client);
      const first = await fetcher.fetch(OWNER);
      client.pages.set(pageUrl(2), { body: [item('renamed')], etag: '"e2-new"' });

      // Act
      const second = await fetcher.fetch(OWNER, first.list);

      // Assert
      expect(second.notModified).toBe(false);
      expect(names(second.list)).toEqual(['p1-0', 'p1-1', 'renamed', 'p3-0', 'p3-1']);
    });
  });
});
