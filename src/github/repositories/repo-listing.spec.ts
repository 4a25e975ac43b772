import { estimateHeapBytes } from '../../cache/heap-size';
import { Repo } from '../accounts/repo.model';
import {
  REPO_SORTS,
  RepoListingOptions,
  RepoSort,
  SortDirection,
} from './dto/repo-listing-options';
import { defaultDirection, listingHeapBytes, listRepos } from './repo-listing';

function repo(overrides: Partial<Repo> & Pick<Repo, 'name'>): Repo {
  return {
    fullName: `octocat/${overrides.name}`,
    description: null,
    language: null,
    stars: 0,
    forks: 0,
    url: `https://github.com/octocat/${overrides.name}`,
    fork: false,
    archived: false,
    topics: [],
    openIssues: 0,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2020-01-01T00:00:00Z',
    pushedAt: '2020-01-01T00:00:00Z',
    ...overrides,
  };
}

function options(overrides: Partial<RepoListingOptions> = {}): RepoListingOptions {
  return { sort: 'stars', includeForks: true, page: 1, perPage: 100, ...overrides };
}

const names = (repos: Repo[]): string[] => repos.map((r) => r.name);

/** mulberry32: a tiny seeded generator, so a failure reproduces exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Few distinct values per key, so ties (and the tie-break) are common. */
function randomRepos(count: number, seed: number): Repo[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const languages = ['TypeScript', 'typescript', 'Go', 'GO', 'Python', 'C++', null, null];
  const owners = ['octocat', 'Octo-Org', 'zed'];
  const letters = 'abcXYZ0-';
  const day = (): string =>
    new Date(Date.UTC(2015 + Math.floor(random() * 3), 0, 1 + Math.floor(random() * 20)))
      .toISOString()
      .replace('.000Z', 'Z');
  return Array.from({ length: count }, (_, i) => {
    const name = `${Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick([...letters])).join('')}${i % 7 === 0 ? '' : String(i)}`;
    const owner = pick(owners);
    return {
      name,
      // Unique even when names collide: GitHub full names are unique per listing.
      fullName: `${owner}/${name}-${i}`,
      description: random() < 0.5 ? null : `repo ${i}`,
      language: pick(languages),
      stars: Math.floor(random() * 8),
      forks: Math.floor(random() * 5),
      url: `https://github.com/${owner}/${name}-${i}`,
      fork: random() < 0.3,
      archived: random() < 0.1,
      topics: [],
      openIssues: Math.floor(random() * 3),
      createdAt: day(),
      updatedAt: day(),
      pushedAt: random() < 0.15 ? null : day(),
    };
  });
}

/**
 * A deliberately different implementation: partition out missing values, compare dates as
 * instants rather than strings, and sort each part with its own comparator.
 */
function referenceListing(repos: Repo[], opts: RepoListingOptions) {
  const wanted = opts.language?.toLowerCase();
  const kept = repos.filter((r) => {
    if (r.fork && !opts.includeForks) return false;
    if (wanted === undefined) return true;
    if (wanted === 'none') return r.language === null;
    return r.language !== null && r.language.toLowerCase() === wanted;
  });
  const value = (r: Repo): number | string | null => {
    switch (opts.sort) {
      case 'stars':
        return r.stars;
      case 'forks':
        return r.forks;
      case 'name':
        return r.name.toLowerCase();
      case 'updated':
        return Date.parse(r.updatedAt);
      case 'created':
        return Date.parse(r.createdAt);
      case 'pushed':
        return r.pushedAt === null ? null : Date.parse(r.pushedAt);
    }
  };
  const direction = opts.direction ?? (opts.sort === 'name' ? 'asc' : 'desc');
  const byFullName = (a: Repo, b: Repo): number => {
    const x = a.fullName.toLowerCase();
    const y = b.fullName.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  };
  const present = kept.filter((r) => value(r) !== null);
  const missing = kept.filter((r) => value(r) === null);
  present.sort((a, b) => {
    const x = value(a) as number | string;
    const y = value(b) as number | string;
    if (x === y) return byFullName(a, b);
    const ascending = x < y ? -1 : 1;
    return direction === 'asc' ? ascending : -ascending;
  });
  missing.sort(byFullName);
  const ordered = [...present, ...missing];
  const start = (opts.page - 1) * opts.perPage;
  return {
    total: ordered.length,
    lastPage: Math.max(1, Math.ceil(ordered.length / opts.perPage)),
    fullNames: ordered.slice(start, start + opts.perPage).map((r) => r.fullName),
  };
}

describe(listRepos.name, () => {
  describe('sorting', () => {
    const repos = [
      repo({
        name: 'beta',
        stars: 5,
        forks: 1,
        createdAt: '2021-01-01T00:00:00Z',
        updatedAt: '2023-06-01T00:00:00Z',
        pushedAt: '2023-05-01T00:00:00Z',
      }),
      repo({
        name: 'Alpha',
        stars: 10,
        forks: 0,
        createdAt: '2019-01-01T00:00:00Z',
        updatedAt: '2022-01-01T00:00:00Z',
        pushedAt: '2024-01-01T00:00:00Z',
      }),
      repo({
        name: 'gamma',
        stars: 1,
        forks: 7,
        createdAt: '2022-01-01T00:00:00Z',
        updatedAt: '2021-01-01T00:00:00Z',
        pushedAt: '2020-01-01T00:00:00Z',
      }),
    ];

    it.each<[RepoSort, string[]]>([
      ['stars', ['Alpha', 'beta', 'gamma']],
      ['forks', ['gamma', 'beta', 'Alpha']],
      ['name', ['Alpha', 'beta', 'gamma']],
      ['updated', ['beta', 'Alpha', 'gamma']],
      ['pushed', ['Alpha', 'beta', 'gamma']],
      ['created', ['gamma', 'beta', 'Alpha']],
    ])('should sort by %s in its default direction', (sort, expected) => {
      // Act
      const page = listRepos(repos, options({ sort }));

      // Assert
      expect(names(page.repos)).toEqual(expected);
    });

    it.each<[RepoSort, SortDirection]>([
      ['stars', 'desc'],
      ['forks', 'desc'],
      ['name', 'asc'],
      ['updated', 'desc'],
      ['pushed', 'desc'],
      ['created', 'desc'],
    ])('should default %s to %s', (sort, direction) => {
      expect(defaultDirection(sort)).toBe(direction);
    });

    it.each<[RepoSort, SortDirection, string[]]>([
      ['stars', 'asc', ['gamma', 'beta', 'Alpha']],
      ['stars', 'desc', ['Alpha', 'beta', 'gamma']],
      ['forks', 'asc', ['Alpha', 'beta', 'gamma']],
      ['forks', 'desc', ['gamma', 'beta', 'Alpha']],
      ['name', 'asc', ['Alpha', 'beta', 'gamma']],
      ['name', 'desc', ['gamma', 'beta', 'Alpha']],
      ['updated', 'asc', ['gamma', 'Alpha', 'beta']],
      ['updated', 'desc', ['beta', 'Alpha', 'gamma']],
      ['pushed', 'asc', ['gamma', 'beta', 'Alpha']],
      ['pushed', 'desc', ['Alpha', 'beta', 'gamma']],
      ['created', 'asc', ['Alpha', 'beta', 'gamma']],
      ['created', 'desc', ['gamma', 'beta', 'Alpha']],
    ])('should sort by %s %s when the direction is explicit', (sort, direction, expected) => {
      // Act
      const page = listRepos(repos, options({ sort, direction }));

      // Assert
      expect(names(page.repos)).toEqual(expected);
    });

    it('should sort names case-insensitively', () => {
      // Arrange
      const mixed = [repo({ name: 'b' }), repo({ name: 'C' }), repo({ name: 'a' })];

      // Act
      const page = listRepos(mixed, options({ sort: 'name' }));

      // Assert
      expect(names(page.repos)).toEqual(['a', 'b', 'C']);
    });

    it.each<SortDirection>(['asc', 'desc'])(
      'should put repositories never pushed to last when sorting pushed %s',
      (direction) => {
        // Arrange
        const withNull = [
          repo({ name: 'never-a', pushedAt: null }),
          repo({ name: 'old', pushedAt: '2019-01-01T00:00:00Z' }),
          repo({ name: 'never-b', pushedAt: null }),
          repo({ name: 'new', pushedAt: '2024-01-01T00:00:00Z' }),
        ];

        // Act
        const page = listRepos(withNull, options({ sort: 'pushed', direction }));

        // Assert
        expect(names(page.repos)).toEqual(
          direction === 'asc'
            ? ['old', 'new', 'never-a', 'never-b']
            : ['new', 'old', 'never-a', 'never-b'],
        );
      },
    );

    it.each<SortDirection>(['asc', 'desc'])(
      'should break ties by full name ascending whatever the direction (%s)',
      (direction) => {
        // Arrange
        const tied = [
          repo({ name: 'x', fullName: 'octocat/Zeta', stars: 3 }),
          repo({ name: 'x', fullName: 'octocat/alpha', stars: 3 }),
          repo({ name: 'x', fullName: 'octocat/Mu', stars: 3 }),
        ];

        // Act
        const page = listRepos(tied, options({ sort: 'stars', direction }));

        // Assert
        expect(page.repos.map((r) => r.fullName)).toEqual([
          'octocat/alpha',
          'octocat/Mu',
          'octocat/Zeta',
        ]);
      },
    );

    it('should give the same order whatever the input order', () => {
      // Arrange
      const repos500 = randomRepos(500, 7);
      const shuffled = [...repos500].reverse();

      for (const sort of REPO_SORTS) {
        // Act
        const a = listRepos(repos500, options({ sort, perPage: 500 }));
        const b = listRepos(shuffled, options({ sort, perPage: 500 }));

        // Assert
        expect(b.repos.map((r) => r.fullName)).toEqual(a.repos.map((r) => r.fullName));
      }
    });
  });

  describe('filtering', () => {
    const repos = [
      repo({ name: 'ts', language: 'TypeScript', stars: 3 }),
      repo({ name: 'ts-lower', language: 'typescript', stars: 2 }),
      repo({ name: 'go', language: 'Go', stars: 1 }),
      repo({ name: 'plain', language: null, stars: 0 }),
      repo({ name: 'forked-ts', language: 'TypeScript', fork: true, stars: 4 }),
    ];

    it.each(['typescript', 'TypeScript', 'TYPESCRIPT'])(
      'should match the language case-insensitively (%s)',
      (language) => {
        // Act
        const page = listRepos(repos, options({ language }));

        // Assert
        expect(names(page.repos)).toEqual(['forked-ts', 'ts', 'ts-lower']);
        expect(page.total).toBe(3);
      },
    );

    it.each(['none', 'None', 'NONE'])(
      'should keep only repositories without a language for %s',
      (language) => {
        // Act
        const page = listRepos(repos, options({ language }));

        // Assert
        expect(names(page.repos)).toEqual(['plain']);
      },
    );

    it('should keep nothing for a language no repository has', () => {
      // Act
      const page = listRepos(repos, options({ language: 'Rust' }));

      // Assert
      expect(page.repos).toEqual([]);
      expect(page.total).toBe(0);
      expect(page.lastPage).toBe(1);
    });

    it('should drop forks when includeForks is false', () => {
      // Act
      const page = listRepos(repos, options({ includeForks: false }));

      // Assert
      expect(names(page.repos)).toEqual(['ts', 'ts-lower', 'go', 'plain']);
      expect(page.total).toBe(4);
    });

    it('should keep forks when includeForks is true', () => {
      // Act
      const page = listRepos(repos, options({ includeForks: true }));

      // Assert
      expect(page.total).toBe(5);
    });

    it('should combine the language filter with includeForks=false', () => {
      // Act
      const page = listRepos(repos, options({ language: 'typescript', includeForks: false }));

      // Assert
      expect(names(page.repos)).toEqual(['ts', 'ts-lower']);
    });
  });

  describe('paging', () => {
    const repos = Array.from({ length: 7 }, (_, i) => repo({ name: `r${i}`, stars: 100 - i }));

    it.each([
      [1, 3, ['r0', 'r1', 'r2']],
      [2, 3, ['r3', 'r4', 'r5']],
      [3, 3, ['r6']],
      [1, 7, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']],
      [2, 1, ['r1']],
    ])('should cut page %i of %i per page', (page, perPage, expected) => {
      // Act
      const result = listRepos(repos, options({ page, perPage }));

      // Assert
      expect(names(result.repos)).toEqual(expected);
      expect(result.page).toBe(page);
      expect(result.perPage).toBe(perPage);
    });

    it.each([
      [3, 3],
      [7, 1],
      [1, 7],
      [100, 1],
    ])('should report lastPage with %i per page as %i', (perPage, lastPage) => {
      // Act
      const result = listRepos(repos, options({ perPage }));

      // Assert
      expect(result.lastPage).toBe(lastPage);
    });

    it('should count the total after filtering, not per page', () => {
      // Arrange
      const mixed = [...repos, repo({ name: 'fork', fork: true })];

      // Act
      const result = listRepos(mixed, options({ includeForks: false, perPage: 2 }));

      // Assert
      expect(result.total).toBe(7);
      expect(result.repos).toHaveLength(2);
      expect(result.lastPage).toBe(4);
    });

    it('should answer an empty page beyond the last one', () => {
      // Act
      const result = listRepos(repos, options({ page: 4, perPage: 3 }));

      // Assert
      expect(result.repos).toEqual([]);
      expect(result.total).toBe(7);
      expect(result.lastPage).toBe(3);
      expect(result.page).toBe(4);
    });

    it('should report one page for an empty list', () => {
      // Act
      const result = listRepos([], options());

      // Assert
      expect(result).toEqual({ total: 0, page: 1, perPage: 100, lastPage: 1, repos: [] });
    });

    it('should not change the input array', () => {
      // Arrange
      const input = [...repos].reverse();
      const before = names(input);

      // Act
      listRepos(input, options({ sort: 'name' }));

      // Assert
      expect(names(input)).toEqual(before);
    });
  });

  describe('against a reference implementation', () => {
    const repos = randomRepos(500, 20240611);
    const directions: (SortDirection | undefined)[] = [undefined, 'asc', 'desc'];
    const languages: (string | undefined)[] = [undefined, 'typescript', 'GO', 'none', 'Rust'];
    const cases = REPO_SORTS.flatMap((sort) =>
      directions.flatMap((direction) =>
        languages.flatMap((language) =>
          [true, false].map((includeForks) => ({ sort, direction, language, includeForks })),
        ),
      ),
    );

    it('should generate data with ties, nulls and forks worth testing', () => {
      expect(repos.filter((r) => r.pushedAt === null).length).toBeGreaterThan(20);
      expect(repos.filter((r) => r.fork).length).toBeGreaterThan(50);
      expect(new Set(repos.map((r) => r.stars)).size).toBeLessThan(10);
    });

    it.each(cases)(
      'should match for sort=$sort direction=$direction language=$language includeForks=$includeForks',
      (c) => {
        for (const [page, perPage] of [
          [1, 500],
          [1, 30],
          [3, 30],
          [7, 17],
          [40, 30],
        ]) {
          // Arrange
          const opts = options({ ...c, page, perPage });

          // Act
          const actual = listRepos(repos, opts);

          // Assert
          const expected = referenceListing(repos, opts);
          expect(actual.total).toBe(expected.total);
          expect(actual.lastPage).toBe(expected.lastPage);
          expect(actual.repos.map((r) => r.fullName)).toEqual(expected.fullNames);
        }
      },
    );
  });
});

describe(listingHeapBytes.name, () => {
  it('should count every repository of a cached page in full: the page may outlive its list', () => {
    const repos = Array.from({ length: 30 }, (_, i) =>
      repo({ name: `repo-${i}`, description: 'A description of some length', topics: ['a', 'b'] }),
    );
    const page = listRepos(repos, { sort: 'name', includeForks: true, page: 1, perPage: 30 });
    const eachRepo = estimateHeapBytes(repos[0]);

    expect(eachRepo).toBeGreaterThan(200);
    expect(listingHeapBytes(page)).toBeGreaterThanOrEqual(30 * eachRepo);
  });

  it('should grow with the repositories the page holds', () => {
    const repos = Array.from({ length: 10 }, (_, i) => repo({ name: `repo-${i}` }));
    const small = listRepos(repos, { sort: 'name', includeForks: true, page: 1, perPage: 2 });
    const large = listRepos(repos, { sort: 'name', includeForks: true, page: 1, perPage: 10 });

    expect(listingHeapBytes(large) - listingHeapBytes(small)).toBe(
      estimateHeapBytes(large.repos) - estimateHeapBytes(small.repos),
    );
  });
});
