import { testCacheConfig, testCacheStore } from '../../../test/support/cache-config';
import {
  deleteKeysContaining,
  readyRedisConnection,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../../test/support/test-redis';
import { DistributedLock } from '../../cache/distributed-lock';
import { RedisConnection } from '../../cache/redis-connection';
import { CacheConfig } from '../../config/cache.config';
import {
  GithubBadGatewayError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from '../api/github-errors';
import { GITHUB_LOAD_FAILURES, GithubResultCache } from './github-result-cache';

describe('GITHUB_LOAD_FAILURES', () => {
  it('should read only a GitHub 404 as not found', () => {
    expect(GITHUB_LOAD_FAILURES.isNotFound(new GithubNotFoundError('gone'))).toBe(true);
    expect(GITHUB_LOAD_FAILURES.isNotFound(new GithubBadGatewayError('502'))).toBe(false);
    expect(GITHUB_LOAD_FAILURES.isNotFound(new Error('other'))).toBe(false);
  });

  it('should answer a remembered not-found as a GitHub 404', () => {
    const error = GITHUB_LOAD_FAILURES.notFound();

    expect(error).toBeInstanceOf(GithubNotFoundError);
    expect(error.message).toBe('GitHub has no such user or resource');
  });

  it.each([
    ['a rate limit', new GithubRateLimitedError('spent', 60, 'primary'), true],
    ['a 5xx', new GithubBadGatewayError('502'), true],
    ['a timeout', new GithubTimeoutError('slow'), true],
    ['an error of ours', new TypeError('bug'), false],
  ])('should let the last good value stand in for %s: %s', (_case, error, expected) => {
    expect(GITHUB_LOAD_FAILURES.canServeStale(error)).toBe(expected);
  });
});

describe(GithubResultCache.name, () => {
  const WEEK_MS = 7 * 24 * 3600 * 1000;
  const connections: RedisConnection[] = [];

  /** A result cache on `connection` (memory only without one): the real store, no double. */
  function build(config: CacheConfig, connection = new RedisConnection(config)) {
    const { store, metrics } = testCacheStore(config, connection);
    const locks = new DistributedLock(connection, config);
    return { cache: new GithubResultCache(store, locks, config, metrics), store };
  }

  describe('lastKnown in memory', () => {
    it('should answer the last good value, however old, without loading', async () => {
      // Arrange
      const { cache, store } = build(testCacheConfig());
      await store.set('gh:profile:octocat', { data: { login: 'octocat' }, fetchedAt: 0 }, WEEK_MS);

      // Act
      const known = await cache.lastKnown<{ login: string }>('gh:profile:octocat');

      // Assert
      expect(known).toEqual({ login: 'octocat' });
    });

    it('should answer undefined for a key never stored', async () => {
      // Arrange
      const { cache } = build(testCacheConfig());

      // Act
      const known = await cache.lastKnown('gh:profile:nobody');

      // Assert
      expect(known).toBeUndefined();
    });
  });

  describe('lastKnown from Redis', () => {
    const keyPrefix = uniqueKeyPrefix('github-result-cache');
    const config = testCacheConfig({ keyPrefix, redisMaxValueBytes: 1_000_000 });
    /** Wraps what it is given, so that a call with `undefined` shows in the answer. */
    const decode = (raw: unknown) => ({ decoded: raw });

    /** A replica that wrote `value` under `key`, and another one (its memory empty) that reads it. */
    async function writtenByAnotherReplica(key: string, value: unknown) {
      const writer = await readyRedisConnection(config);
      const reader = await readyRedisConnection(config);
      connections.push(writer, reader);
      await build(config, writer).store.set(key, value, WEEK_MS);
      return build(config, reader).cache;
    }

    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.onModuleDestroy()));
      await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
    });

    it('should rebuild the stored data with decode', async () => {
      // Arrange
      const cache = await writtenByAnotherReplica('result', { data: { n: 2 }, fetchedAt: 0 });

      // Act
      const known = await cache.lastKnown('result', decode);

      // Assert
      expect(known).toEqual({ decoded: { n: 2 } });
    });

    it('should answer the stored data as it is without decode', async () => {
      // Arrange
      const cache = await writtenByAnotherReplica('plain', { data: { n: 3 }, fetchedAt: 0 });

      // Act
      const known = await cache.lastKnown('plain');

      // Assert
      expect(known).toEqual({ n: 3 });
    });

    it.each([
      ['a remembered not-found', { notFound: true, fetchedAt: 0 }],
      ['a not-found that also carries data', { notFound: true, data: { n: 4 }, fetchedAt: 0 }],
      ['something that is not a stored result', { neither: 'data nor fetchedAt' }],
      ['null', null],
    ])('should answer undefined for %s, without decoding it', async (label, value) => {
      // Arrange
      const cache = await writtenByAnotherReplica(`odd:${label}`, value);

      // Act
      const known = await cache.lastKnown(`odd:${label}`, decode);

      // Assert
      expect(known).toBeUndefined();
    });
  });
});
