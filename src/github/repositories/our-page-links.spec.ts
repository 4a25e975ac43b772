import { parseLinkHeader } from '../api/link-header';
import { ourPageLinks } from './our-page-links';

const PATH = '/github/repos/octocat';

function linksOf(header: string | undefined): Record<string, URL> {
  return Object.fromEntries(
    Object.entries(parseLinkHeader(header)).map(([rel, url]) => [
      rel,
      new URL(url, 'http://ours.invalid'),
    ]),
  );
}

describe(ourPageLinks.name, () => {
  it('should name first, prev, next and last for a middle page', () => {
    // Act
    const header = ourPageLinks(PATH, {}, { page: 2, perPage: 10, lastPage: 4 });

    // Assert
    expect(header).toBe(
      [
        `<${PATH}?page=1&perPage=10>; rel="first"`,
        `<${PATH}?page=1&perPage=10>; rel="prev"`,
        `<${PATH}?page=3&perPage=10>; rel="next"`,
        `<${PATH}?page=4&perPage=10>; rel="last"`,
      ].join(', '),
    );
  });

  it('should name no prev on page 1', () => {
    // Act
    const links = linksOf(ourPageLinks(PATH, {}, { page: 1, perPage: 10, lastPage: 4 }));

    // Assert
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next']);
    expect(links.next.searchParams.get('page')).toBe('2');
  });

  it('should name no next on the last page', () => {
    // Act
    const links = linksOf(ourPageLinks(PATH, {}, { page: 4, perPage: 10, lastPage: 4 }));

    // Assert
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'prev']);
    expect(links.prev.searchParams.get('page')).toBe('3');
  });

  it('should name only first and last when there is a single page', () => {
    // Act
    const links = linksOf(ourPageLinks(PATH, {}, { page: 1, perPage: 30, lastPage: 1 }));

    // Assert
    expect(Object.keys(links).sort()).toEqual(['first', 'last']);
    expect(links.first.searchParams.get('page')).toBe('1');
    expect(links.last.searchParams.get('page')).toBe('1');
  });

  it('should point prev at the last page, and name no next, for a page beyond the last', () => {
    // Act
    const links = linksOf(ourPageLinks(PATH, {}, { page: 9, perPage: 10, lastPage: 4 }));

    // Assert
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'prev']);
    expect(links.prev.searchParams.get('page')).toBe('4');
    expect(links.last.searchParams.get('page')).toBe('4');
  });

  it("should keep the caller's other query parameters on every link", () => {
    // Arrange
    const query = {
      sort: 'name',
      direction: 'desc',
      language: 'C++',
      includeForks: false,
      page: 2,
      perPage: 5,
    };

    // Act
    const links = linksOf(ourPageLinks(PATH, query, { page: 2, perPage: 5, lastPage: 3 }));

    // Assert
    for (const url of Object.values(links)) {
      expect(url.pathname).toBe(PATH);
      expect(url.searchParams.get('sort')).toBe('name');
      expect(url.searchParams.get('direction')).toBe('desc');
      expect(url.searchParams.get('language')).toBe('C++');
      expect(url.searchParams.get('includeForks')).toBe('false');
      expect(url.searchParams.getAll('page')).toHaveLength(1);
      expect(url.searchParams.getAll('perPage')).toEqual(['5']);
    }
    expect(links.first.searchParams.get('page')).toBe('1');
    expect(links.prev.searchParams.get('page')).toBe('1');
    expect(links.next.searchParams.get('page')).toBe('3');
    expect(links.last.searchParams.get('page')).toBe('3');
  });

  it('should leave out parameters the caller did not send', () => {
    // Act
    const links = linksOf(
      ourPageLinks(
        PATH,
        { sort: undefined, language: undefined },
        { page: 1, perPage: 30, lastPage: 2 },
      ),
    );

    // Assert
    expect([...links.next.searchParams.keys()].sort()).toEqual(['page', 'perPage']);
  });

  it('should carry the effective perPage when the caller relied on the default', () => {
    // Act
    const links = linksOf(
      ourPageLinks(PATH, { sort: 'stars' }, { page: 1, perPage: 30, lastPage: 2 }),
    );

    // Assert
    expect(links.next.searchParams.get('perPage')).toBe('30');
  });

  it("should put our page and perPage after the caller's other parameters, whatever the caller sent", () => {
    const header = ourPageLinks(
      PATH,
      { page: 9, perPage: 99, sort: 'stars' },
      { page: 1, perPage: 10, lastPage: 1 },
    );

    expect(header).toBe(
      [
        `<${PATH}?sort=stars&page=1&perPage=10>; rel="first"`,
        `<${PATH}?sort=stars&page=1&perPage=10>; rel="last"`,
      ].join(', '),
    );
  });
});
