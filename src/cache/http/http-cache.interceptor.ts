import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { map, Observable } from 'rxjs';
import { CachedAnswer } from './cached-answer';
import { ReplyLike, RepresentationCache } from './representation-cache';

/**
 * Turns a cached route's answer into HTTP: ETag, 304, Cache-Control, X-Cache, Vary and the body
 * in the coding the client accepts. Declared by `@CachedRoute()`, so controllers only return a
 * typed answer.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor<CachedAnswer<unknown>, Buffer | undefined> {
  constructor(private readonly representations: RepresentationCache) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler<CachedAnswer<unknown>>,
  ): Observable<Buffer | undefined> {
    const http = context.switchToHttp();
    const { headers } = http.getRequest<{ headers: IncomingHttpHeaders }>();
    const reply = http.getResponse<ReplyLike>();
    return next.handle().pipe(map((answer) => this.representations.respond(headers, reply, answer)));
  }
}
