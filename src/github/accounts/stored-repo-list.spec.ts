import { estimateHeapBytes, HEAP_BYTES } from '../../cache/heap-size';
import { Repo } from './repo.model';
import { StoredRepo, StringPool } from './stored-repo';
import { describeCoverage, StoredPage, StoredRepoList } from './stored-repo-list';

function stored(name: string, owner = 'octocat'): StoredRepo {
  const repo: Repo = {
    name,
    fullName: `${owner}/${name}`,
    description: null,
    language: 'Go',
    stars: 1,
    forks: 0,
    url: `https://github.com/${owner}/${name}`,
    fork: false,
    archived: false,
    topics: [],
    openIssues: 0,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2020-01-02T00:00:00Z',
    pushedAt: '2020-01-03T00:00:00Z',
  };
  return StoredRepo.from(repo, new StringPool());
}

function page(
  url: string,
  repos: StoredRepo[] | null,
  extra: Partial<StoredPage> = {},
): StoredPage {
  return {
    url,
    etag: `"${url}"`,
    lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT',
    tokenFingerprint: 'tok_a',
    count: repos?.length ?? 100,
    repos,
    links: {},
    ...extra,
  };
}

describe(StoredRepoList.name, () => {
  it('should list the repositories of every page in reading order, each once whatever its case', () => {
    // Arrange: a repository pushed to while the pages were read shows up on two pages.
    const a = stored('a');
    const b = stored('B');
    const again = stored('b');

    // Act
    const list = new StoredRepoList({
      pages: [page('/p1', [a, b]), page('/p2', [again, stored('c')]), page('/last', null)],
      complete: true,
      publicRepos: 3,
    });

    // Assert
    expect(list.repos.map((r) => r.name)).toEqual(['a', 'B', 'c']);
    expect(list.repos[1]).toBe(b);
  });

  it('should say how complete it is', () => {
    const partial = new StoredRepoList({
      pages: [page('/p1', [stored('a')])],
      complete: false,
      publicRepos: 40,
    });

    expect(partial.complete).toBe(false);
    expect(partial.publicRepos).toBe(40);
    expect(partial.coverage).toBe('first 1 of 40 repositories, most recently pushed first');
  });

  it('should count its pages and the slots of its flat list, not the repositories twice', () => {
    const parts = {
      pages: [page('/p1', [stored('a'), stored('b')])],
      complete: true,
      publicRepos: 2,
    };
    const list = new StoredRepoList(parts);

    expect(list[HEAP_BYTES]()).toBe(estimateHeapBytes(parts) + 32 + 8 * 2);
  });

  it('should write repositories as tuples and read the same list back', () => {
    // Arrange
    const list = new StoredRepoList({
      pages: [
        page('/p1', [stored('a'), stored('b')], { links: { next: '/p2', last: '/p3' } }),
        page('/p3', null, { etag: undefined, lastModified: undefined, count: 7 }),
      ],
      complete: false,
      publicRepos: null,
    });

    // Act
    const json = JSON.parse(JSON.stringify(list)) as { pages: { repos: unknown[] | null }[] };
    const back = StoredRepoList.fromJSON(json);

    // Assert
    expect(json.pages[0].repos?.[0]).toEqual(stored('a').toTuple());
    expect(json.pages[1].repos).toBeNull();
    expect(
      back.parts.pages.map((p) => ({ ...p, repos: p.repos?.map((r) => r.toJSON()) ?? null })),
    ).toEqual(
      list.parts.pages.map((p) => ({ ...p, repos: p.repos?.map((r) => r.toJSON()) ?? null })),
    );
    expect(back.complete).toBe(false);
    expect(back.publicRepos).toBeNull();
    expect(back.repos.map((r) => r.fullName)).toEqual(['octocat/a', 'octocat/b']);
  });

  it('should read missing or odd page fields as absent', () => {
    const back = StoredRepoList.fromJSON({
      pages: [
        {
          url: '/p1',
          count: 0,
          etag: 1,
          lastModified: null,
          tokenFingerprint: 5,
          repos: 'no',
          links: { next: 3 },
        },
      ],
      complete: true,
      publicRepos: 0,
    });

    expect(back.parts.pages[0]).toEqual({
      url: '/p1',
      etag: undefined,
      lastModified: undefined,
      tokenFingerprint: '',
      count: 0,
      repos: null,
      links: {},
    });
  });

  it('should read links that are all strings', () => {
    const back = StoredRepoList.fromJSON({
      pages: [{ url: '/p1', count: 0, links: { next: '/p2' } }],
      complete: true,
      publicRepos: 0,
    });

    expect(back.parts.pages[0].links).toEqual({ next: '/p2' });
  });

  it.each([
    ['null', null],
    ['pages that are not a list', { pages: {}, complete: true, publicRepos: 1 }],
    ['complete that is not a boolean', { pages: [], complete: 'yes', publicRepos: 1 }],
    [
      'a count of public repositories that is not a number',
      { pages: [], complete: true, publicRepos: '1' },
    ],
    ['a missing count of public repositories', { pages: [], complete: true }],
  ])('should refuse %s', (_case, value) => {
    expect(() => StoredRepoList.fromJSON(value)).toThrow('not a stored repository list');
  });

  it.each([
    ['a page without a URL', { count: 1 }],
    ['a page without a count', { url: '/p1' }],
  ])('should refuse %s', (_case, pageValue) => {
    expect(() =>
      StoredRepoList.fromJSON({ pages: [pageValue], complete: true, publicRepos: 1 }),
    ).toThrow('not a stored page');
  });
});

describe(describeCoverage.name, () => {
  it.each([
    [1, true, 1, 'all 1 repository'],
    [0, true, 0, 'all 0 repositories'],
    [12345, true, 12345, 'all 12,345 repositories'],
    [10000, false, 104326, 'first 10,000 of 104,326 repositories, most recently pushed first'],
    [10000, false, null, 'first 10,000 repositories, most recently pushed first'],
  ])(
    'should describe %i read (complete: %s, public: %s) as %j',
    (read, complete, publicRepos, expected) => {
      expect(describeCoverage(read, complete, publicRepos)).toBe(expected);
    },
  );
});
