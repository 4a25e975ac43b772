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
import { Admission, EdgeCache } from './cache/http/edge-cache';
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
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter({
      // Who the client is (request.ip, the key of every per-client limit): behind an ingress, the
      // address its trusted proxies recorded; entries a client wrote in front of them are ignored.
      trustProxy: httpConfig().trustProxy,
      // A 2 kB URL is generous for these routes; longer ones are refused before any work.
      routerOptions: { maxParamLength: 200 },
      // One id per request, the caller's X-Request-Id when acceptable; pino-http logs it on every line.
      genReqId: (req: { headers: IncomingHttpHeaders }) => requestIdFrom(req.headers),
      frameworkErrors: sendFrameworkError,
      clientErrorHandler: sendClientError,
    }),
    // abortOnError: false lets main.ts print a bad variable as one line instead of a stack.
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks, so that everything after it (request id, limits, logs) runs in the span.
  if (isTracing()) {
    traceRequests(fastify);
  }
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // With GITHUB_WEBHOOK_SECRET set, POST /webhooks/github is the one route that takes a body.
  const webhooks = app.get<ConfigType<typeof webhooksConfig>>(webhooksConfig.KEY);
  fastify.addHook(
    'onRequest',
    webhooks.enabled ? exceptWebhookDeliveries(enforceRequestLimits) : enforceRequestLimits,
  );
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
  addSecurityHeaders(fastify);
  answerCachedRoutesAtTheEdge(app, fastify);
  // Everything the request then causes at GitHub, in the background too, is charged to its client
  // (GitHub's own deliveries are no client's).
  const upstreamBudget = app.get(ClientUpstreamBudget);
  fastify.addHook(
    'onRequest',
    exceptWebhookDeliveries((request, _reply, done) => upstreamBudget.runAs(request.ip, done)),
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
 * A request for a cached URL whose answer is still current is answered here, after the request
 * id, the request limits and the security headers and before Nest's router, guards, pipes and
 * interceptors (EdgeCache), counted against the client's limit as the guard would; the access log
 * (pino-http, a Nest middleware that runs before these hooks), metrics and traces see it as any
 * other request. Anything else goes on, recorded, through the pipeline.
 */
function answerCachedRoutesAtTheEdge(app: NestFastifyApplication, fastify: FastifyInstance): void {
  const edge = app.get(EdgeCache);
  const throttle = app.get(EdgeThrottle);
  const admit: Admission = (request, reply) => throttle.admit(request.ip, reply);
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!edge.serve(request, reply, admit)) {
      edge.record(request, done);
    }
  });
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
