import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { cacheConfig } from '../../config/cache.config';
import { MetricsService } from '../../metrics/metrics.service';
import { remainingFreshSeconds } from '../freshness';
import { MemoryBudget } from '../memory-budget';
import { CachedAnswer } from './cached-answer';
import { compress, MIN_COMPRESSIBLE_BYTES } from './compress';
import { ifNoneMatchMatches } from './conditional-request';
import { negotiateContentCoding } from './content-coding';
import { AnswerMediaType, negotiateMediaType } from './media-type';
import { addVary, HeaderWriter } from './vary';

const CONTENT_TYPES: Record<AnswerMediaType, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Works on Fastify's reply and Express's response alike. */
export interface ReplyLike extends HeaderWriter {
  status(code: number): unknown;
}

interface Representation {
  /** The JSON, encoded once: a socket takes bytes, and encoding 10 kB per answer showed in profiles. */
  body: Buffer;
  etag: string;
  fetchedAt: number;
  /** `body` compressed, each coding made by the first request that asks for it. */
  compressed: Readonly<{ br?: Buffer; gzip?: Buffer }>;
}

/**
 * Makes our own responses cacheable by clients and CDNs: a weak `ETag` over the data (weak
 * because `fetchedAt` in the body moves while the data stays the same), `304` for a matching
 * `If-None-Match`, `Cache-Control` with the freshness left plus stale-while-revalidate, and
 * `X-Cache`. A representation is serialized, hashed and encoded once per data object, so a cache
 * hit costs a map lookup rather than a stringify, a hash and a UTF-8 encoding.
 *
 * Answers of 1 kB and more are sent in Brotli or gzip when `Accept-Encoding` asks for it, each
 * coding compressed once per representation and kept beside its JSON, so a hit costs no
 * compression either. The Brotli, gzip and identity forms share one weak ETag: RFC 9110 §8.8.1
 * lets semantically equivalent representations share a weak validator, and `If-None-Match` uses
 * weak comparison (§13.1.2), so a tag obtained in one coding revalidates in any other. Distinct
 * strong tags would buy only range requests, which no route here serves. `Vary: Accept-Encoding`
 * goes on every answer, 304s included (§15.4.5), so shared caches keep the codings apart; a 304
 * carries no `Content-Encoding`, since a cache would copy it onto the stored answer (RFC 9111
 * §4.3.4). HEAD runs the same code as GET (Fastify strips the body) and so sends the GET's
 * Content-Encoding and the Content-Length of its compressed body, as RFC 9110 §9.3.2 asks.
 */
@Injectable()
export class RepresentationCache {
  /**
   * Keyed by the data object (cached data objects are immutable snapshots). Each entry counts its
   * bytes twice: the encoded body, and about as much again for the data it keeps alive; plus its
   * compressed forms.
   */
  private readonly representations: LRUCache<object, Representation>;
  /** A source's CSV key: a distinct object, so that the CSV form is an entry of its own. */
  private readonly csvKeys = new WeakMap<object, object>();

  constructor(
    @Inject(cacheConfig.KEY) private readonly config: ConfigType<typeof cacheConfig>,
    budget: MemoryBudget,
    private readonly metrics: MetricsService,
  ) {
    this.representations = budget.create('representations', {
      sizeOf: ({ body, compressed }) =>
        2 * body.byteLength +
        (compressed.br?.byteLength ?? 0) +
        (compressed.gzip?.byteLength ?? 0) +
        256,
    });
  }

  /**
   * Returns the JSON to send; or, with status 304, nothing at all, so that no Content-Type is sent
   * either (a 304 carries no representation).
   */
  respond(
    headers: IncomingHttpHeaders,
    reply: ReplyLike,
    answer: CachedAnswer<unknown>,
  ): Buffer | undefined {
    const mediaType = negotiateMediaType(headers.accept, answer.csv !== undefined);
    const key = mediaType === 'csv' ? this.csvKeyOf(answer.source) : answer.source;
    const representation =
      mediaType === 'csv' ? this.csvRepresentationOf(key, answer) : this.representationOf(answer);
    reply.header('etag', representation.etag);
    reply.header(
      'cache-control',
      `public, max-age=${remainingFreshSeconds(answer.fetchedAt, this.config)}, stale-while-revalidate=${this.config.staleSeconds}`,
    );
    reply.header('x-cache', answer.status);
    if (answer.csv) {
      addVary(reply, 'Accept');
    }
    addVary(reply, 'Accept-Encoding');
    if (ifNoneMatchMatches(headers['if-none-match'], representation.etag)) {
      reply.status(304);
      return undefined;
    }
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      reply.header(name, value);
    }
    reply.header('content-type', CONTENT_TYPES[mediaType]);
    if (representation.body.byteLength < MIN_COMPRESSIBLE_BYTES) {
      return representation.body;
    }
    const coding = negotiateContentCoding(headers['accept-encoding']);
    if (coding === 'identity') {
      return representation.body;
    }
    reply.header('content-encoding', coding);
    return this.compressedBody(key, representation, coding);
  }

  private compressedBody(
    data: object,
    representation: Representation,
    coding: 'br' | 'gzip',
  ): Buffer {
    const known = representation.compressed[coding];
    if (known) {
      return known;
    }
    const body = compress(representation.body, coding);
    this.metrics.recordCompression(coding);
    // Set again, as a new object: lru-cache computes an entry's size only when it is set with a
    // value other than the one it holds, and the compressed bytes must count against the budget.
    this.representations.set(data, {
      ...representation,
      compressed: { ...representation.compressed, [coding]: body },
    });
    return body;
  }

  /**
   * The key of a source's CSV form in the same LRU (and memory budget) as its JSON: one
   * representation per source and media type, each dropped with its source.
   */
  private csvKeyOf(source: object): object {
    let key = this.csvKeys.get(source);
    if (!key) {
      key = {};
      this.csvKeys.set(source, key);
    }
    return key;
  }

  /** CSV carries no `fetchedAt`, so its bytes and strong-content tag follow the data alone. */
  private csvRepresentationOf(key: object, answer: CachedAnswer<unknown>): Representation {
    const known = this.representations.get(key);
    if (known) {
      return known;
    }
    const text = (answer.csv as () => string)();
    const representation = {
      body: Buffer.from(text),
      etag: `W/"csv-${createHash('sha1').update(text).digest('base64url')}"`,
      fetchedAt: answer.fetchedAt,
      compressed: {},
    };
    this.representations.set(key, representation);
    return representation;
  }

  private representationOf({ source, fetchedAt, render }: CachedAnswer<unknown>): Representation {
    // Cached data objects are immutable snapshots, so identity keys the data; a revalidation (304)
    // keeps the same object with a later fetchedAt, which only the body carries.
    const known = this.representations.get(source);
    if (known?.fetchedAt === fetchedAt) {
      return known;
    }
    const body = render();
    const etag =
      known?.etag ?? `W/"${createHash('sha1').update(JSON.stringify(body)).digest('base64url')}"`;
    const json = JSON.stringify({ ...body, fetchedAt: new Date(fetchedAt).toISOString() });
    const representation = { body: Buffer.from(json), etag, fetchedAt, compressed: {} };
    this.representations.set(source, representation);
    return representation;
  }
}
