import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem';

/**
 * Fastify refuses some requests before Nest sees them (a malformed percent-encoding, a path
 * parameter over the router's limit). They get the same problem+json body as every other error,
 * with a detail that names the rule and echoes nothing of the request.
 */
export function sendFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const problem: Problem = {
    type: problemType(status === 414 ? 'uri-too-long' : 'invalid-request'),
    title: status === 414 ? 'URI Too Long' : 'Bad Request',
    status,
    detail:
      status === 414
        ? 'A path parameter is longer than this service accepts.'
        : 'The request URL is not valid (malformed percent-encoding).',
    instance: safePath(request.url),
  };
  void reply
    .code(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('x-request-id', request.id)
    .send(JSON.stringify(problem));
}

/** The path as received, cut short and without its query: it may be what was malformed. */
function safePath(url: string): string {
  return url.split('?')[0].slice(0, 200);
}
