import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { cacheConfig } from '../config/cache.config';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryBudget } from './memory-budget';
import { RedisConnection, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection';
import { inSpan, SpanKind } from '../tracing/tracer';

export type CacheBackend = 'redis' | 'memory';

/**
 * KEYS[1]: the key; ARGV: the value as `set` writes it, its time (epoch ms), its TTL (ms). Writes
 * unless the key holds a later time already.
 */
const KEEP_LATER_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and tonumber(stored.value) and tonumber(stored.value) >= tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1`;

/** Turns what JSON gave back from Redis into the value's in-memory form (or throws: a miss). */
export type Decode<T> = (raw: unknown) => T;

/**
 * Key-value storage with expiry for everything the service caches: an LRU in memory bounded by
 * bytes (its share of `CACHE_MAX_BYTES`), and Redis (shared by replicas) when configured. Writes
 * go to both, so when Redis goes away the memory copy keeps serving; reads prefer Redis while it
 * is up, because other replicas write there. What Redis returns replaces the memory copy, so a
 * key is held once in memory, in its compact form (`decode`).
 */
@Injectable()
export class CacheStore {
  private readonly logger = new Logger(CacheStore.name);
  private readonly memory: LRUCache<string, { value: unknown }>;
  private readonly prefix: string;
  private readonly redisMaxValueBytes: number;
  /** Where Redis is, for the CLIENT spans of its commands. */
  private readonly redisAddress: string | undefined;

  constructor(
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    private readonly connection: RedisConnection,
    budget: MemoryBudget,
    private readonly metrics: MetricsService,
  ) {
    // Boxed, so that a cached `0` or `false` is told apart from a miss, and sized by its content.
    this.memory = budget.create('results');
    this.prefix = `${config.keyPrefix}:`;
    this.redisMaxValueBytes = config.redisMaxValueBytes;
    this.redisAddress = config.redisUrl ? new URL(config.redisUrl).hostname : undefined;
  }

  get backend(): CacheBackend {
    return this.connection.client && this.connection.ready ? 'redis' : 'memory';
  }

  /** The memory copy only: no Redis round trip (for hot paths that accept a replica's lag). */
  peek<T>(key: string): T | undefined {
    return this.memory.get(key)?.value as T | undefined;
  }

  /** What memory holds now, for gauges read at scrape time. */
  *memoryValues(): Generator<unknown> {
    for (const boxed of this.memory.values()) {
      yield boxed.value;
    }
  }

  async get<T>(key: string, decode?: Decode<T>): Promise<T | undefined> {
    const client = this.connection.client;
    if (client && this.connection.ready) {
      try {
        const json = await this.command('GET', () => client.get(this.prefix + key));
        const stored = json === null ? undefined : this.decode(key, json, decode);
        if (stored) {
          this.keepInMemory(key, stored.value, stored.expiresAt - Date.now());
          return stored.value;
        }
        // A Redis that restarted empty has lost what memory still holds: use that, not GitHub.
      } catch (error) {
        this.logFallback('get', error);
      }
    }
    return this.peek<T>(key);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.keepInMemory(key, value, ttlMs);
    const client = this.connection.client;
    if (!client || !this.connection.ready) {
      return;
    }
    // The expiry travels with the value, so the memory copy of a Redis read expires with it.
    const json = JSON.stringify({ expiresAt: Date.now() + ttlMs, value });
    if (Buffer.byteLength(json) > this.redisMaxValueBytes) {
      this.metrics.recordRedisSkipped();
      this.logger.debug(
        { key, bytes: json.length },
        'Value over CACHE_REDIS_MAX_VALUE_BYTES: memory only',
      );
      return;
    }
    try {
      await this.command('SET', () =>
        client.set(this.prefix + key, json, {
          expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) },
        }),
      );
    } catch (error) {
      this.logFallback('set', error);
    }
  }

  /**
   * Stores an epoch-millisecond time that may only move later (a pause until, a reset at), kept
   * until that time. In Redis the comparison and the write are one script, so two replicas that
   * learn of two pauses at once keep the longer, whichever writes last.
   */
  async keepLater(key: string, untilMs: number): Promise<void> {
    const ttlMs = untilMs - Date.now();
    if (ttlMs <= 0) {
      return;
    }
    const near = this.peek<number>(key);
    if (near === undefined || near < untilMs) {
      this.keepInMemory(key, untilMs, ttlMs);
    }
    const client = this.connection.client;
    if (!client || !this.connection.ready) {
      return;
    }
    try {
      await this.command('EVAL', () =>
        client.eval(KEEP_LATER_SCRIPT, {
          keys: [this.prefix + key],
          arguments: [
            JSON.stringify({ expiresAt: untilMs, value: untilMs }),
            String(untilMs),
            String(Math.ceil(ttlMs)),
          ],
        }),
      );
    } catch (error) {
      this.logFallback('keepLater', error);
    }
  }

  /** Drops keys from this process's memory only: what another replica's invalidation asks. */
  forget(keys: readonly string[]): void {
    for (const key of keys) {
      this.memory.delete(key);
    }
  }

  /**
   * Drops keys from memory and Redis, so that the next read loads them again. Other replicas'
   * memory copies are dropped through CacheInvalidation, which calls this.
   */
  async delete(keys: readonly string[]): Promise<void> {
    this.forget(keys);
    const client = this.connection.client;
    if (keys.length === 0 || !client || !this.connection.ready) {
      return;
    }
    try {
      await this.command('DEL', () => client.del(keys.map((key) => this.prefix + key)));
    } catch (error) {
      this.logFallback('delete', error);
    }
  }

  /** One Redis command under its deadline, in a CLIENT span when tracing runs (no key: it names the account). */
  private command<T>(
    operation: 'GET' | 'SET' | 'EVAL' | 'DEL',
    send: () => Promise<T>,
  ): Promise<T> {
    return inSpan(
      `redis ${operation}`,
      SpanKind.CLIENT,
      {
        'db.system.name': 'redis',
        'db.operation.name': operation,
        ...(this.redisAddress ? { 'server.address': this.redisAddress } : {}),
      },
      () => withTimeout(send(), REDIS_COMMAND_TIMEOUT_MS),
    );
  }

  private keepInMemory(key: string, value: unknown, ttlMs: number): void {
    if (ttlMs > 0) {
      this.memory.set(key, { value }, { ttl: Math.ceil(ttlMs) });
    }
  }

  private decode<T>(
    key: string,
    json: string,
    decode: Decode<T> | undefined,
  ): { value: T; expiresAt: number } | undefined {
    try {
      const stored = JSON.parse(json) as { expiresAt?: unknown; value?: unknown };
      if (typeof stored.expiresAt !== 'number' || !('value' in stored)) {
        throw new Error('not a value this version wrote');
      }
      const value = decode ? decode(stored.value) : (stored.value as T);
      return { value, expiresAt: stored.expiresAt };
    } catch (error) {
      // Written by another version, or damaged: a miss, refetched and overwritten.
      this.logger.warn(
        { key, error: error instanceof Error ? error.message : String(error) },
        'Unreadable value in Redis; treated as a miss',
      );
      return undefined;
    }
  }

  private logFallback(operation: string, error: unknown): void {
    this.logger.warn(
      { operation, error: error instanceof Error ? error.message : String(error) },
      'Redis failed; used memory',
    );
  }
}
