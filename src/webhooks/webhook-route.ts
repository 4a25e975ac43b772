import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemType, sendProblem } from '../common/problem';
import type { WebhooksConfig } from '../config/webhooks.config';
import { WebhookAcceptedResponse } from './dto/webhook-accepted.response';

export const WEBHOOK_PATH = '/webhooks/github';

/** A request for the webhook route (which the read-only API's method check must let through). */
export function isWebhookDelivery(request: { method: string; url: string }): boolean {
  return request.method === 'POST' && request.url.split('?', 1)[0] === WEBHOOK_PATH;
}

/**
 * What the webhook route needs from Fastify, installed only when GITHUB_WEBHOOK_SECRET is set:
 * its body kept as bytes (the signature is over them: nothing is parsed before it is checked), up
 * to GitHub's 25 MB on this route alone (413 beyond), and its own bound, WEBHOOK_MAX_IN_FLIGHT
 * deliveries read at once per replica (503 beyond), before any byte of a body is read.
 */
export function prepareWebhookRoute(
  app: { useBodyParser(type: string, options: object, parser: BodyParser): unknown },
  fastify: FastifyInstance,
  config: WebhooksConfig,
): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === WEBHOOK_PATH) {
      route.bodyLimit = config.maxBodyBytes;
    }
  });
  // No other route takes a body (the API only reads): JSON stays bytes until the signature is checked.
  app.useBodyParser('application/json', {}, (_request, body, done) => done(null, body));
  let inFlight = 0;
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (!isWebhookDelivery(request)) {
      return done();
    }
    if (inFlight >= config.maxInFlight) {
      void reply.header('retry-after', '1');
      return sendProblem(reply, {
        type: problemType('webhooks-busy'),
        title: 'Service Unavailable',
        status: 503,
        detail: `This replica is receiving WEBHOOK_MAX_IN_FLIGHT=${config.maxInFlight} deliveries already; redeliver this one.`,
        instance: WEBHOOK_PATH,
      });
    }
    inFlight++;
    reply.raw.once('close', () => inFlight--);
    done();
  });
}

type BodyParser = (
  request: unknown,
  body: Buffer,
  done: (error: Error | null, body?: unknown) => void,
) => void;

/** A request hook that lets webhook deliveries pass by: they are checked by their signature. */
export function exceptWebhookDeliveries(
  hook: (request: FastifyRequest, reply: FastifyReply, done: () => void) => void,
): (request: FastifyRequest, reply: FastifyReply, done: () => void) => void {
  return (request, reply, done) =>
    isWebhookDelivery(request) ? done() : hook(request, reply, done);
}

/** The OpenAPI document without the webhook route and its answer's schema (the route is off). */
export function withoutWebhookRoute(document: OpenAPIObject): OpenAPIObject {
  delete document.paths[WEBHOOK_PATH];
  delete document.components?.schemas?.[WebhookAcceptedResponse.name];
  return document;
}
