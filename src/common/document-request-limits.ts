import type { OpenAPIObject, OperationObject, PathItemObject } from '@nestjs/swagger';
import { problemResponse } from './api-problem-responses.decorator';
import { MAX_QUERY_PARAMETERS } from './request-limits';

const OPERATION_KEYS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/**
 * Adds to every operation of the document the refusals `enforceRequestLimits` (a hook on every
 * request) and Fastify's router can answer on any route: 400 for too many query parameters or a
 * malformed URL, 414 for a URL or path parameter too long. They are added here, once, rather
 * than by each controller, because no route can opt out of them: a new route is documented
 * truthfully without anyone remembering to. A status a route documents itself is kept as it is.
 */
export function documentRequestLimits(document: OpenAPIObject): OpenAPIObject {
  const refusals = {
    400: problemResponse(
      400,
      `The URL is malformed, or has more than ${MAX_QUERY_PARAMETERS} query parameters`,
    ),
    414: problemResponse(414),
  };
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const key of OPERATION_KEYS) {
      const operation: OperationObject | undefined = item[key];
      if (operation) {
        operation.responses = { ...refusals, ...operation.responses };
      }
    }
  }
  return document;
}
