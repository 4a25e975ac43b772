import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheInvalidation } from './cache-invalidation';
import { CacheStore } from './cache-store';
import { DistributedLock } from './distributed-lock';
import { EdgeCache } from './http/edge-cache';
import { HttpCacheHook } from './http/http-cache.hook';
import { RepresentationCache } from './http/representation-cache';
import { MemoryBudget } from './memory-budget';
import { CacheHealthIndicator } from './redis.health';
import { RedisConnection } from './redis-connection';

/**
 * The one caching design: the memory budget every in-process cache draws on, the store (memory
 * plus Redis when configured), the distributed lock, and the HTTP representation cache behind
 * `@CachedRoute()`. Result caches are made by features (they know what their failures mean).
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
    RepresentationCache,
    EdgeCache,
    HttpCacheHook,
  ],
  exports: [
    RedisConnection,
    MemoryBudget,
    CacheStore,
    CacheInvalidation,
    DistributedLock,
    CacheHealthIndicator,
    RepresentationCache,
    EdgeCache,
  ],
})
export class CacheModule {}
