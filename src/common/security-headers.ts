import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers (helmet) on every answer. The default CSP keeps Swagger UI working (its scripts
 * are served from /docs). Two changes: the dashboard page (src/web) shows avatars from GitHub's
 * image host; and no upgrade-insecure-requests, which made browsers fetch our own scripts over
 * https when the service is reached over plain http by any name but localhost (a blank page and a
 * blank /docs); behind TLS, HSTS keeps browsers on https.
 *
 * helmet's middleware is built once, here. @fastify/helmet, used before, built it again on every
 * request (parsing the CSP directives each time, through an async hook): 8–12 % of the CPU of a
 * cached answer, profiled. The headers are the same; nonces and per-route settings, which only
 * that plugin offers, are not used by this service.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        imgSrc: ["'self'", 'data:', 'https://avatars.githubusercontent.com'],
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // helmet only sets headers; since 8.1 it throws rather than passing an error on.
    setHeaders(request.raw, reply.raw, () => done());
  });
}
