import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { MemoryBudget } from '../../cache/memory-budget';
import { cacheConfig } from '../../config/cache.config';
import { remainingFreshSeconds } from '../../github/cache/cache-entry';
import { CacheStatus } from '../../github/cache/result-cache';

/** Works on Fastify's reply and Express's response alike. */
export interface ReplyLike {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
}

export interface CacheableResult {
  fetchedAt: number;
  status: CacheStatus;
}

interface Representation {
  /** The JSON, encoded once: a socket takes bytes, and encoding 10 kB per answer showed in profiles. */
  body: Buffer;
  etag: string;
  fetchedAt: number;
}

/**
 * Makes our own responses cacheable by clients and CDNs: a weak `ETag` over the data (weak
 * because `fetchedAt` in the body moves while the data stays the same), `304` for a matching
 * `If-None-Match`, `Cache-Control` with the freshness left plus stale-while-revalidate, and
 * `X-Cache`. A representation is serialized, hashed and encoded once per data object, so a cache
 * hit costs a map lookup rather than a stringify, a hash and a UTF-8 encoding.
 */
@Injectable()
export class HttpCacheResponder {
  /**
   * Keyed by the data object (cached data objects are immutable snapshots). Each entry counts its
   * bytes twice: the encoded body, and about as much again for the data it keeps alive.
   */
  private readonly representations: LRUCache<object, Representation>;

  constructor(
    @Inject(cacheConfig.KEY) private readonly config: ConfigType<typeof cacheConfig>,
    budget: MemoryBudget,
  ) {
    this.representations = budget.create('representations', {
      sizeOf: (representation) => 2 * representation.body.byteLength + 256,
    });
  }

  /**
   * Returns the JSON to send; or, with status 304, nothing at all, so that no Content-Type is sent
   * either (a 304 carries no representation).
   */
  respond<T extends object>(
    headers: IncomingHttpHeaders,
    reply: ReplyLike,
    data: T,
    result: CacheableResult,
    toBody: (data: T) => object,
  ): Buffer | undefined {
    const representation = this.representationOf(data, result.fetchedAt, toBody);
    reply.header('etag', representation.etag);
    reply.header(
      'cache-control',
      `public, max-age=${remainingFreshSeconds(result.fetchedAt, this.config)}, stale-while-revalidate=${this.config.staleSeconds}`,
    );
    reply.header('x-cache', result.status);
    if (matches(headers['if-none-match'], representation.etag)) {
      reply.status(304);
      return undefined;
    }
    reply.header('content-type', 'application/json; charset=utf-8');
    return representation.body;
  }

  private representationOf<T extends object>(
    data: T,
    fetchedAt: number,
    toBody: (data: T) => object,
  ): Representation {
    // Cached data objects are immutable snapshots, so identity keys the data; a revalidation (304)
    // keeps the same object with a later fetchedAt, which only the body carries.
    const known = this.representations.get(data);
    if (known?.fetchedAt === fetchedAt) {
      return known;
    }
    const body = toBody(data);
    const etag =
      known?.etag ?? `W/"${createHash('sha1').update(JSON.stringify(body)).digest('base64url')}"`;
    const json = JSON.stringify({ ...body, fetchedAt: new Date(fetchedAt).toISOString() });
    const representation = { body: Buffer.from(json), etag, fetchedAt };
    this.representations.set(data, representation);
    return representation;
  }
}

/** Weak comparison, as RFC 9110 asks for `If-None-Match`; `*` matches any representation. */
function matches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) {
    return false;
  }
  const opaque = etag.replace(/^W\//, '');
  return [ifNoneMatch]
    .flat()
    .flatMap((value) => value.split(','))
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === opaque);
}

/** `Cache-Control: no-cache` (or `max-age=0`) from a client asks us to revalidate with GitHub now. */
export function wantsRevalidation(headers: IncomingHttpHeaders): boolean {
  const cacheControl = headers['cache-control'] ?? '';
  return /(^|,)\s*(no-cache|max-age=0)\s*(,|$)/i.test(cacheControl);
}
