import { Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheConfig } from '../config/cache.config';
import { MetricsService } from '../metrics/metrics.service';
import { inSpan, isTracing, SpanKind } from '../tracing/tracer';
import { CacheStore, Decode } from './cache-store';
import { DistributedLock, LockResult } from './distributed-lock';
import { recordDependency } from './request-record';
import { CachedEntry, freshnessOf, retentionMs } from './freshness';
import { Singleflight } from './singleflight';

export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED';

export interface CachedResult<T> {
  data: T;
  fetchedAt: number;
  status: CacheStatus;
}

/** What a loader returns: the data, and whether GitHub confirmed it unchanged (all 304s). */
export interface Loaded<T> {
  data: T;
  notModified: boolean;
}

/** Loads a key from GitHub; `previous` is the last good value, whose validators it may reuse. */
export type Loader<T> = (previous: T | undefined) => Promise<Loaded<T>>;

/** What a client asked of freshness: `revalidate` = upstream now (`Cache-Control: no-cache`). */
export interface FreshnessRequest {
  revalidate?: boolean;
}

export interface ResultOptions<T> extends FreshnessRequest {
  /** Rebuilds the data's in-memory form from the JSON Redis holds (compact types). */
  decode?: Decode<T>;
}

/**
 * How a feature's load failures read to the cache. The feature implements it (GitHub's in
 * github/upstream), so that this cache knows no feature's error classes.
 */
export interface LoadFailures {
  /** A definitive "does not exist": remembered for CACHE_NEGATIVE_TTL_SECONDS, never hidden by stale data. */
  isNotFound(error: unknown): boolean;
  /** The error a remembered "does not exist" is answered with. */
  notFound(): Error;
  /** A failure of the source, not of the question, that the last good value may stand in for. */
  canServeStale(error: unknown): boolean;
}

type StoredResult<T> = CachedEntry<T> | { notFound: true; fetchedAt: number };

/** Long enough for a cold fetch of a large account; a crashed holder frees it by expiry. */
const LOCK_TTL_MS = 15_000;
const LOCK_POLL_MS = 50;
const CACHE_RESULT_LABELS = {
  HIT: 'hit',
  MISS: 'miss',
  STALE: 'stale',
  REVALIDATED: 'revalidated',
} as const;

/**
 * The upper cache layer: the shaped results routes serve. Fresh entries are served without any
 * upstream call; stale ones at once while a background refresh revalidates them; when GitHub
 * fails, the last good value is served rather than an error. A missing user is remembered
 * briefly, so a flood of requests for it costs one call. Concurrent refreshes of one key share
 * one load in this process and, with Redis, across replicas (a short lock).
 */
export class ResultCache {
  private readonly logger = new Logger(ResultCache.name);
  private readonly inFlight = new Singleflight(() => this.metrics.recordCoalesced());

  constructor(
    private readonly store: CacheStore,
    private readonly locks: DistributedLock,
    private readonly config: ConfigType<typeof cacheConfig>,
    private readonly metrics: MetricsService,
    private readonly failures: LoadFailures,
  ) {}

  async get<T>(
    key: string,
    load: Loader<T>,
    options: ResultOptions<T> = {},
  ): Promise<CachedResult<T>> {
    const result = await (isTracing()
      ? this.tracedLookup(key, load, options)
      : this.lookup(key, load, options));
    this.metrics.recordCacheResult(CACHE_RESULT_LABELS[result.status]);
    return result;
  }

  /** The lookup in a `cache lookup` span: the key's kind (never the login) and the outcome. */
  private tracedLookup<T>(
    key: string,
    load: Loader<T>,
    options: ResultOptions<T>,
  ): Promise<CachedResult<T>> {
    return inSpan(
      'cache lookup',
      SpanKind.INTERNAL,
      { 'cache.key.kind': keyKindOf(key) },
      async (span) => {
        const result = await this.lookup(key, load, options);
        span?.setAttribute('cache.status', result.status);
        return result;
      },
    );
  }

  private async lookup<T>(
    key: string,
    load: Loader<T>,
    options: ResultOptions<T>,
  ): Promise<CachedResult<T>> {
    // A fresh entry in memory is served without a Redis round trip (and the parsing of thousands
    // of repositories): replicas then differ by at most the freshness window, as their clients'
    // caches do anyway.
    const near = options.revalidate ? undefined : this.store.peek<StoredResult<T>>(key);
    if (near && !('notFound' in near) && freshnessOf(near, this.config) === 'fresh') {
      this.record(key, near, load, options.decode);
      return { data: near.data, fetchedAt: near.fetchedAt, status: 'HIT' };
    }
    const observedAt = Date.now();
    const entry = await this.store.get<StoredResult<T>>(key, decodeEntry(options.decode));
    if (entry && 'notFound' in entry) {
      // Not even `no-cache` reaches past a remembered "not found": a loop of them would cost a
      // GitHub request each.
      if (Date.now() - entry.fetchedAt < this.config.negativeTtlSeconds * 1000) {
        throw this.failures.notFound();
      }
    } else if (entry && !this.revalidatesNow(entry, options)) {
      if (freshnessOf(entry, this.config) === 'fresh') {
        this.record(key, entry, load, options.decode);
        return { data: entry.data, fetchedAt: entry.fetchedAt, status: 'HIT' };
      }
      this.refreshInBackground(key, load, observedAt, entry.data, options.decode);
      return { data: entry.data, fetchedAt: entry.fetchedAt, status: 'STALE' };
    }
    const good = entry && !('notFound' in entry) ? entry : undefined;
    try {
      const refreshed = await this.refresh(key, load, observedAt, good?.data, options.decode);
      this.record(key, refreshed.entry, load, options.decode);
      return {
        data: refreshed.entry.data,
        fetchedAt: refreshed.entry.fetchedAt,
        status: refreshed.notModified ? 'REVALIDATED' : 'MISS',
      };
    } catch (error) {
      // A missing account is an answer, not a failure: it is not hidden behind stale data.
      if (good && !this.failures.isNotFound(error) && this.failures.canServeStale(error)) {
        // Never let an upstream failure destroy good data.
        this.logger.warn(
          { key, error: error instanceof Error ? error.name : 'unknown' },
          'The source failed; serving the last good value',
        );
        return { data: good.data, fetchedAt: good.fetchedAt, status: 'STALE' };
      }
      throw error;
    }
  }

  /**
   * A client's `no-cache` is honoured at most once per CACHE_MIN_REVALIDATE_S per entry: an entry
   * GitHub confirmed more recently is as fresh as a revalidation would make it.
   */
  private revalidatesNow(entry: { fetchedAt: number }, options: FreshnessRequest): boolean {
    return (
      options.revalidate === true &&
      Date.now() - entry.fetchedAt >= this.config.minRevalidateSeconds * 1000
    );
  }

  /**
   * Tells the request's record (the edge cache's) which entry its answer is made from, and how to
   * refresh that entry once it is stale, as a stale read here would.
   */
  private record<T>(
    key: string,
    entry: CachedEntry<T>,
    load: Loader<T>,
    decode: Decode<T> | undefined,
  ): void {
    recordDependency({
      key,
      entry,
      refreshInBackground: () =>
        this.refreshInBackground(key, load, Date.now(), entry.data, decode),
    });
  }

  private refreshInBackground<T>(
    key: string,
    load: Loader<T>,
    observedAt: number,
    previous: T,
    decode: Decode<T> | undefined,
  ): void {
    this.refresh(key, load, observedAt, previous, decode).catch((error: unknown) => {
      this.logger.warn(
        { key, error: error instanceof Error ? error.name : 'unknown' },
        'Background refresh failed; stale data kept',
      );
    });
  }

  /**
   * Loads and stores a key once, however many callers ask. `observedAt` is when the caller looked
   * at the cache: a result stored since then (by another caller or replica that got there first)
   * is used instead of asking GitHub again.
   */
  private refresh<T>(
    key: string,
    load: Loader<T>,
    observedAt: number,
    previous: T | undefined,
    decode: Decode<T> | undefined,
  ): Promise<{ entry: CachedEntry<T>; notModified: boolean }> {
    return this.inFlight.run(key, async () => {
      let lock = await this.locks.tryAcquire(key, LOCK_TTL_MS);
      if (!lock.acquired) {
        const outcome = await this.awaitOtherReplica<T>(key, observedAt, decode);
        if ('entry' in outcome) {
          return { entry: outcome.entry, notModified: false };
        }
        lock = outcome.lock;
      }
      try {
        const since = await this.storedSince<T>(key, observedAt, decode);
        if (since) {
          return { entry: since, notModified: false };
        }
        const loaded = await load(previous);
        const entry: CachedEntry<T> = { data: loaded.data, fetchedAt: Date.now() };
        await this.store.set(key, entry, retentionMs(this.config));
        return { entry, notModified: loaded.notModified };
      } catch (error) {
        // Remembered while the lock is still held, so no caller slips in between and asks again.
        if (this.failures.isNotFound(error)) {
          await this.rememberNotFound(key);
        }
        throw error;
      } finally {
        if (lock.acquired) {
          await lock.release();
        }
      }
    });
  }

  /** A result stored at or after `since`; throws when that result is "not found". */
  private async storedSince<T>(
    key: string,
    since: number,
    decode: Decode<T> | undefined,
  ): Promise<CachedEntry<T> | undefined> {
    const entry = await this.store.get<StoredResult<T>>(key, decodeEntry(decode));
    if (!entry || entry.fetchedAt < since) {
      return undefined;
    }
    if ('notFound' in entry) {
      throw this.failures.notFound();
    }
    return entry;
  }

  /**
   * Another replica holds the lock: wait for its result rather than fetching the same pages. If it
   * gives up (its fetch failed and it let go of the lock), take the lock and fetch here; after the
   * lock's lifetime, fetch without it rather than wait for ever.
   */
  private async awaitOtherReplica<T>(
    key: string,
    since: number,
    decode: Decode<T> | undefined,
  ): Promise<{ entry: CachedEntry<T> } | { lock: LockResult }> {
    for (let waited = 0; waited < LOCK_TTL_MS; waited += LOCK_POLL_MS) {
      await sleep(LOCK_POLL_MS);
      const entry = await this.storedSince<T>(key, since, decode);
      if (entry) {
        return { entry };
      }
      const lock = await this.locks.tryAcquire(key, LOCK_TTL_MS);
      if (lock.acquired) {
        return { lock };
      }
    }
    return { lock: { acquired: false } };
  }

  private async rememberNotFound(key: string): Promise<void> {
    if (this.config.negativeTtlSeconds > 0) {
      await this.store.set(
        key,
        { notFound: true, fetchedAt: Date.now() },
        this.config.negativeTtlSeconds * 1000,
      );
    }
  }
}

/** `gh:repos:user:octocat` → `gh:repos:user`: keys end with the account, which traces leave out. */
export function keyKindOf(key: string): string {
  const end = key.lastIndexOf(':');
  return end > 0 ? key.slice(0, end) : key;
}

/** Decodes the data of a stored result; a "not found" marker passes as it is. */
function decodeEntry<T>(decode: Decode<T> | undefined): Decode<StoredResult<T>> | undefined {
  if (!decode) {
    return undefined;
  }
  return (raw) => {
    const entry = raw as StoredResult<unknown>;
    if (typeof entry?.fetchedAt !== 'number') {
      throw new TypeError('not a stored result');
    }
    return 'notFound' in entry ? entry : { data: decode(entry.data), fetchedAt: entry.fetchedAt };
  };
}
