import { formatLinkHeader, pageOf, parseLinkHeader } from './link-header';

const API = 'https://api.github.com/user/583231/repos';

describe(parseLinkHeader.name, () => {
  it('should read next and last from the first page of a GitHub list', () => {
    // Arrange
    const header = `<${API}?per_page=100&page=2>; rel="next", <${API}?per_page=100&page=5>; rel="last"`;

    // Act
    const links = parseLinkHeader(header);

    // Assert
    expect(links).toEqual({
      next: `${API}?per_page=100&page=2`,
      last: `${API}?per_page=100&page=5`,
    });
  });

  it('should read all four relations from a middle page', () => {
    // Arrange
    const header = [
      `<${API}?per_page=100&page=2>; rel="prev"`,
      `<${API}?per_page=100&page=4>; rel="next"`,
      `<${API}?per_page=100&page=5>; rel="last"`,
      `<${API}?per_page=100&page=1>; rel="first"`,
    ].join(', ');

    // Act
    const links = parseLinkHeader(header);

    // Assert
    expect(links).toEqual({
      first: `${API}?per_page=100&page=1`,
      prev: `${API}?per_page=100&page=2`,
      next: `${API}?per_page=100&page=4`,
      last: `${API}?per_page=100&page=5`,
    });
  });

  it('should read prev and first from the last page, which has no next', () => {
    // Arrange
    const header = `<${API}?per_page=100&page=4>; rel="prev", <${API}?per_page=100&page=1>; rel="first"`;

    // Act
    const links = parseLinkHeader(header);

    // Assert
    expect(links).toEqual({
      prev: `${API}?per_page=100&page=4`,
      first: `${API}?per_page=100&page=1`,
    });
  });

  it('should give each relation of a space-separated rel list the same URL', () => {
    // Act
    const links = parseLinkHeader(`<${API}?page=2>; rel="next last"`);

    // Assert
    expect(links).toEqual({ next: `${API}?page=2`, last: `${API}?page=2` });
  });

  it('should ignore relations other than first, prev, next and last', () => {
    // Act
    const links = parseLinkHeader(
      `<https://docs.github.com>; rel="help", <${API}?page=2>; rel="next"`,
    );

    // Assert
    expect(links).toEqual({ next: `${API}?page=2` });
  });

  it('should tolerate extra whitespace around the separators', () => {
    // Act
    const links = parseLinkHeader(`<${API}?page=2>  ;   rel="next" ,<${API}?page=3>;rel="last"`);

    // Assert
    expect(links).toEqual({ next: `${API}?page=2`, last: `${API}?page=3` });
  });

  it.each([undefined, ''])('should answer no relations for %p', (header) => {
    expect(parseLinkHeader(header)).toEqual({});
  });

  it('should answer no relations for a header that is not a Link list', () => {
    expect(parseLinkHeader('garbage; rel=next')).toEqual({});
  });

  it('should give the same answer when called twice (no regex state kept)', () => {
    // Arrange
    const header = `<${API}?page=2>; rel="next", <${API}?page=5>; rel="last"`;

    // Act
    const first = parseLinkHeader(header);
    const second = parseLinkHeader(header);

    // Assert
    expect(second).toEqual(first);
  });
});

describe(formatLinkHeader.name, () => {
  it('should write relations in first, prev, next, last order', () => {
    // Act
    const header = formatLinkHeader({ last: '/l', next: '/n', first: '/f', prev: '/p' });

    // Assert
    expect(header).toBe('</f>; rel="first", </p>; rel="prev", </n>; rel="next", </l>; rel="last"');
  });

  it('should answer undefined when there is no relation', () => {
    expect(formatLinkHeader({})).toBeUndefined();
  });

  it('should be read back by parseLinkHeader', () => {
    // Arrange
    const links = { first: `${API}?page=1`, next: `${API}?page=3`, last: `${API}?page=9` };

    // Act
    const roundTrip = parseLinkHeader(formatLinkHeader(links));

    // Assert
    expect(roundTrip).toEqual(links);
  });
});

describe(pageOf.name, () => {
  it.each([
    [`${API}?per_page=100&page=2`, 2],
    [`${API}?page=34&per_page=100`, 34],
    ['/github/repos/octocat?page=7&perPage=30', 7],
  ])('should read the page of %s', (url, page) => {
    expect(pageOf(url)).toBe(page);
  });

  it.each([
    undefined,
    '',
    `${API}?per_page=100`,
    `${API}?page=0`,
    `${API}?page=-1`,
    `${API}?page=1.5`,
    `${API}?page=abc`,
    `${API}?page=`,
  ])('should answer undefined for %p', (url) => {
    expect(pageOf(url)).toBeUndefined();
  });
});
