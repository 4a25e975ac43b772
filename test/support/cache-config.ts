import { CacheStore } from '../../src/cache/cache-store';
import { MemoryBudget } from '../../src/cache/memory-budget';
import { RedisConnection } from '../../src/cache/redis-connection';
import { CacheConfig } from '../../src/config/cache.config';
import { MetricsService } from '../../src/metrics/metrics.service';

/**
 * A cache configuration for unit specs: memory only (no REDIS_URL) unless a spec says otherwise,
 * one minute fresh, an hour stale, a minute of negative caching, `no-cache` honoured every 10 s.
 */
export function testCacheConfig(overrides: Partial<CacheConfig> = {}): CacheConfig {
  return {
    redisUrl: undefined,
    ttlSeconds: 60,
    staleSeconds: 3600,
    negativeTtlSeconds: 60,
    minRevalidateSeconds: 10,
    maxBytes: 1_000_000,
    redisMaxValueBytes: 1024,
    keyPrefix: 'test',
    ...overrides,
  };
}

/**
 * The real cache store, not a double: memory only without a connection (its LRU layer is what
 * runs), or on the Redis of `connection`. Each store has its own metrics and memory budget.
 */
export function testCacheStore(
  config: CacheConfig = testCacheConfig(),
  connection = new RedisConnection(config),
): { store: CacheStore; metrics: MetricsService; connection: RedisConnection } {
  const metrics = new MetricsService();
  const store = new CacheStore(config, connection, new MemoryBudget(config, metrics), metrics);
  return { store, metrics, connection };
}

/**
 * `Date.now()` under the test's control (lru-cache's own expiry runs on `performance.now()` and
 * is left alone). Call in `beforeEach`; `jest.restoreAllMocks()` in `afterEach` undoes it.
 */
export function frozenClock(start: number): { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  return {
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}
