import { negotiateContentCoding } from './content-coding';

describe(negotiateContentCoding.name, () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0.5, gzip;q=0.5', 'br'],
    ['gzip; q=0.9, br; Q=0.8', 'gzip'],
    ['deflate, zstd', 'identity'],
    ['identity', 'identity'],
    ['identity;q=1, br;q=0.5', 'identity'],
    ['identity;q=0.5, br;q=0.5', 'br'],
    ['br;q=0.1', 'br'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['*;q=0', 'identity'],
    ['identity;q=0', 'identity'],
    ['identity;q=0, deflate', 'identity'],
    ['identity;q=0, gzip', 'gzip'],
    ['br;q=2, gzip', 'gzip'],
    ['br;q=0.0001, gzip;q=0.1', 'gzip'],
    [['deflate', 'br'], 'br'],
  ] as const)('should answer Accept-Encoding %j with %s', (header, expected) => {
    expect(negotiateContentCoding(header as string | string[] | undefined)).toBe(expected);
  });
});
