import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
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
): <Handler extends CachedHandler<Dto>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<Handler>,
) => void {
  const decorate = applyDecorators(HttpCode(200), ApiCachedRoute(type, extraHeaders));
  return (target, key, descriptor) => {
    decorate(target, key, descriptor);
  };
}

/** Documents what every cached route shares: validators in, caching headers out, 304. */
function ApiCachedRoute(
  type: Type<unknown>,
  extraHeaders: Record<string, string>,
): MethodDecorator {
  const header = (description: string) => ({ description, schema: { type: 'string' } });
  return applyDecorators(
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
      type,
      headers: {
        ETag: header('Weak validator over the data'),
        'Cache-Control': header('max-age = freshness left; stale-while-revalidate'),
        'X-Cache': header('HIT, MISS, STALE or REVALIDATED'),
        Vary: header('Accept-Encoding: the body may be compressed'),
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
