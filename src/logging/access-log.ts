import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/**
 * The access log line of an answer written before Nest's middleware runs (the edge cache), as
 * pino-http writes one for every other request: the same logger, fields, level and message, so
 * that a log reader cannot tell the two apart.
 */
export function logAnswered(request: FastifyRequest, statusCode: number, elapsedMs: number): void {
  PinoLogger.root?.info(
    {
      req: { id: request.id, method: request.method, url: request.url },
      // pino-http's serializers take Node's objects: a response's status counts once its head is
      // sent (it is), which they read from `headersSent`.
      res: { statusCode, headersSent: true },
      responseTime: Math.round(elapsedMs),
    },
    'request completed',
  );
}
