import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheInvalidation } from './cache-invalidation';
import { CacheStore } from './cache-store';
import { DistributedLock } from './distributed-lock';
import { MemoryBudget } from './memory-budget';
import { CacheHealthIndicator } from './redis.health';
import { RedisConnection } from './redis-connection';

/**
 * The one caching design: the memory budget every in-process cache draws on, the store (memory
 * plus Redis when configured), the distributed lock. Result caches are made by features (they
 * know what their failures mean); the HTTP side behind `@CachedRoute()` is HttpCacheModule's.
 */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    RedisConnection,
    MemoryBudget,
    CacheStore,
    CacheInvalidation,
    DistributedLock,
    CacheHealthIndicator,
  ],
  exports: [
    RedisConnection,
    MemoryBudget,
    CacheStore,
    CacheInvalidation,
    DistributedLock,
    CacheHealthIndicator,
  ],
})
export class CacheModule {}
