import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { CacheStore } from '../cache-store';
import { freshnessOf } from '../freshness';
import { MemoryBudget } from '../memory-budget';
import { Dependency, recordRequest, RequestRecord } from '../request-record';
import { keyKindOf } from '../result-cache';
import { isTracing, recordInstantSpan, SpanKind } from '../../tracing/tracer';
import { CachedAnswer } from './cached-answer';
import { cachedRoutePolicyOf } from './cached-route.decorator';
import { wantsRevalidation } from './conditional-request';
import { RepresentationCache } from './representation-cache';

/** What the edge keeps of one URL: the answer, what it was made from, what each hit must redo. */
interface EdgeEntry {
  /** The answer as a hit sends it (`X-Cache: HIT`). */
  readonly answer: CachedAnswer<unknown>;
  readonly dependencies: readonly Dependency[];
  readonly onEveryServe: readonly (() => void)[];
  readonly conditions: readonly (() => boolean)[];
}

/** Lets the caller count the request against the client's limit (and set its headers). */
export type Admission = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Cached routes' answers served before Nest's router, guards, pipes and interceptors run: a
 * request whose URL was answered before from cached results that are all still the store's
 * current, fresh entries gets the same representation again from a Fastify `onRequest` hook.
 *
 * What makes that safe without rerunning the route: the URL (path and query) is the whole input
 * of a cached route, and its answer was validated and made once already; the result cache
 * records, per request, which entries the answer came from (RequestRecord), and the edge answers
 * only while each is still the very object the store holds, and fresh. A refresh, a revalidation,
 * a webhook's invalidation or an eviction replaces or drops that object, so the next request goes
 * through the pipeline and makes the new answer. Anything else goes through the pipeline too:
 * `no-cache`, stale data (whose refresh only the route knows how to start), an answer a service
 * kept off the edge, and a client over its limit (whose 429 the guard gives).
 */
@Injectable()
export class EdgeCache {
  private readonly logger = new Logger(EdgeCache.name);
  private readonly entries: LRUCache<string, EdgeEntry>;
  /** The record of each request going through the pipeline, read when its answer is made. */
  private readonly records = new WeakMap<FastifyRequest, RequestRecord>();

  constructor(
    @Inject(cacheConfig.KEY) private readonly config: ConfigType<typeof cacheConfig>,
    budget: MemoryBudget,
    private readonly store: CacheStore,
    private readonly representations: RepresentationCache,
    private readonly metrics: MetricsService,
  ) {
    this.entries = budget.create<string, EdgeEntry>('edge', {
      // The URL, the entry and its dependencies, and about 1 kB for the answer's source, which the
      // entry keeps alive after its own cache (a listing page's, say) let go of it; the bytes sent
      // are the representation cache's.
      sizeOf: (entry, url) => 2 * (url as string).length + 1200 + 100 * entry.dependencies.length,
    });
  }

  /**
   * For a Fastify `onRequest` hook: answers the request from the edge and returns true, or returns
   * false having done nothing but, for a cached route, start recording what its answer is made of.
   * Then `next` must run the rest of the request inside the record (`recordRequest`).
   */
  serve(request: FastifyRequest, reply: FastifyReply, admit: Admission): boolean {
    if (cachedRoutePolicyOf(request) === undefined) {
      return false;
    }
    const entry = this.entries.get(request.url);
    if (
      entry === undefined ||
      wantsRevalidation(request.headers) ||
      !this.isCurrent(entry, request.url) ||
      !admit(request, reply)
    ) {
      return false;
    }
    // Counted and traced as the pipeline's hits are: once per cached result the answer is made from.
    const traced = isTracing();
    for (const { key } of entry.dependencies) {
      this.metrics.recordCacheResult('hit');
      if (traced) {
        recordInstantSpan('cache lookup', SpanKind.INTERNAL, {
          'cache.key.kind': keyKindOf(key),
          'cache.status': 'HIT',
          'cache.edge': true,
        });
      }
    }
    for (const effect of entry.onEveryServe) {
      this.runEffect(effect);
    }
    const body = this.representations.respond(request.headers, reply, entry.answer);
    // No payload for a 304, so that Fastify adds no Content-Type; a Buffer is sent as it is.
    void (body === undefined ? reply.send() : reply.send(body));
    return true;
  }

  /**
   * Runs `next` (the rest of a cached route's handling) with a record of what its answer is made
   * from; other routes just go on.
   */
  record(request: FastifyRequest, next: () => void): void {
    if (cachedRoutePolicyOf(request) === undefined) {
      next();
      return;
    }
    const record = new RequestRecord();
    this.records.set(request, record);
    recordRequest(record, next);
  }

  /**
   * Keeps `answer`, just made by the pipeline for `request`, for later requests of the same URL:
   * only an answer made entirely of fresh cached results (nothing stale, nothing read around the
   * cache), each still the store's current entry.
   */
  remember(request: FastifyRequest, answer: CachedAnswer<unknown>): void {
    const record = this.records.get(request);
    if (
      record === undefined ||
      record.offTheEdge ||
      record.dependencies.length === 0 ||
      answer.status === 'STALE' ||
      (request.method !== 'GET' && request.method !== 'HEAD')
    ) {
      return;
    }
    const entry: EdgeEntry = {
      answer: answer.asHit(),
      dependencies: record.dependencies,
      onEveryServe: record.onEveryServe,
      conditions: record.conditions,
    };
    if (this.isCurrent(entry, request.url)) {
      this.entries.set(request.url, entry);
    }
  }

  /** Every result the answer was made from is still the store's entry, and fresh. */
  private isCurrent(entry: EdgeEntry, url: string): boolean {
    const now = Date.now();
    for (const { key, entry: held } of entry.dependencies) {
      if (this.store.peek(key) !== held || freshnessOf(held, this.config, now) !== 'fresh') {
        this.entries.delete(url);
        return false;
      }
    }
    for (const condition of entry.conditions) {
      if (!condition()) {
        this.entries.delete(url);
        return false;
      }
    }
    return true;
  }

  private runEffect(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'A cached route effect failed',
      );
    }
  }
}
