import { Module } from '@nestjs/common';
import { EdgeCache } from './edge-cache';
import { HttpCacheHook } from './http-cache.hook';
import { RepresentationCache } from './representation-cache';

/**
 * The HTTP side of caching, behind `@CachedRoute()`: the representations (bytes, ETag, compressed
 * forms), the hook that makes them from what a route returns, and the edge cache that answers
 * repeated URLs before Nest's pipeline. It draws on CacheModule (global: store, memory budget);
 * CacheModule knows nothing of it.
 */
@Module({
  providers: [RepresentationCache, EdgeCache, HttpCacheHook],
  exports: [EdgeCache],
})
export class HttpCacheModule {}
