import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemType, refusedInstance, sendProblem } from './problem';

/** Far above any URL this API needs; longer ones are refused before routing. */
export const MAX_URL_LENGTH = 2048;
/** The list route has six parameters; room for a few typos, not for a flood. */
export const MAX_QUERY_PARAMETERS = 20;
const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A Fastify `onRequest` hook: this API only reads, so other methods get 405 with `Allow`; very
 * long URLs get 414 and very long query strings 400, before any routing or validation work.
 */
export function enforceRequestLimits(
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
): void {
  const path = refusedInstance(request.url);
  if (!ALLOWED_METHODS.has(request.method)) {
    void reply.header('allow', 'GET, HEAD, OPTIONS');
    return refuse(reply, {
      status: 405,
      title: 'Method Not Allowed',
      slug: 'method-not-allowed',
      detail: `${request.method} is not allowed: this API only reads (GET, HEAD, OPTIONS).`,
      path,
    });
  }
  if (request.url.length > MAX_URL_LENGTH) {
    return refuse(reply, {
      status: 414,
      title: 'URI Too Long',
      slug: 'uri-too-long',
      detail: `The URL is longer than ${MAX_URL_LENGTH} characters.`,
      path,
    });
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  if (query.split('&').length > MAX_QUERY_PARAMETERS) {
    return refuse(reply, {
      status: 400,
      title: 'Bad Request',
      slug: 'invalid-request',
      detail: `At most ${MAX_QUERY_PARAMETERS} query parameters are accepted.`,
      path,
    });
  }
  done();
}

function refuse(
  reply: FastifyReply,
  p: { status: number; title: string; slug: string; detail: string; path: string },
): void {
  sendProblem(reply, {
    type: problemType(p.slug),
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance: p.path,
  });
}
