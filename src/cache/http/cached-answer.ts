import type { CacheStatus } from '../result-cache';

/** A route's body is its documented DTO without `fetchedAt`, which the HTTP cache adds. */
export type AnswerBody<Dto> = Omit<Dto, 'fetchedAt'>;

/**
 * What a cached route returns: how to make its body from cached data, and what the HTTP cache
 * needs to send it (validators, freshness, `X-Cache`). HttpCacheHook turns it into bytes.
 */
export class CachedAnswer<Dto> {
  constructor(
    /**
     * The cached data the body is made from. Cached data objects are immutable snapshots, so
     * their identity keys the encoded representation: a hit reuses the bytes, a refresh makes new
     * ones.
     */
    readonly source: object,
    /** When the source last came from (or was confirmed by) upstream, in epoch milliseconds. */
    readonly fetchedAt: number,
    readonly status: CacheStatus,
    /** Called only when `source` has no representation yet. */
    readonly render: () => AnswerBody<Dto>,
    /** Headers of a 200 (such as `Link`); a 304 sends none of them (RFC 9110 §15.4.5). */
    readonly headers?: Readonly<Record<string, string>>,
    /** The body as `text/csv`, for routes that offer it (`Accept: text/csv`); called once per source. */
    readonly csv?: () => string,
  ) {}
}

/** A cached result (data, fetch time, cache status) as an answer whose body is `render(data)`. */
export function cachedAnswer<Data extends object, Dto>(
  result: { data: Data; fetchedAt: number; status: CacheStatus },
  render: (data: Data) => AnswerBody<Dto>,
  headers?: Readonly<Record<string, string>>,
  csv?: (data: Data) => string,
): CachedAnswer<Dto> {
  const { data } = result;
  return new CachedAnswer<Dto>(
    data,
    result.fetchedAt,
    result.status,
    () => render(data),
    headers,
    csv && (() => csv(data)),
  );
}
