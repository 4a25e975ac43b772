import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  Problem,
  PROBLEM_CONTENT_TYPE,
  problemType,
  refusedInstance,
  sendProblem,
} from './problem';

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
        : 'The request URL is not valid.',
    instance: refusedInstance(request.url),
  };
  void reply.header('x-request-id', request.id);
  sendProblem(reply, problem);
}

const CLIENT_ERROR_REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Requests Node's HTTP parser refuses (a malformed request line, headers over 16 kB, a client
 * that never finishes) never become Fastify requests; they too get a problem+json answer,
 * written straight to the socket, and the connection is closed.
 */
export function sendClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const title = CLIENT_ERROR_REASONS[status];
  const body = JSON.stringify({
    type: problemType(
      status === 431 ? 'headers-too-large' : status === 408 ? 'request-timeout' : 'invalid-request',
    ),
    title,
    status,
    detail:
      status === 431
        ? 'The request headers are too large.'
        : status === 408
          ? 'The request was not received in time.'
          : 'The request could not be parsed as HTTP.',
    instance: '/',
  } satisfies Problem);
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
