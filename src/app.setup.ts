import type { IncomingHttpHeaders } from 'node:http';
import { ConfigType } from '@nestjs/config';
import type { FastifyInstance } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { appConfig } from './config/app.config';
import { documentRequestLimits } from './common/document-request-limits';
import { sendClientError, sendFrameworkError } from './common/framework-errors';
import { Problem } from './common/problem';
import { enforceRequestLimits } from './common/request-limits';
import { addSecurityHeaders } from './common/security-headers';
import { httpConfig } from './config/http.config';
import { requestIdFrom } from './logging/request-id';
import { MetricsServer } from './metrics/metrics-server';
import { MetricsService } from './metrics/metrics.service';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { StrictValidationPipe } from './common/strict-validation.pipe';
import { ClientUpstreamBudget } from './throttling/upstream-budget/client-upstream-budget';
import { EdgeThrottle } from './throttling/edge-throttle';
import { EdgeCache, EdgeDues } from './cache/http/edge-cache';
import { logAnswered } from './logging/access-log';
import { traceRequests } from './tracing/server-spans';
import { isTracing } from './tracing/tracer';
import { webhooksConfig } from './config/webhooks.config';
import {
  exceptWebhookDeliveries,
  prepareWebhookRoute,
  withoutWebhookRoute,
} from './webhooks/webhook-route';

/**
 * Builds the application exactly as production runs it; `main.ts`, the end-to-end tests and the
 * OpenAPI export all start here, so none of them tests a different app.
 */
export async function createApp(): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Who the client is (request.ip, the key of every per-client limit): behind an ingress, the
    // address its trusted proxies recorded; entries a client wrote in front of them are ignored.
    trustProxy: httpConfig().trustProxy,
    // A 2 kB URL is generous for these routes; longer ones are refused before any work.
    routerOptions: { maxParamLength: 200 },
    // One id per request, the caller's X-Request-Id when acceptable; pino-http logs it on every line.
    genReqId: (req: { headers: IncomingHttpHeaders }) => requestIdFrom(req.headers),
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: sendClientError,
  });
  // Before NestFactory.create(), which registers Nest's middleware (pino-http): so that a hit at
  // the edge is answered before any of it.
  const edge = addFrontHooks(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    adapter,
    // abortOnError: false lets main.ts print a bad variable as one line instead of a stack.
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  edge.attach(app);
  const webhooks = app.get<ConfigType<typeof webhooksConfig>>(webhooksConfig.KEY);
  if (webhooks.enabled) {
    prepareWebhookRoute(app, fastify, webhooks);
  }
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route template, never the raw path: one series per route, whatever users ask for.
    metrics.recordHttp(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  // Everything the request then causes at GitHub, in the background too, is charged to its client
  // (GitHub's own deliveries are no client's).
  const upstreamBudget = app.get(ClientUpstreamBudget);
  const edgeCache = app.get(EdgeCache);
  fastify.addHook(
    'onRequest',
    exceptWebhookDeliveries((request, _reply, done) =>
      upstreamBudget.runAs(request.ip, () => edgeCache.record(request, done)),
    ),
  );
  const { corsOrigins } = app.get<ConfigType<typeof httpConfig>>(httpConfig.KEY);
  if (corsOrigins.length > 0) {
    app.enableCors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      exposedHeaders: ['ETag', 'Link', 'X-Cache', 'X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  }
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/**
 * The hooks every request meets first, in this order, added to Fastify before Nest adds its
 * middleware: the trace span; the edge, which answers a cached URL whose answer is still current
 * (EdgeCache) with everything a request owes (security headers, request id, the client's limit as
 * the guard counts it, the access log line); then, for every other request, the request id, the
 * request limits and the security headers. Returns what connects the edge to the app once it
 * exists.
 */
function addFrontHooks(fastify: FastifyInstance): { attach(app: NestFastifyApplication): void } {
  // First of all hooks, so that everything after it (the edge, request id, limits, logs) runs in
  // the span.
  if (isTracing()) {
    traceRequests(fastify);
  }
  let edge: EdgeCache | undefined;
  let dues: EdgeDues | undefined;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (edge === undefined || dues === undefined || !edge.serve(request, reply, dues)) {
      done();
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // With GITHUB_WEBHOOK_SECRET set, POST /webhooks/github is the one route that takes a body.
  fastify.addHook(
    'onRequest',
    webhooksConfig().enabled ? exceptWebhookDeliveries(enforceRequestLimits) : enforceRequestLimits,
  );
  const securityHeaders = addSecurityHeaders(fastify);
  return {
    attach(app) {
      const throttle = app.get(EdgeThrottle);
      const upstreamBudget = app.get(ClientUpstreamBudget);
      dues = {
        headers: securityHeaders,
        admit: (request) => throttle.admit(request.ip),
        runAsClient: (request, work) => upstreamBudget.runAs(request.ip, work),
        answered: (request, reply, statusCode) =>
          logAnswered(request, statusCode, reply.elapsedTime),
      };
      edge = app.get(EdgeCache);
    },
  };
}

/**
 * Starts serving: the API on `port`, and /metrics on its own METRICS_PORT when that is set, both
 * on `host`. main.ts and the end-to-end tests both listen through here.
 */
export async function listen(
  app: NestFastifyApplication,
  port: number,
  host: string,
): Promise<void> {
  await app.listen(port, host);
  await app.get(MetricsServer).listen(host);
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('GitHub Dashboard Backend')
    .setDescription(
      'Public GitHub data for dashboards: clean JSON, tokens kept server-side, the rate limit spent wisely.',
    )
    .setVersion(app.get<ConfigType<typeof appConfig>>(appConfig.KEY).version)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [Problem] });
  // The webhook route exists only with GITHUB_WEBHOOK_SECRET set; so does its documentation.
  return documentRequestLimits(
    app.get<ConfigType<typeof webhooksConfig>>(webhooksConfig.KEY).enabled
      ? document
      : withoutWebhookRoute(document),
  );
}
