import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * Security headers (helmet) on every answer. The default CSP keeps Swagger UI working (its scripts
 * are served from /docs). Two changes: the dashboard page (src/web) shows avatars from GitHub's
 * image host; and no upgrade-insecure-requests, which made browsers fetch our own scripts over
 * https when the service is reached over plain http by any name but localhost (a blank page and a
 * blank /docs); behind TLS, HSTS keeps browsers on https.
 *
 * helmet's headers are the same for every request (no nonces, no per-route settings), so they
 * are read off helmet once, at start-up, and set on Fastify's reply: Node then writes them with the
 * rest of the head in one go. Set by helmet on Node's response (`setHeader`), as before, they also
 * sent every other header of the answer through `setHeader`'s checks, which a cached hit's profile
 * showed (issue 23). @fastify/helmet, used before that, built the middleware again on every
 * request: 8–12 % of a cached answer's CPU.
 */
export function addSecurityHeaders(fastify: FastifyInstance): readonly string[] {
  const headers = helmetHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
  // The same headers, flat as Node's `writeHead` takes them, for answers written there (the edge).
  return Object.entries(headers).flat();
}

/** The headers helmet sets, as it sets them on a response. */
function helmetHeaders(): Readonly<Record<string, string>> {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        imgSrc: ["'self'", 'data:', 'https://avatars.githubusercontent.com'],
        upgradeInsecureRequests: null,
      },
    },
  });
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    // helmet removes X-Powered-By, which neither Fastify nor Nest sets.
    removeHeader: () => undefined,
  };
  let failure: unknown;
  setHeaders(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => (failure = error),
  );
  if (failure !== undefined || Object.keys(headers).length === 0) {
    throw new Error('helmet set no security headers');
  }
  return headers;
}
