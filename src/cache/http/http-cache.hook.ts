import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { answerFrom, isCachedResult } from './cached-answer';
import { cachedRoutePolicyOf } from './cached-route.decorator';
import { EdgeCache } from './edge-cache';
import { RepresentationCache } from './representation-cache';

// The body is bytes already: Fastify must send it as it is rather than serialize it again.
const asIs = (payload: unknown): string => payload as string;
const NO_BODY = Buffer.alloc(0);

/**
 * Turns a cached route's data into HTTP once, outside the controllers: ETag, 304, Cache-Control,
 * X-Cache, Vary, the route's own headers and the body in the media type and coding the client
 * accepts; then hands the answer to the edge cache, which answers the next requests for the URL
 * before Nest's pipeline. A Fastify `preSerialization` hook rather than a Nest interceptor: Nest's
 * interceptor chain (rxjs, async scopes) measured 20–30 µs more server CPU per answer than this
 * hook (docs/caching.md). Routes declare themselves with `@CachedRoute(Dto, policy)` and return a
 * `CachedResult`; every other payload passes through untouched.
 */
@Injectable()
export class HttpCacheHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly representations: RepresentationCache,
    private readonly edge: EdgeCache,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preSerialization', (request, reply, payload, done) => {
      const policy = cachedRoutePolicyOf(request);
      // A cached route's errors (problem+json, never 200) pass through like any other payload.
      if (policy === undefined || reply.statusCode !== 200 || !isCachedResult(payload)) {
        done(null, payload);
        return;
      }
      const answer = answerFrom(payload, policy, request);
      const body = this.representations.respond(request.headers, reply, answer);
      this.edge.remember(request, answer);
      reply.serializer(asIs);
      if (body === undefined) {
        // Fastify named the object payload JSON before this hook; a 304 carries no representation.
        reply.removeHeader('content-type');
      }
      done(null, body ?? NO_BODY);
    });
  }
}
