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
    // The first entry for a coding counts; a later one is ignored.
    ['br;q=0.5, gzip;q=0.8, br', 'gzip'],
    // Only a parameter named q is a weight; spaces around its = are allowed.
    ['br;qq=0, gzip;q=0.5', 'br'],
    ['br;xq=0, gzip;q=0.5', 'br'],
    ['br;q =0.5, gzip;q=0.8', 'gzip'],
    ['br;q= 0.5, gzip;q=0.4', 'br'],
    // qvalues (RFC 9110 §12.4.2): up to three decimals, 0 to 1; anything else is ignored.
    ['br;q=0.25, gzip;q=0.2', 'br'],
    ['br;q=1.00, identity;q=0.9', 'br'],
    ['gzip;q=20, br;q=0.9', 'br'],
    ['br;q=1.5, gzip;q=0.5', 'gzip'],
    ['br;q=0.5x, gzip;q=0.4', 'gzip'],
    [['deflate', 'br'], 'br'],
  ] as const)('should answer Accept-Encoding %j with %s', (header, expected) => {
    expect(negotiateContentCoding(header as string | string[] | undefined)).toBe(expected);
  });
});
