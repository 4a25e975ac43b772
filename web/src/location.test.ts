import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, isValidLogin, readLocation, writeLocation } from './location';

describe('readLocation', () => {
  it('should read nothing from an empty address', () => {
    expect(readLocation('')).toEqual({ user: null, query: DEFAULT_QUERY });
  });

  it('should read every table option', () => {
    expect(
      readLocation(
        '?user=octocat&sort=pushed&direction=asc&language=Go&forks=exclude&page=4&perPage=10',
      ),
    ).toEqual({
      user: 'octocat',
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
});

describe('writeLocation', () => {
  it('should leave defaults out', () => {
    expect(writeLocation({ user: 'octocat', query: DEFAULT_QUERY })).toBe('?user=octocat');
    expect(writeLocation({ user: null, query: DEFAULT_QUERY })).toBe('');
  });

  it('should round-trip through readLocation', () => {
    const location = {
      user: 'octo-cat',
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
