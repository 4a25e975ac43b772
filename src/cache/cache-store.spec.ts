import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { ReadableSpan } from '@opentelemetry/sdk-trace';
import { MetricsService } from '../metrics/metrics.service';
import { CacheConfig } from '../config/cache.config';
import { testCacheConfig, testCacheStore } from '../../test/support/cache-config';
import {
  ABSENT_REDIS_URL,
  connect,
  deleteKeysContaining,
  readyRedisConnection,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../test/support/test-redis';
import { CacheStore } from './cache-store';
import { RedisConnection } from './redis-connection';
import { recordSpans } from '../../test/support/recorded-spans';

/** Memory only: no REDIS_URL, so the connection has no client. */
function storeWith(maxBytes: number): CacheStore {
  return testCacheStore(testCacheConfig({ maxBytes })).store;
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(CacheStore.name, () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('in memory', () => {
    it('should give back what it was given, falsy values included', async () => {
      const store = storeWith(1_000_000);
      await store.set('zero', 0, 1000);
      await store.set('object', { a: 1 }, 1000);

      expect(await store.get('zero')).toBe(0);
      expect(store.peek('object')).toEqual({ a: 1 });
      expect(await store.get('missing')).toBeUndefined();
    });

    it('should forget a value once its time to live has passed', async () => {
      const store = storeWith(1_000_000);
      await store.set('short', 'lived', 20);

      await tick(40);

      expect(await store.get('short')).toBeUndefined();
    });

    it('should keep nothing for a time to live of zero or less', async () => {
      const store = storeWith(1_000_000);

      await store.set('none', 'kept', 0);
      await store.set('negative', 'kept', -5);

      expect(store.peek('none')).toBeUndefined();
      expect(store.peek('negative')).toBeUndefined();
    });

    it('should hold no more bytes than its share, evicting the least recently used', async () => {
      // Arrange: 60 % of 100 kB for results; values of ~10 kB each.
      const store = storeWith(100_000);
      const value = (): string => 'x'.repeat(10_000);
      for (let i = 0; i < 5; i++) {
        await store.set(`key-${i}`, value(), 60_000);
      }
      store.peek('key-0'); // the oldest is now the most recently used

      // Act: four more push out the four least recently used.
      for (let i = 5; i < 9; i++) {
        await store.set(`key-${i}`, value(), 60_000);
      }

      // Assert
      const held = Array.from({ length: 10 }, (_, i) => `key-${i}`).filter(
        (key) => store.peek(key) !== undefined,
      );
      expect(held).toEqual(['key-0', 'key-5', 'key-6', 'key-7', 'key-8']);
    });

    it('should list what memory holds, for the gauges', async () => {
      const store = storeWith(1_000_000);
      await store.set('a', { n: 1 }, 1000);
      await store.set('b', { n: 2 }, 1000);

      expect([...store.memoryValues()]).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    });

    it('should neither use nor try a Redis that is configured but away', async () => {
      // Arrange: nothing listens on port 1, so the client exists but is never ready.
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const config = testCacheConfig({ redisUrl: ABSENT_REDIS_URL });
      const connection = new RedisConnection(config);
      const { store } = testCacheStore(config, connection);

      // Act
      await store.set('away', 'memory copy', 60_000);
      const value = await store.get('away');

      // Assert: a command tried would have been refused at once and logged as a fallback.
      expect(store.backend).toBe('memory');
      expect(value).toBe('memory copy');
      expect(warn).not.toHaveBeenCalled();
      await connection.onModuleDestroy();
    });

    it('should say its backend is memory', () => {
      expect(storeWith(1_000_000).backend).toBe('memory');
    });
  });

  describe('with Redis', () => {
    const keyPrefix = uniqueKeyPrefix('cache-store');
    const connections: RedisConnection[] = [];
    let redis: Awaited<ReturnType<typeof connect>>;

    /** One replica: its own memory, the shared Redis. */
    async function replica(overrides: Partial<CacheConfig> = {}): Promise<{
      store: CacheStore;
      metrics: MetricsService;
      connection: RedisConnection;
    }> {
      const config = testCacheConfig({ keyPrefix, ...overrides });
      const connection = await readyRedisConnection(config);
      connections.push(connection);
      return testCacheStore(config, connection);
    }

    beforeAll(async () => {
      redis = await connect();
    });

    afterAll(async () => {
      redis.destroy();
      await Promise.all(connections.map((connection) => connection.onModuleDestroy()));
      await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
    });

    it('should keep the later of two times, whichever replica writes last', async () => {
      // Arrange
      const [a, b] = [await replica(), await replica()];
      const later = Date.now() + 60_000;
      const earlier = Date.now() + 20_000;

      // Act
      await a.store.keepLater('gov:pause', later);
      await b.store.keepLater('gov:pause', earlier);

      // Assert: Redis and a third replica see the later time, with its expiry
      expect(await (await replica()).store.get('gov:pause')).toBe(later);
      expect(await redis.pTTL(`${keyPrefix}:gov:pause`)).toBeGreaterThan(50_000);
    });

    it('should move a time later, and keep nothing for a time already past', async () => {
      const { store } = await replica();
      await store.keepLater('reset', Date.now() + 10_000);
      const later = Date.now() + 30_000;

      await store.keepLater('reset', later);
      await store.keepLater('past', Date.now() - 1);

      expect(await store.get('reset')).toBe(later);
      expect(await redis.exists(`${keyPrefix}:past`)).toBe(0);
      expect(store.peek('past')).toBeUndefined();
    });

    it('should say its backend is redis while Redis is ready', async () => {
      const { store } = await replica();

      expect(store.backend).toBe('redis');
    });

    it('should write the value and its expiry under the key prefix, with the time to live', async () => {
      // Arrange
      const { store } = await replica();
      const before = Date.now();

      // Act
      await store.set('written', { n: 1 }, 5_000);

      // Assert
      const json = await redis.get(`${keyPrefix}:written`);
      const stored = JSON.parse(json ?? 'null') as { expiresAt: number; value: unknown };
      expect(stored.value).toEqual({ n: 1 });
      expect(stored.expiresAt).toBeGreaterThanOrEqual(before + 5_000);
      expect(stored.expiresAt).toBeLessThanOrEqual(Date.now() + 5_000);
      const ttl = await redis.pTTL(`${keyPrefix}:written`);
      expect(ttl).toBeGreaterThan(4_000);
      expect(ttl).toBeLessThanOrEqual(5_000);
    });

    it('should round a fractional time to live up to a whole millisecond in Redis', async () => {
      const { store } = await replica();

      await store.set('fraction', 'v', 0.4);

      // 1 ms: it may be gone already, but Redis must not have refused a PX of 0.
      const ttl = await redis.pTTL(`${keyPrefix}:fraction`);
      expect([-2, 0, 1]).toContain(ttl);
    });

    it("should read another replica's value from Redis and keep it in memory", async () => {
      // Arrange
      const a = await replica();
      const b = await replica();
      await a.store.set('shared', { from: 'a' }, 60_000);

      // Act
      const value = await b.store.get('shared');

      // Assert
      expect(value).toEqual({ from: 'a' });
      expect(b.store.peek('shared')).toEqual({ from: 'a' });
    });

    it('should prefer what Redis holds over its own memory copy', async () => {
      const a = await replica();
      const b = await replica();
      await b.store.set('newer', 'old', 60_000);
      await a.store.set('newer', 'new', 60_000);

      expect(await b.store.get('newer')).toBe('new');
      expect(b.store.peek('newer')).toBe('new');
    });

    it('should rebuild the value with decode', async () => {
      const a = await replica();
      const b = await replica();
      await a.store.set('decoded', { n: 2 }, 60_000);

      const value = await b.store.get('decoded', (raw) => ({
        twice: (raw as { n: number }).n * 2,
      }));

      expect(value).toEqual({ twice: 4 });
    });

    it('should expire the memory copy of a Redis read with the value in Redis', async () => {
      // Arrange
      const a = await replica();
      const b = await replica();
      await a.store.set('expiring', 'v', 80);
      expect(await b.store.get('expiring')).toBe('v');

      // Act
      await tick(120);

      // Assert
      expect(b.store.peek('expiring')).toBeUndefined();
    });

    it('should not keep in memory a Redis value whose expiry has passed', async () => {
      const { store } = await replica();
      const expired = JSON.stringify({ expiresAt: Date.now() - 1000, value: 'old' });
      await redis.set(`${keyPrefix}:expired`, expired, {
        expiration: { type: 'PX', value: 60_000 },
      });

      expect(await store.get('expired')).toBe('old');
      expect(store.peek('expired')).toBeUndefined();
    });

    it.each([
      ['not JSON', '{oops'],
      ['JSON without an expiry', JSON.stringify({ value: 'v' })],
      ['an expiry that is not a number', JSON.stringify({ expiresAt: 'soon', value: 'v' })],
      ['JSON without a value', JSON.stringify({ expiresAt: Date.now() + 60_000 })],
    ])('should treat %s in Redis as a miss, falling back to memory', async (_case, raw) => {
      // Arrange
      const { store } = await replica();
      await store.set('unreadable', 'memory copy', 60_000);
      await redis.set(`${keyPrefix}:unreadable`, raw);

      // Act
      const value = await store.get('unreadable');

      // Assert
      expect(value).toBe('memory copy');
    });

    it('should log why a value in Redis was unreadable, with its key', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { store } = await replica();
      await redis.set(`${keyPrefix}:valueless`, JSON.stringify({ expiresAt: Date.now() + 60_000 }));

      await store.get('valueless');

      expect(warn).toHaveBeenCalledWith(
        { key: 'valueless', error: 'not a value this version wrote' },
        'Unreadable value in Redis; treated as a miss',
      );
    });

    it('should answer a key Redis does not hold as a miss, without calling it unreadable', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { store } = await replica();

      const value = await store.get('never-written', () => 'decoded');

      expect(value).toBeUndefined();
      expect(warn).not.toHaveBeenCalled();
    });

    it('should trace each Redis command as a CLIENT span naming the server, not the key', async () => {
      // Arrange
      const { store } = await replica({ redisUrl: TEST_REDIS_URL });
      const command = (operation: string) => ({
        name: `redis ${operation}`,
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'redis',
          'db.operation.name': operation,
          'server.address': new URL(TEST_REDIS_URL).hostname,
        },
      });

      // Act: the SDK for this test only, its finished spans kept in memory.
      const recorded = recordSpans();
      let spans: ReadableSpan[];
      try {
        await store.set('traced', 'v', 60_000);
        await store.get('traced');
        spans = await recorded.finished();
      } finally {
        await recorded.stop();
      }

      // Assert
      expect(spans.map(({ name, kind, attributes }) => ({ name, kind, attributes }))).toEqual([
        command('SET'),
        command('GET'),
      ]);
    });

    it('should treat a value decode refuses as a miss', async () => {
      const a = await replica();
      const b = await replica();
      await a.store.set('refused', 'v', 60_000);

      const value = await b.store.get('refused', () => {
        throw new TypeError('not this version');
      });

      expect(value).toBeUndefined();
    });

    it('should keep a falsy value read from Redis', async () => {
      const a = await replica();
      const b = await replica();
      await a.store.set('falsy', 0, 60_000);

      expect(await b.store.get('falsy')).toBe(0);
    });

    it('should serve its memory copy when Redis has lost the key (a restart)', async () => {
      const { store } = await replica();
      await store.set('lost', 'still here', 60_000);
      await redis.del(`${keyPrefix}:lost`);

      expect(await store.get('lost')).toBe('still here');
    });

    it('should keep a value over CACHE_REDIS_MAX_VALUE_BYTES in memory only, and count it', async () => {
      // Arrange
      const { store, metrics } = await replica({ redisMaxValueBytes: 1024 });

      // Act
      await store.set('huge', 'x'.repeat(2_000), 60_000);
      await store.set('small', 'x'.repeat(900), 60_000);

      // Assert
      expect(await redis.exists(`${keyPrefix}:huge`)).toBe(0);
      expect(await redis.exists(`${keyPrefix}:small`)).toBe(1);
      expect(await store.get('huge')).toBe('x'.repeat(2_000));
      expect(await metrics.registry.getSingleMetricAsString('cache_redis_skipped_total')).toMatch(
        /cache_redis_skipped_total 1$/m,
      );
    });

    it('should send a value of exactly CACHE_REDIS_MAX_VALUE_BYTES to Redis, and log one byte more', async () => {
      // Arrange: {"expiresAt":<13 digits>,"value":"…"} is 38 bytes around the string.
      const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
      const { store } = await replica({ redisMaxValueBytes: 1024 });

      // Act
      await store.set('at-limit', 'x'.repeat(1024 - 38), 60_000);
      await store.set('over-limit', 'x'.repeat(1024 - 37), 60_000);

      // Assert
      expect(await redis.exists(`${keyPrefix}:at-limit`)).toBe(1);
      expect(await redis.exists(`${keyPrefix}:over-limit`)).toBe(0);
      expect(debug).toHaveBeenCalledWith(
        { key: 'over-limit', bytes: 1025 },
        'Value over CACHE_REDIS_MAX_VALUE_BYTES: memory only',
      );
    });

    it('should measure the Redis limit in bytes, not characters', async () => {
      const { store } = await replica({ redisMaxValueBytes: 1024 });

      // 400 characters of 3 bytes each: 1,200 bytes.
      await store.set('multibyte', '€'.repeat(400), 60_000);

      expect(await redis.exists(`${keyPrefix}:multibyte`)).toBe(0);
    });

    it('should fall back to memory when a Redis read fails', async () => {
      // Arrange
      const { store, connection } = await replica();
      await store.set('read-fails', 'memory copy', 60_000);
      const client = connection.client;
      if (!client) throw new Error('expected a client');
      jest.spyOn(client, 'get').mockRejectedValueOnce(new Error('connection reset'));
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

      // Act
      const value = await store.get('read-fails');

      // Assert
      expect(value).toBe('memory copy');
      expect(warn).toHaveBeenCalledWith(
        { operation: 'get', error: 'connection reset' },
        'Redis failed; used memory',
      );
    });

    it('should keep the memory copy when a Redis write fails', async () => {
      const { store, connection } = await replica();
      const client = connection.client;
      if (!client) throw new Error('expected a client');
      jest.spyOn(client, 'set').mockRejectedValueOnce(new Error('connection reset'));
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

      await expect(store.set('write-fails', 'v', 60_000)).resolves.toBeUndefined();

      expect(store.peek('write-fails')).toBe('v');
      expect(warn).toHaveBeenCalledWith(
        { operation: 'set', error: 'connection reset' },
        'Redis failed; used memory',
      );
    });
  });
});
