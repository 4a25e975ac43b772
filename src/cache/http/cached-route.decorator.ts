import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { CachedResult } from '../result-cache';
import type { AnswerBody } from './cached-answer';

/** The key of a cached route's policy in its Fastify route config (`request.routeOptions.config`). */
export const CACHED_ROUTE = 'cachedRoute';

/** The policy of the route a request matched; undefined for a route that is not cached. */
export function cachedRoutePolicyOf(request: {
  routeOptions: { config?: unknown };
}): CachedRoutePolicy<object> | undefined {
  const config = request.routeOptions.config as Record<string, unknown> | undefined;
  return config?.[CACHED_ROUTE] as CachedRoutePolicy<object> | undefined;
}

/** What a policy may read of the request whose answer it shapes. */
export interface CachedRouteRequest {
  /** The path and query as the client sent them. */
  readonly url: string;
  /** The query string's parameters, as Fastify parsed them (validated by the route's DTO). */
  readonly query: unknown;
}

/**
 * How a cached route's data becomes HTTP, declared once on the route rather than built by its
 * service on every request: the HTTP cache (HttpCacheHook, and the edge cache for later hits)
 * reads it from the route's config.
 */
export interface CachedRoutePolicy<Data> {
  /** Headers of a 200 made from the data (such as `Link`); a 304 sends none of them. */
  headers?: (data: Data, request: CachedRouteRequest) => Readonly<Record<string, string>>;
  /** The body as `text/csv`, for routes that offer it (`Accept: text/csv`). */
  csv?: (data: Data) => string;
}

export interface CachedRouteOptions<Data> extends CachedRoutePolicy<Data> {
  /** The headers `headers` adds, by name, with their descriptions for the OpenAPI document. */
  documentedHeaders?: Record<string, string>;
  /** An example of the route's CSV for the document (routes with `csv`). */
  csvExample?: string;
}

/** A method that answers `Dto`'s body from the cache, whatever its parameters. */
type CachedHandler<Data> = (...args: never[]) => Promise<CachedResult<Data>>;

/**
 * Declares a cached route and turns its caching on: the handler returns data (a `CachedResult`
 * whose data is the documented DTO without `fetchedAt`, which the HTTP cache adds), and the HTTP
 * cache makes the answer (ETag, 304, Cache-Control, X-Cache, compression, CSV) and keeps it at the
 * edge, where later requests for the same URL are answered before Nest's pipeline runs. The
 * compiler checks the documented DTO against what the handler returns.
 */
export function CachedRoute<Dto, Data extends AnswerBody<Dto> = AnswerBody<Dto>>(
  type: Type<Dto>,
  options: CachedRouteOptions<Data> = {},
): <Handler extends CachedHandler<Data>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<Handler>,
) => void {
  const { documentedHeaders = {}, csvExample, headers, csv } = options;
  const policy: CachedRoutePolicy<Data> = { headers, csv };
  const decorate = applyDecorators(
    HttpCode(200),
    RouteConfig({ [CACHED_ROUTE]: policy }),
    ApiCachedRoute(type, documentedHeaders, csvExample),
  );
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}

/** Documents what every cached route shares: validators in, caching headers out, 304. */
function ApiCachedRoute(
  type: Type<unknown>,
  extraHeaders: Record<string, string>,
  csvExample: string | undefined,
): MethodDecorator {
  const header = (description: string) => ({ description, schema: { type: 'string' } });
  const body =
    csvExample === undefined
      ? { type }
      : {
          content: {
            'application/json': { schema: { $ref: getSchemaPath(type) } },
            'text/csv': {
              schema: { type: 'string' as const },
              example: csvExample,
            },
          },
        };
  return applyDecorators(
    ...(csvExample === undefined
      ? []
      : [
          ApiExtraModels(type),
          ApiHeader({
            name: 'Accept',
            required: false,
            description:
              '`text/csv` for CSV (a header row, then one line per point); JSON otherwise',
          }),
        ]),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier answer: 304 if unchanged',
    }),
    ApiHeader({
      name: 'Cache-Control',
      required: false,
      description: '`no-cache` revalidates with GitHub before answering',
    }),
    ApiOkResponse({
      ...body,
      headers: {
        ETag: header('Weak validator over the data'),
        'Cache-Control': header('max-age = freshness left; stale-while-revalidate'),
        'X-Cache': header('HIT, MISS, STALE or REVALIDATED'),
        Vary: header(
          csvExample === undefined
            ? 'Accept-Encoding: the body may be compressed'
            : 'Accept, Accept-Encoding: JSON or CSV, maybe compressed',
        ),
        'Content-Encoding': header(
          '`br` or `gzip` when Accept-Encoding allows it and the JSON is 1 kB or more; absent otherwise',
        ),
        ...Object.fromEntries(
          Object.entries(extraHeaders).map(([name, description]) => [name, header(description)]),
        ),
      },
    }),
    ApiResponse({ status: 304, description: 'Not modified since the ETag in If-None-Match' }),
  );
}
