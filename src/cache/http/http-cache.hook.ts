import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CachedAnswer } from './cached-answer';
import { RepresentationCache } from './representation-cache';

// The body is bytes already: Fastify must send it as it is rather than serialize it again.
const asIs = (payload: unknown): string => payload as string;
const NO_BODY = Buffer.alloc(0);

/**
 * Turns a cached route's answer into HTTP once, outside the controllers: ETag, 304,
 * Cache-Control, X-Cache, Vary and the body in the coding the client accepts. A Fastify
 * `preSerialization` hook rather than a Nest interceptor: Nest's interceptor chain (rxjs, async
 * scopes) measured 20–30 µs more server CPU per cached hit than this hook, about 15 % of a hit
 * (docs/caching.md). Routes declare themselves with `@CachedRoute(Dto)` and return a
 * `CachedAnswer`; every other payload passes through untouched.
 */
@Injectable()
export class HttpCacheHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly representations: RepresentationCache,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preSerialization', (request, reply, payload, done) => {
      if (!(payload instanceof CachedAnswer)) {
        done(null, payload);
        return;
      }
      const body = this.representations.respond(request.headers, reply, payload);
      reply.serializer(asIs);
      if (body === undefined) {
        // Fastify named the object payload JSON before this hook; a 304 carries no representation.
        reply.removeHeader('content-type');
      }
      done(null, body ?? NO_BODY);
    });
  }
}
