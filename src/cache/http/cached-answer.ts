import type { CachedResult, CacheStatus } from '../result-cache';
import type { CachedRoutePolicy, CachedRouteRequest } from './cached-route.decorator';

/** A route's body is its documented DTO without `fetchedAt`, which the HTTP cache adds. */
export type AnswerBody<Dto> = Omit<Dto, 'fetchedAt'>;

/**
 * A cached route's data made ready for HTTP: the body's source, the validators and freshness the
 * HTTP cache needs (`X-Cache` too), and the route's headers and CSV form. Made by the HTTP cache
 * from what a route returns and the policy `@CachedRoute` declares; RepresentationCache turns it
 * into bytes.
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

/** A route's cached result, shaped by its `@CachedRoute` policy, as the answer to `request`. */
export function answerFrom<Data extends object>(
  result: CachedResult<Data>,
  policy: CachedRoutePolicy<Data>,
  request: CachedRouteRequest,
): CachedAnswer<Data> {
  const { data } = result;
  const { csv } = policy;
  return new CachedAnswer<Data>(
    data,
    result.fetchedAt,
    result.status,
    () => data,
    policy.headers?.(data, request),
    csv && (() => csv(data)),
  );
}

/** Whether what a handler returned is a cached result (and not, say, an error's body). */
export function isCachedResult(value: unknown): value is CachedResult<object> {
  const candidate = value as Partial<CachedResult<unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.data === 'object' &&
    candidate.data !== null &&
    typeof candidate.fetchedAt === 'number' &&
    typeof candidate.status === 'string'
  );
}
