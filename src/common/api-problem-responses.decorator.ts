import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ResponseObject } from '@nestjs/swagger';
import { Problem } from './problem';
import { MAX_QUERY_PARAMETERS, MAX_URL_LENGTH } from './request-limits';

const DESCRIPTIONS: Record<number, string> = {
  400: `Invalid input: each parameter that broke its rule is named in \`errors\`; or more than ${MAX_QUERY_PARAMETERS} query parameters`,
  404: 'GitHub has no such account or repository',
  414: `The URL is longer than ${MAX_URL_LENGTH} characters, or a path parameter longer than this service accepts`,
  429: "This client sent too many requests (THROTTLE_LIMIT), or its requests caused its share of GitHub's budget (CLIENT_UPSTREAM_LIMIT, type `client-upstream-budget`: cached answers are still served); `Retry-After` says when to try again",
  502: 'GitHub failed: a 5xx, a body that is not JSON, or a dropped connection',
  503: "GitHub's rate limit is spent, or this request would spend its reserve; `Retry-After` says when to try again",
  504: 'GitHub did not answer in time',
};

/** Statuses whose answer says when to come back. */
const WITH_RETRY_AFTER = new Set([429, 503]);

/** The OpenAPI response object of a problem+json error with this status. */
export function problemResponse(status: number, description?: string): ResponseObject {
  return {
    description: description ?? DESCRIPTIONS[status] ?? 'Error',
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    },
    ...(WITH_RETRY_AFTER.has(status)
      ? {
          headers: {
            'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
          },
        }
      : {}),
  };
}

/** Documents the problem+json errors a route can answer with. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}

export { Problem };
