import { CacheConfig } from '../config/cache.config';
import { MetricsService } from '../metrics/metrics.service';
import { CacheStore } from './cache-store';
import { MemoryBudget } from './memory-budget';
import { RedisConnection } from './redis-connection';

function config(maxBytes: number): CacheConfig {
  return {
    redisUrl: undefined,
    ttlSeconds: 60,
    staleSeconds: 3600,
    negativeTtlSeconds: 60,
    maxBytes,
    redisMaxValueBytes: 1024,
    keyPrefix: 'test',
  };
}

/** Memory only: no REDIS_URL, so the connection has no client. */
function storeWith(maxBytes: number): CacheStore {
  const cacheConfig = config(maxBytes);
  const metrics = new MetricsService();
  return new CacheStore(
    cacheConfig,
    new RedisConnection(cacheConfig),
    new MemoryBudget(cacheConfig, metrics),
    metrics,
  );
}

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(CacheStore.name, () => {
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
});
