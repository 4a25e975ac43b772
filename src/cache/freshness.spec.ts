import { freshnessOf, remainingFreshSeconds, retentionMs } from './freshness';

const policy = { ttlSeconds: 60, staleSeconds: 3600 };
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

describe(freshnessOf.name, () => {
  it.each([
    [0, 'fresh'],
    [59_999, 'fresh'],
    [60_000, 'stale'],
    [3_600_000, 'stale'],
  ] as const)('should call an entry fetched %i ms ago %s', (ageMs, expected) => {
    expect(freshnessOf({ fetchedAt: NOW - ageMs }, policy, NOW)).toBe(expected);
  });

  it('should judge against the current time when given none', () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    try {
      expect(freshnessOf({ fetchedAt: NOW - 59_000 }, policy)).toBe('fresh');
      expect(freshnessOf({ fetchedAt: NOW - 61_000 }, policy)).toBe('stale');
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe(retentionMs.name, () => {
  it('should keep an entry for its fresh time plus its stale time', () => {
    expect(retentionMs(policy)).toBe(3_660_000);
  });
});

describe(remainingFreshSeconds.name, () => {
  it.each([
    [0, 60],
    [500, 59],
    [1_000, 59],
    [59_001, 0],
    [60_000, 0],
    [120_000, 0],
  ])('should leave %i ms after the fetch %i seconds of freshness', (ageMs, expected) => {
    expect(remainingFreshSeconds(NOW - ageMs, policy, NOW)).toBe(expected);
  });

  it('should count from the current time when given none', () => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    try {
      expect(remainingFreshSeconds(NOW - 10_000, policy)).toBe(50);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
