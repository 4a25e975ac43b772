import { applyDecorators, Type } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiResponse } from '@nestjs/swagger';

/** Documents what every cached route shares: validators in, caching headers out, 304. */
export function ApiCachedRoute(
  type: Type<unknown>,
  extraHeaders: Record<string, string> = {},
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
        ...Object.fromEntries(
          Object.entries(extraHeaders).map(([name, description]) => [name, header(description)]),
        ),
      },
    }),
    ApiResponse({ status: 304, description: 'Not modified since the ETag in If-None-Match' }),
  );
}
