import { readRateLimit, readRetryAfter, secondsUntil } from './rate-limit-headers';

/** What GitHub sends on a response to a token. */
const HEADERS = {
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4987',
  'x-ratelimit-used': '13',
  'x-ratelimit-reset': '1717000000',
  'x-ratelimit-resource': 'core',
};

describe(readRateLimit.name, () => {
  it("should read GitHub's x-ratelimit headers", () => {
    // Act
    const snapshot = readRateLimit(HEADERS);

    // Assert
    expect(snapshot).toEqual({
      limit: 5000,
      remaining: 4987,
      reset: 1717000000,
      resource: 'core',
    });
  });

  it('should accept numeric header values', () => {
    // Act
    const snapshot = readRateLimit({
      'x-ratelimit-limit': 60,
      'x-ratelimit-remaining': 0,
      'x-ratelimit-reset': 1717000000,
    });

    // Assert
    expect(snapshot).toMatchObject({ limit: 60, remaining: 0, reset: 1717000000 });
  });

  it('should default the resource to core when GitHub leaves them out', () => {
    // Act
    const snapshot = readRateLimit({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '45',
      'x-ratelimit-reset': '1717000000',
    });

    // Assert
    expect(snapshot).toEqual({
      limit: 60,
      remaining: 45,
      reset: 1717000000,
      resource: 'core',
    });
  });

  it('should keep a resource other than core', () => {
    // Act
    const snapshot = readRateLimit({
      'x-ratelimit-limit': '30',
      'x-ratelimit-remaining': '29',
      'x-ratelimit-reset': '1717000000',
      'x-ratelimit-resource': 'search',
    });

    // Assert
    expect(snapshot?.resource).toBe('search');
  });

  it.each(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'])(
    'should answer undefined when %s is missing',
    (missing) => {
      // Arrange
      const headers: Record<string, string> = {
        'x-ratelimit-limit': '60',
        'x-ratelimit-remaining': '45',
        'x-ratelimit-reset': '1717000000',
      };
      delete headers[missing];

      // Act
      const snapshot = readRateLimit(headers);

      // Assert
      expect(snapshot).toBeUndefined();
    },
  );

  it.each([
    ['empty', ''],
    ['blank', '  '],
  ])('should answer undefined when a header is %s, not read it as 0', (_label, value) => {
    expect(readRateLimit({ ...HEADERS, 'x-ratelimit-remaining': value })).toBeUndefined();
  });

  it('should answer undefined when a header is not a number', () => {
    expect(
      readRateLimit({
        'x-ratelimit-limit': 'sixty',
        'x-ratelimit-remaining': '45',
        'x-ratelimit-reset': '1717000000',
      }),
    ).toBeUndefined();
  });

  it('should answer undefined without any header', () => {
    expect(readRateLimit({})).toBeUndefined();
  });
});

describe(readRetryAfter.name, () => {
  it.each([
    ['60', 60],
    ['0', 0],
    ['1.2', 2],
    [120, 120],
  ])('should read retry-after %p as %i seconds', (value, seconds) => {
    expect(readRetryAfter({ 'retry-after': value })).toBe(seconds);
  });

  it.each([
    ['missing', {}],
    ['negative', { 'retry-after': '-5' }],
    ['garbage', { 'retry-after': 'soon' }],
  ])('should answer undefined when retry-after is %s', (_label, headers) => {
    expect(readRetryAfter(headers)).toBeUndefined();
  });
});

describe(secondsUntil.name, () => {
  const now = Date.UTC(2024, 5, 1, 12, 0, 0);
  const nowSeconds = now / 1000;

  it('should count whole seconds until the reset', () => {
    expect(secondsUntil(nowSeconds + 1800, now)).toBe(1800);
  });

  it('should round a partial second up', () => {
    expect(secondsUntil(nowSeconds + 10, now + 300)).toBe(10);
  });

  it.each([
    ['now', 0],
    ['half a second ago', -0.5],
    ['an hour ago', -3600],
  ])('should never answer less than 1 for a reset %s', (_label, offset) => {
    expect(secondsUntil(nowSeconds + offset, now)).toBe(1);
  });

  it('should use the clock when no time is given', () => {
    // Arrange
    const reset = Math.floor(Date.now() / 1000) + 600;

    // Act
    const seconds = secondsUntil(reset);

    // Assert
    expect(seconds).toBeGreaterThanOrEqual(599);
    expect(seconds).toBeLessThanOrEqual(600);
  });
});
