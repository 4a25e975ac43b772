import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY,
  isValidLogin,
  isValidRepoName,
  readLocation,
  writeLocation,
} from './location';

describe('readLocation', () => {
  it('should read nothing from an empty address', () => {
    expect(readLocation('')).toEqual({ user: null, repo: null, query: DEFAULT_QUERY });
  });

  it('should read every table option', () => {
    expect(
      readLocation(
        '?user=octocat&sort=pushed&direction=asc&language=Go&forks=exclude&page=4&perPage=10',
      ),
    ).toEqual({
      user: 'octocat',
      repo: null,
      query: {
        sort: 'pushed',
        direction: 'asc',
        language: 'Go',
        includeForks: false,
        page: 4,
        perPage: 10,
      },
    });
  });

  it("should use the sort's own direction when none is given", () => {
    expect(readLocation('?user=a&sort=name').query.direction).toBe('asc');
    expect(readLocation('?user=a&sort=created').query.direction).toBe('desc');
  });

  it.each([
    ['sort=size', { sort: 'stars' }],
    ['direction=up', { direction: 'desc' }],
    ['page=0', { page: 1 }],
    ['page=2.5', { page: 1 }],
    ['page=abc', { page: 1 }],
    ['perPage=7', { perPage: 30 }],
    ['language=', { language: undefined }],
  ])('should fall back to the default for %s', (search, expected) => {
    expect(readLocation(`?user=a&${search}`).query).toMatchObject(expected);
  });

  it('should read the repository of a deep link, with the table options behind it', () => {
    expect(readLocation('?user=octocat&repo=Hello-World.js&sort=name')).toMatchObject({
      user: 'octocat',
      repo: 'Hello-World.js',
      query: { sort: 'name' },
    });
  });

  it.each(['?repo=hello', '?user=octocat&repo=..', '?user=octocat&repo=a/b', '?user=x&repo='])(
    'should read no repository from %s',
    (search) => {
      expect(readLocation(search).repo).toBeNull();
    },
  );
});

describe('writeLocation', () => {
  it('should leave defaults out', () => {
    expect(writeLocation({ user: 'octocat', repo: null, query: DEFAULT_QUERY })).toBe(
      '?user=octocat',
    );
    expect(writeLocation({ user: null, repo: null, query: DEFAULT_QUERY })).toBe('');
  });

  it('should name the repository right after its account', () => {
    expect(
      writeLocation({ user: 'octocat', repo: 'hello', query: { ...DEFAULT_QUERY, page: 2 } }),
    ).toBe('?user=octocat&repo=hello&page=2');
  });

  it('should round-trip through readLocation', () => {
    const location = {
      user: 'octo-cat',
      repo: 'the_repo.v2',
      query: {
        sort: 'name' as const,
        direction: 'desc' as const,
        language: 'C++',
        includeForks: false,
        page: 3,
        perPage: 100,
      },
    };
    expect(readLocation(writeLocation(location))).toEqual(location);
  });
});

describe('isValidRepoName', () => {
  it.each(['hello', 'Hello-World', 'a.b_c', '.github', 'x'.repeat(100)])(
    'should accept %s',
    (name) => {
      expect(isValidRepoName(name)).toBe(true);
    },
  );

  it.each(['', '.', '..', 'a b', 'a/b', 'x'.repeat(101)])('should refuse "%s"', (name) => {
    expect(isValidRepoName(name)).toBe(false);
  });
});

describe('isValidLogin', () => {
  it.each(['octocat', 'a', 'octo-cat', 'A1-b2-C3', 'x'.repeat(39)])('should accept %s', (login) => {
    expect(isValidLogin(login)).toBe(true);
  });

  it.each(['', '-octocat', 'octocat-', 'octo--cat', 'octo cat', 'octo_cat', 'x'.repeat(40)])(
    'should refuse "%s"',
    (login) => {
      expect(isValidLogin(login)).toBe(false);
    },
  );
});
