import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { CachedAnswer } from './cached-answer';

/** A method that answers `Dto` through the HTTP cache, whatever its parameters. */
type CachedHandler<Dto> = (...args: never[]) => Promise<CachedAnswer<Dto>>;

/**
 * Declares a cached route: 200 with `type` as its documented body, plus what the HTTP cache does
 * (ETag, 304, Cache-Control, X-Cache, compression: HttpCacheHook) in the OpenAPI document. The
 * method must return a `CachedAnswer<type>`, so the compiler checks the documented DTO against
 * what is sent.
 */
export function CachedRoute<Dto>(
  type: Type<Dto>,
  extraHeaders: Record<string, string> = {},
  options: CachedRouteOptions = {},
): <Handler extends CachedHandler<Dto>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<Handler>,
) => void {
  const decorate = applyDecorators(HttpCode(200), ApiCachedRoute(type, extraHeaders, options));
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}

export interface CachedRouteOptions {
  /**
   * The route also answers `text/csv` (`Accept: text/csv`; the answer's `csv` renderer): an
   * example of its CSV for the document.
   */
  csvExample?: string;
}

/** Documents what every cached route shares: validators in, caching headers out, 304. */
function ApiCachedRoute(
  type: Type<unknown>,
  extraHeaders: Record<string, string>,
  { csvExample }: CachedRouteOptions,
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
