import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { CacheStore } from '../cache-store';
import { Freshness, freshnessOf, remainingFreshSeconds } from '../freshness';
import { MemoryBudget } from '../memory-budget';
import { Dependency, recordRequest, RequestRecord } from '../request-record';
import { keyKindOf } from '../result-cache';
import { isTracing, recordInstantSpan, SpanKind } from '../../tracing/tracer';
import { CachedAnswer } from './cached-answer';
import { cachedRoutePolicyOf } from './cached-route.decorator';
import { ifNoneMatchMatches, wantsRevalidation } from './conditional-request';
import { negotiateContentCoding } from './content-coding';
import { EdgeHead, edgeHead, Variant, variantKey } from './edge-head';
import { AnswerMediaType, negotiateMediaType } from './media-type';
import { RepresentationCache } from './representation-cache';
import { varyWith } from './vary';

/** What the edge keeps of one URL: the answer, what it was made from, what each hit must redo. */
interface EdgeEntry {
  /** The answer the pipeline made; `X-Cache` is set per request, HIT or STALE. */
  readonly answer: CachedAnswer<unknown>;
  readonly dependencies: readonly Dependency[];
  readonly onEveryServe: readonly (() => void)[];
  readonly conditions: readonly (() => boolean)[];
  /** The heads made so far, by variant (media type, coding, 304). */
  readonly heads: ReadonlyMap<string, EdgeHead>;
}

/**
 * What every request owes, which the edge asks of the app's other parts rather than knowing
 * them: the security headers, the client's limit, the access log line.
 */
export interface EdgeDues {
  /** Headers every answer carries, flat as `writeHead` takes them. */
  readonly headers: readonly string[];
  /** Counts the request against its client's limit: the headers to send, or undefined when over it. */
  admit(request: FastifyRequest): readonly string[] | undefined;
  /** Runs `work` as the request's client's, who pays for what it costs at GitHub. */
  runAsClient(request: FastifyRequest, work: () => void): void;
  /** The answer is written (for the access log). */
  answered(request: FastifyRequest, reply: FastifyReply, statusCode: number): void;
}

/**
 * Cached routes' answers served before Nest's router, guards, pipes and interceptors run: a
 * request whose URL was answered before from cached results that are all still the store's
 * current, fresh entries gets the same representation again from a Fastify `onRequest` hook.
 *
 * What makes that safe without rerunning the route: the URL (path and query) is the whole input
 * of a cached route, and its answer was validated and made once already; the result cache
 * records, per request, which entries the answer came from (RequestRecord), and the edge answers
 * only while each is still the very object the store holds. Fresh, it is a HIT; stale, it is
 * answered STALE and each stale entry's background refresh starts, charged to the client, as a
 * stale read in the pipeline does (with Redis, stale reads go through the pipeline, which asks
 * Redis for a replica's fresher copy). A refresh, a revalidation, a webhook's invalidation or an
 * eviction replaces or drops that object, so the next request goes through the pipeline and makes
 * the new answer. Anything else goes through the pipeline too: `no-cache`, an answer a service
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
      // The URL, the entry and its dependencies, about 1 kB for the answer's source, which the
      // entry keeps alive after its own cache (a listing page's, say) let go of it, and the heads
      // made so far with their bodies (shared with the representation cache while it keeps them).
      sizeOf: (entry, url) =>
        2 * (url as string).length + 1200 + 100 * entry.dependencies.length + headBytes(entry),
    });
  }

  /**
   * For a Fastify `onRequest` hook: answers the request from the edge and returns true, or returns
   * false having done nothing. The answer is written to Node's response in one go (`writeHead`
   * with the variant's head made once, then the body) and Fastify is told it was (`hijack`): its
   * `onResponse` hooks (metrics, traces) still run.
   */
  serve(request: FastifyRequest, reply: FastifyReply, dues: EdgeDues): boolean {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || cachedRoutePolicyOf(request) === undefined) {
      return false;
    }
    const url = request.url;
    const entry = this.entries.get(url);
    const headers = request.headers;
    if (entry === undefined || wantsRevalidation(headers)) {
      return false;
    }
    const freshness = this.servableAs(entry, url);
    if (freshness === undefined) {
      return false;
    }
    const head = this.headFor(url, entry, headers);
    const limits = dues.admit(request);
    if (limits === undefined) {
      return false;
    }
    this.countServed(entry, freshness, request, dues);
    const response = reply.raw;
    const written = [...dues.headers, 'x-request-id', request.id, ...limits, ...head.headers];
    written.push(
      'cache-control',
      `public, max-age=${remainingFreshSeconds(entry.answer.fetchedAt, this.config)}, stale-while-revalidate=${this.config.staleSeconds}`,
      'x-cache',
      freshness === 'fresh' ? 'HIT' : 'STALE',
      'vary',
      mergedVary(response.getHeader('vary'), head.vary),
    );
    void reply.hijack();
    response.writeHead(head.status, written);
    response.end(head.body);
    dues.answered(request, reply, head.status);
    return true;
  }

  /** The variant the request asks for: media type, coding, and a 304 when its ETag matches. */
  private headFor(url: string, entry: EdgeEntry, headers: IncomingHttpHeaders): EdgeHead {
    const mediaType: AnswerMediaType = entry.answer.csv
      ? negotiateMediaType(headers.accept, true)
      : 'json';
    const coding = negotiateContentCoding(headers['accept-encoding']);
    const ok = this.head(url, entry, { mediaType, coding, notModified: false }, undefined);
    const ifNoneMatch = headers['if-none-match'];
    if (ifNoneMatch === undefined || !ifNoneMatchMatches(ifNoneMatch, ok.etag)) {
      return ok;
    }
    return this.head(url, entry, { mediaType, coding, notModified: true }, ok.etag);
  }

  /** A variant's head, made on its first request and kept with the entry (and counted in its size). */
  private head(url: string, entry: EdgeEntry, variant: Variant, etagOfOk?: string): EdgeHead {
    const key = variantKey(variant);
    const known = entry.heads.get(key);
    if (known !== undefined) {
      return known;
    }
    const made = edgeHead(this.representations, entry.answer, variant, etagOfOk);
    // A new entry object: lru-cache sizes an entry only when a different value is set.
    this.entries.set(url, { ...entry, heads: new Map(entry.heads).set(key, made) });
    return made;
  }

  /**
   * Counted and traced as the pipeline counts what it serves: once per cached result the answer
   * is made from, a hit or stale; a stale one also starts its background refresh, on behalf of
   * the client who read it (as a stale read in the pipeline does).
   */
  private countServed(
    entry: EdgeEntry,
    freshness: Freshness,
    request: FastifyRequest,
    dues: EdgeDues,
  ): void {
    const traced = isTracing();
    const now = Date.now();
    for (const dependency of entry.dependencies) {
      const stale =
        freshness === 'stale' && freshnessOf(dependency.entry, this.config, now) === 'stale';
      this.metrics.recordCacheResult(stale ? 'stale' : 'hit');
      if (stale) {
        dues.runAsClient(request, dependency.refreshInBackground);
      }
      if (traced) {
        recordInstantSpan('cache lookup', SpanKind.INTERNAL, {
          'cache.key.kind': keyKindOf(dependency.key),
          'cache.status': stale ? 'STALE' : 'HIT',
          'cache.edge': true,
        });
      }
    }
    for (const effect of entry.onEveryServe) {
      this.runEffect(effect);
    }
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
      answer,
      dependencies: record.dependencies,
      onEveryServe: record.onEveryServe,
      conditions: record.conditions,
      heads: new Map(),
    };
    if (this.servableAs(entry, request.url) === 'fresh') {
      this.entries.set(request.url, entry);
    }
  }

  /**
   * Whether the answer may be served, and as what: `fresh` while every result it was made from is
   * still the store's entry and fresh; `stale` while they are all still the store's entries but
   * one has aged past CACHE_TTL_SECONDS (kept until CACHE_STALE_SECONDS more, as the store keeps
   * them), as long as this process's memory is the only store: with Redis, a stale read asks
   * Redis, where another replica may have a fresher copy, so it goes through the pipeline.
   * Undefined (and the entry dropped) otherwise.
   */
  private servableAs(entry: EdgeEntry, url: string): Freshness | undefined {
    const now = Date.now();
    let freshness: Freshness = 'fresh';
    for (const { key, entry: held } of entry.dependencies) {
      if (this.store.peek(key) !== held) {
        this.entries.delete(url);
        return undefined;
      }
      if (freshnessOf(held, this.config, now) === 'stale') {
        freshness = 'stale';
      }
    }
    for (const condition of entry.conditions) {
      if (!condition()) {
        this.entries.delete(url);
        return undefined;
      }
    }
    return freshness === 'stale' && this.store.backend !== 'memory' ? undefined : freshness;
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

function headBytes(entry: EdgeEntry): number {
  let bytes = 0;
  for (const head of entry.heads.values()) {
    bytes += 200 + (head.body?.byteLength ?? 0);
  }
  return bytes;
}

/**
 * `Vary` of the answer, after anything CORS put there (`Origin`): each field of the
 * representation's `Vary` added as the pipeline adds it (`varyWith`).
 */
function mergedVary(set: unknown, ours: string | undefined): string {
  let vary = typeof set === 'string' ? set : '';
  for (const field of (ours ?? 'Accept-Encoding').split(',')) {
    vary = varyWith(vary, field.trim()) ?? vary;
  }
  return vary;
}
