import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { Problem } from './problem';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the body names each parameter and the rule it broke',
  404: 'GitHub has no such user',
  502: 'GitHub failed: a 5xx, a body that is not JSON, or a dropped connection',
  503: 'GitHub rate limit reached; `Retry-After` says when to try again',
  504: 'GitHub did not answer in time',
};

/** Documents the problem+json errors a route can answer with. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
        ...(status === 503
          ? {
              headers: {
                'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
              },
            }
          : {}),
      }),
    ),
  );
}

export { Problem };
