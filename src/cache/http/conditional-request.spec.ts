import { ifNoneMatchMatches, wantsRevalidation } from './conditional-request';

const ETAG = 'W/"abc123"';

describe(ifNoneMatchMatches.name, () => {
  it.each([
    ['the same weak tag', 'W/"abc123"'],
    ['the strong form of the weak tag (weak comparison)', '"abc123"'],
    ['the tag inside a list', '"other", W/"abc123", "third"'],
    ['the tag in a list without spaces', '"other",W/"abc123"'],
    ['the tag with surrounding spaces', '  W/"abc123"  '],
    ['*', '*'],
    ['* inside a list', '"other", *'],
  ])('should match %s', (_case, header) => {
    expect(ifNoneMatchMatches(header, ETAG)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another tag', 'W/"abc124"'],
    ['a tag that only contains ours', 'W/"abc123x"'],
    ['the tag without its quotes', 'abc123'],
    ['a list of other tags', '"one", W/"two"'],
    ['a W/ in the middle of a tag', '"W/abc123"'],
  ])('should not match %s', (_case, header) => {
    expect(ifNoneMatchMatches(header, ETAG)).toBe(false);
  });

  it('should match a weak header against a strong ETag', () => {
    expect(ifNoneMatchMatches('W/"abc123"', '"abc123"')).toBe(true);
  });

  it('should read a header sent several times (an array)', () => {
    expect(ifNoneMatchMatches(['"one"', 'W/"abc123"'], ETAG)).toBe(true);
    expect(ifNoneMatchMatches(['"one"', '"two"'], ETAG)).toBe(false);
  });
});

describe(wantsRevalidation.name, () => {
  it.each([
    'no-cache',
    'No-Cache',
    'max-age=0',
    'no-store, no-cache',
    'no-store,no-cache',
    'no-cache , no-store',
    ' max-age=0 ',
  ])('should revalidate for Cache-Control %j', (cacheControl) => {
    expect(wantsRevalidation({ 'cache-control': cacheControl })).toBe(true);
  });

  it.each([
    undefined,
    '',
    'max-age=60',
    'max-age=00',
    'no-store',
    'x-no-cache',
    'no-cache-please',
    'max-age=0x',
  ])('should not revalidate for Cache-Control %j', (cacheControl) => {
    expect(wantsRevalidation({ 'cache-control': cacheControl })).toBe(false);
  });
});
