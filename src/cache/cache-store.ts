import { createKeyv as createMemoryKeyv } from '@cacheable/memory';
import KeyvRedis from '@keyv/redis';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import Keyv from 'keyv';
import { cacheConfig } from '../config/cache.config';
import { RedisConnection, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection';

export type CacheBackend = 'redis' | 'memory';

/**
 * Key-value storage with expiry for everything the service caches. Keyv gives one interface over
 * two well-kept stores: an LRU in memory (bounded by `CACHE_MAX_ENTRIES`) and Redis (shared by
 * replicas) when configured. Writes go to both, so when Redis goes away the memory copy keeps
 * serving; reads prefer Redis while it is up, because other replicas write there.
 */
@Injectable()
export class CacheStore {
  private readonly logger = new Logger(CacheStore.name);
  private readonly memory: Keyv;
  private readonly redis: Keyv | undefined;

  constructor(
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    private readonly connection: RedisConnection,
  ) {
    // No clone on read: cached values are immutable snapshots, and copying a 1,000-repository
    // list on every hit would cost more than serving it.
    this.memory = createMemoryKeyv({
      lruSize: config.maxEntries,
      checkInterval: 60_000,
      useClone: false,
      // One internal map: the default spreads keys over 16 by hashing every key on every lookup.
      storeHashSize: 1,
    });
    if (connection.client) {
      const store = new KeyvRedis(connection.client, {
        throwOnErrors: true,
        throwOnConnectError: true,
      });
      this.redis = new Keyv({ store, namespace: config.keyPrefix, throwOnErrors: true });
      this.redis.on('error', () => undefined);
    }
  }

  get backend(): CacheBackend {
    return this.redis && this.connection.ready ? 'redis' : 'memory';
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.redis && this.connection.ready) {
      try {
        const shared = await withTimeout(this.redis.get<T>(key), REDIS_COMMAND_TIMEOUT_MS);
        // A Redis that restarted empty has lost what memory still holds: use that, not GitHub.
        return shared ?? (await this.memory.get<T>(key));
      } catch (error) {
        this.logFallback('get', error);
      }
    }
    return this.memory.get<T>(key);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.memory.set(key, value, ttlMs);
    if (this.redis && this.connection.ready) {
      try {
        await withTimeout(this.redis.set(key, value, ttlMs), REDIS_COMMAND_TIMEOUT_MS);
      } catch (error) {
        this.logFallback('set', error);
      }
    }
  }

  private logFallback(operation: string, error: unknown): void {
    this.logger.warn(
      { operation, error: error instanceof Error ? error.message : String(error) },
      'Redis failed; used memory',
    );
  }
}
