import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { cacheConfig } from '../config/cache.config';
import { MetricsService } from '../metrics/metrics.service';
import { estimateHeapBytes } from './heap-size';

/**
 * Every in-process cache and its share of `CACHE_MAX_BYTES`. Results (what GitHub told us, one
 * stored form per account) get most; the others hold things derived from results and are cheap
 * to make again, so they may lose entries first.
 */
export const MEMORY_SHARES = {
  /** The memory layer of the cache store: repository lists, profiles, repository details. */
  results: 0.6,
  /** Encoded answers (JSON bytes) of cached routes. */
  representations: 0.23,
  /** What the edge cache knows of each URL it answers (the bytes are the representations'). */
  edge: 0.02,
  /** Sorted and cut listing pages, so a hit does not sort thousands of repositories. */
  listings: 0.1,
  /** Computed dashboard summaries. */
  summaries: 0.05,
} as const;

export type MemoryCacheName = keyof typeof MEMORY_SHARES;

export interface BoundedCacheOptions<V extends object> {
  /** Bytes one entry holds; `estimateHeapBytes` of the value when omitted. */
  sizeOf?: (value: V, key: string | object) => number;
}

/**
 * Hands out byte-bounded LRU caches (lru-cache with `maxSize`) that together stay within
 * `CACHE_MAX_BYTES`, and reports what each holds to /metrics (`cache_bytes`). An entry larger
 * than its cache's whole share is not kept at all rather than flushing everything else.
 */
@Injectable()
export class MemoryBudget {
  readonly totalBytes: number;
  private readonly caches = new Map<MemoryCacheName, LRUCache<string | object, object>>();

  constructor(
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    metrics: MetricsService,
  ) {
    this.totalBytes = config.maxBytes;
    metrics.observeCacheBytes(() =>
      [...this.caches].map(([name, cache]) => ({
        cache: name,
        bytes: cache.calculatedSize,
        maxBytes: cache.maxSize,
      })),
    );
  }

  bytesFor(name: MemoryCacheName): number {
    return Math.max(1, Math.floor(this.totalBytes * MEMORY_SHARES[name]));
  }

  create<K extends string | object, V extends object>(
    name: MemoryCacheName,
    options: BoundedCacheOptions<V> = {},
  ): LRUCache<K, V> {
    if (this.caches.has(name)) {
      throw new Error(`The ${name} cache was created twice: its budget would count twice`);
    }
    const sizeOf = options.sizeOf ?? ((value: V) => estimateHeapBytes(value));
    const maxSize = this.bytesFor(name);
    const cache = new LRUCache<K, V>({
      maxSize,
      maxEntrySize: maxSize,
      // Never 0: lru-cache refuses a zero size, and every entry costs its map slot.
      sizeCalculation: (value, key) => Math.max(1, Math.ceil(sizeOf(value, key))),
    });
    this.caches.set(name, cache as unknown as LRUCache<string | object, object>);
    return cache;
  }
}
