import { testCacheConfig, testCacheStore } from '../../../test/support/cache-config';
import { ConditionalRequest, GithubClient, GithubResponse } from './github-client.service';
import { GithubNotFoundError } from '../api/github-errors';
import { CachedPage, GithubPageCache } from './github-page-cache';
import { githubNotModified, githubOk } from '../../../test/support/github-responses';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

type Get = (pathOrUrl: string, conditional?: ConditionalRequest) => Promise<GithubResponse>;

/**
 * The GitHub client's seam, strict: each test queues GitHub's answers, and an answer nobody
 * arranged fails the test.
 */
function fakeClient(...answers: (GithubResponse | Error)[]) {
  const get = jest.fn<ReturnType<Get>, Parameters<Get>>(() => {
    const answer = answers.shift();
    if (answer === undefined) {
      return Promise.reject(new Error('unexpected GitHub call'));
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  });
  return { client: { get } as unknown as GithubClient, get };
}

function pageCache(client: GithubClient) {
  const config = testCacheConfig({ ttlSeconds: 60, staleSeconds: 3600 });
  const { store, metrics } = testCacheStore(config);
  return { pages: new GithubPageCache(client, store, config, metrics), store, metrics };
}

const names = (body: unknown): string[] => (body as { name: string }[]).map((r) => r.name);

describe(GithubPageCache.name, () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should fetch a page it does not hold without validators, map it and keep it', async () => {
    // Arrange
    const { client, get } = fakeClient(
      githubOk([{ name: 'a' }], {
        links: { next: 'https://api.github.com/x?page=2' },
        lastModified: 'Mon',
      }),
    );
    const { pages, store } = pageCache(client);
    const set = jest.spyOn(store, 'set');

    // Act
    const result = await pages.fetch('/users/octocat/repos?per_page=100', names);

    // Assert
    expect(get).toHaveBeenCalledWith(
      '/users/octocat/repos?per_page=100',
      { etag: undefined, lastModified: undefined, tokenFingerprint: undefined },
      undefined,
    );
    const page: CachedPage<string[]> = {
      data: ['a'],
      fetchedAt: NOW,
      links: { next: 'https://api.github.com/x?page=2' },
      etag: '"v1"',
      lastModified: 'Mon',
      tokenFingerprint: 'tok_a',
    };
    expect(result).toEqual({ page, notModified: false });
    expect(set).toHaveBeenCalledWith('gh:page:/users/octocat/repos?per_page=100', page, 3_660_000);
  });

  it('should revalidate a held page with its validators on the token that got them, and keep its data on a 304', async () => {
    // Arrange
    const { client, get } = fakeClient(
      githubOk([{ name: 'a' }], {
        links: { next: 'https://api.github.com/x?page=2' },
        lastModified: 'Mon',
      }),
      githubNotModified({ lastModified: 'Mon' }),
    );
    const { pages } = pageCache(client);
    const map = jest.fn(names);
    await pages.fetch('/users/octocat/repos', map);
    (Date.now as jest.Mock).mockReturnValue(NOW + 90_000);

    // Act
    const result = await pages.fetch('/users/octocat/repos', map);

    // Assert
    expect(get).toHaveBeenLastCalledWith(
      '/users/octocat/repos',
      { etag: '"v1"', lastModified: 'Mon', tokenFingerprint: 'tok_a' },
      undefined,
    );
    expect(map).toHaveBeenCalledTimes(1);
    expect(result.notModified).toBe(true);
    expect(result.page).toMatchObject({
      data: ['a'],
      fetchedAt: NOW + 90_000,
      links: { next: 'https://api.github.com/x?page=2' },
    });
  });

  it("should prefer a 304's own Link header to the held one", async () => {
    const { client } = fakeClient(
      githubOk([{ name: 'a' }], { links: { last: 'https://api.github.com/x?page=2' } }),
      githubNotModified({ links: { last: 'https://api.github.com/x?page=3' } }),
    );
    const { pages } = pageCache(client);
    await pages.fetch('/p', names);

    const result = await pages.fetch('/p', names);

    expect(result.page.links).toEqual({ last: 'https://api.github.com/x?page=3' });
  });

  it('should take the links of a 200 even when it has none', async () => {
    const { client } = fakeClient(
      githubOk([{ name: 'a' }], { links: { next: 'https://api.github.com/x?page=2' } }),
      githubOk([{ name: 'b' }], { etag: '"v2"' }),
    );
    const { pages } = pageCache(client);
    await pages.fetch('/p', names);

    const result = await pages.fetch('/p', names);

    expect(result).toMatchObject({
      notModified: false,
      page: { data: ['b'], links: {}, etag: '"v2"' },
    });
  });

  it('should key pages by path and query, whatever the origin of a Link URL', async () => {
    const { client, get } = fakeClient(
      githubOk([{ name: 'a' }]),
      githubNotModified(),
      githubOk([{ name: 'c' }]),
    );
    const { pages } = pageCache(client);
    await pages.fetch('/repos?page=2', names);

    const same = await pages.fetch('https://api.github.com/repos?page=2', names);
    const other = await pages.fetch('/repos?page=3', names);

    expect(same).toMatchObject({ notModified: true, page: { data: ['a'] } });
    expect(other.page.data).toEqual(['c']);
    expect(get.mock.calls[2][1]).toEqual({
      etag: undefined,
      lastModified: undefined,
      tokenFingerprint: undefined,
    });
  });

  it('should share one GitHub request among concurrent fetches of a page', async () => {
    const { client, get } = fakeClient(githubOk([{ name: 'a' }]));
    const { pages, metrics } = pageCache(client);

    const [a, b] = await Promise.all([pages.fetch('/p', names), pages.fetch('/p', names)]);

    expect(get).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(await metrics.registry.getSingleMetricAsString('coalesced_waiters_total')).toMatch(
      / 1$/m,
    );
  });

  it("should pass GitHub's failure on and keep nothing", async () => {
    const failure = new GithubNotFoundError('GitHub has no such user or resource');
    const { client } = fakeClient(failure);
    const { pages, store } = pageCache(client);

    await expect(pages.fetch('/p', names)).rejects.toBe(failure);
    expect(store.peek('gh:page:/p')).toBeUndefined();
  });

  it('should keep another media type apart, and ask GitHub for it', async () => {
    const accept = 'application/vnd.github.star+json';
    const { client, get } = fakeClient(
      githubOk([{ name: 'plain' }]),
      githubOk([{ name: 'starred' }]),
    );
    const { pages, store } = pageCache(client);

    await pages.fetch('/p', names);
    const starred = await pages.fetch('/p', names, { accept });

    expect(starred.page.data).toEqual(['starred']);
    expect(get).toHaveBeenLastCalledWith(
      '/p',
      { etag: undefined, lastModified: undefined, tokenFingerprint: undefined },
      accept,
    );
    expect(store.peek(`gh:page:/p#${accept}`)).toMatchObject({ data: ['starred'] });
  });

  it('should serve a held page without asking GitHub when the caller says it may be reused', async () => {
    const { client, get } = fakeClient(githubOk([{ name: 'a' }]));
    const { pages } = pageCache(client);
    const first = await pages.fetch('/p', names);

    const reused = await pages.fetch('/p', names, { reuse: (page) => page.etag === '"v1"' });

    expect(get).toHaveBeenCalledTimes(1);
    expect(reused).toEqual({ page: first.page, notModified: true });
  });

  it('should ask GitHub when the caller will not reuse the held page', async () => {
    const { client, get } = fakeClient(githubOk([{ name: 'a' }]), githubNotModified());
    const { pages } = pageCache(client);
    await pages.fetch('/p', names);

    await pages.fetch('/p', names, { reuse: () => false });

    expect(get).toHaveBeenCalledTimes(2);
  });

  it('should keep a page for the retention the caller asks for', async () => {
    const { client } = fakeClient(githubOk([{ name: 'a' }]));
    const { pages, store } = pageCache(client);
    const set = jest.spyOn(store, 'set');

    await pages.fetch('/p', names, { retentionMs: 5_000 });

    expect(set).toHaveBeenCalledWith('gh:page:/p', expect.anything(), 5_000);
  });
});
