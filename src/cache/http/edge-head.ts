import type { IncomingHttpHeaders } from 'node:http';
import type { CachedAnswer } from './cached-answer';
import type { AnswerMediaType } from './media-type';
import type { ContentCoding } from './content-coding';
import type { RepresentationCache, ReplyLike } from './representation-cache';

/** What differs between the answers to one URL: media type, coding, and a matching ETag. */
export interface Variant {
  readonly mediaType: AnswerMediaType;
  readonly coding: ContentCoding;
  readonly notModified: boolean;
}

/**
 * One variant's answer, made once: its status, the headers that do not change from request to
 * request (ETag, Vary, Content-Type, Content-Encoding, Content-Length, the route's own such as
 * `Link`), flat as `writeHead` takes them, and the body. `Cache-Control` (its max-age counts down)
 * and `X-Cache` are left to each request.
 */
export interface EdgeHead {
  readonly status: 200 | 304;
  readonly etag: string;
  readonly headers: readonly string[];
  /** `Vary` as the representation cache set it, for merging with what CORS put there. */
  readonly vary: string | undefined;
  readonly body: Buffer | undefined;
}

/** Headers the edge sets per request rather than keeping. */
const PER_REQUEST = new Set(['cache-control', 'x-cache', 'vary']);

/** A reply that only records what the representation cache sets on it. */
class RecordedReply implements ReplyLike {
  statusCode = 200;
  readonly headers = new Map<string, string>();

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: string): this {
    this.headers.set(name.toLowerCase(), value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }
}

/**
 * Makes a variant's head by asking the representation cache for it exactly as the pipeline does
 * (with request headers that negotiate to `variant`), so that the edge sends what the pipeline
 * would: the same bytes, validators, codings and headers.
 */
export function edgeHead(
  representations: RepresentationCache,
  answer: CachedAnswer<unknown>,
  variant: Variant,
  etagOfOk: string | undefined,
): EdgeHead {
  const request: IncomingHttpHeaders = {
    accept: variant.mediaType === 'csv' ? 'text/csv' : 'application/json',
    'accept-encoding': variant.coding === 'identity' ? 'identity' : variant.coding,
  };
  if (variant.notModified && etagOfOk !== undefined) {
    request['if-none-match'] = etagOfOk;
  }
  const reply = new RecordedReply();
  const body = representations.respond(request, reply, answer);
  const headers: string[] = [];
  for (const [name, value] of reply.headers) {
    if (!PER_REQUEST.has(name)) {
      headers.push(name, value);
    }
  }
  if (body !== undefined) {
    headers.push('content-length', String(body.byteLength));
  }
  return {
    status: reply.statusCode === 304 ? 304 : 200,
    etag: reply.headers.get('etag') ?? '',
    headers,
    vary: reply.headers.get('vary'),
    body,
  };
}

/** The key of a variant in an entry's map. */
export function variantKey({ mediaType, coding, notModified }: Variant): string {
  return notModified ? `${mediaType}:304` : `${mediaType}:${coding}`;
}
