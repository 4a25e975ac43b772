import { HttpAdapterHost } from '@nestjs/core';
import fastify, { FastifyInstance } from 'fastify';
import { testCacheConfig } from '../../../test/support/cache-config';
import { MetricsService } from '../../metrics/metrics.service';
import { MemoryBudget } from '../memory-budget';
import type { CachedResult } from '../result-cache';
import { CachedAnswer } from './cached-answer';
import { CACHED_ROUTE, CachedRoutePolicy } from './cached-route.decorator';
import type { EdgeCache } from './edge-cache';
import { HttpCacheHook } from './http-cache.hook';
import { RepresentationCache } from './representation-cache';

describe(HttpCacheHook.name, () => {
  let app: FastifyInstance;
  const data = { n: 1, text: 'x'.repeat(2000) };
  const fetchedAt = Date.now();
  const remembered: CachedAnswer<unknown>[] = [];
  const policy: CachedRoutePolicy<typeof data> = {
    headers: (_data, request) => ({ link: `<${request.url.split('?')[0]}?page=2>; rel="next"` }),
  };

  beforeAll(async () => {
    app = fastify();
    const config = testCacheConfig();
    const metrics = new MetricsService();
    const hook = new HttpCacheHook(
      { httpAdapter: { getInstance: () => app } } as unknown as HttpAdapterHost,
      new RepresentationCache(config, new MemoryBudget(config, metrics), metrics),
      { remember: (_request, answer) => remembered.push(answer) } as Pick<
        EdgeCache,
        'remember'
      > as EdgeCache,
    );
    hook.onModuleInit();
    const result: CachedResult<typeof data> = { data, fetchedAt, status: 'HIT' };
    app.get('/cached', { config: { [CACHED_ROUTE]: policy } }, () => result);
    app.get('/failing', { config: { [CACHED_ROUTE]: policy } }, async (_request, reply) =>
      reply.code(404).send({ title: 'Not Found', status: 404 }),
    );
    app.get('/plain', () => ({ plain: true }));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  it('should send a cached answer as JSON bytes with its validators and headers', async () => {
    // Act
    const reply = await app.inject({ url: '/cached' });

    // Assert
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers.etag).toMatch(/^W\/"/);
    expect(reply.headers['x-cache']).toBe('HIT');
    expect(reply.headers.link).toBe('</cached?page=2>; rel="next"');
    expect(reply.json()).toMatchObject({ n: 1, fetchedAt: expect.any(String) });
  });

  it('should answer a matching If-None-Match with an empty 304 without Content-Type or Link', async () => {
    // Arrange
    const first = await app.inject({ url: '/cached' });

    // Act
    const reply = await app.inject({
      url: '/cached',
      headers: { 'if-none-match': String(first.headers.etag) },
    });

    // Assert
    expect(reply.statusCode).toBe(304);
    expect(reply.body).toBe('');
    expect(reply.headers['content-type']).toBeUndefined();
    expect(reply.headers.link).toBeUndefined();
    expect(reply.headers.etag).toBe(first.headers.etag);
  });

  it('should send the same bytes for the same source however many times it is sent', async () => {
    // Arrange
    const first = await app.inject({ url: '/cached' });

    // Act
    const again = await app.inject({ url: '/cached' });

    // Assert
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('should hand every answer it makes to the edge cache', async () => {
    // Arrange
    const before = remembered.length;

    // Act
    await app.inject({ url: '/cached?x=1' });

    // Assert
    expect(remembered.length - before).toBe(1);
    expect(remembered.at(-1)?.source).toBe(data);
    expect(remembered.at(-1)?.headers).toEqual({ link: '</cached?page=2>; rel="next"' });
  });

  it("should leave a cached route's error to Fastify, and keep it off the edge", async () => {
    // Arrange
    const before = remembered.length;

    // Act
    const reply = await app.inject({ url: '/failing' });

    // Assert
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toEqual({ title: 'Not Found', status: 404 });
    expect(reply.headers.etag).toBeUndefined();
    expect(remembered.length).toBe(before);
  });

  it('should compress for a client that accepts it', async () => {
    // Act
    const reply = await app.inject({ url: '/cached', headers: { 'accept-encoding': 'gzip' } });

    // Assert
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers.vary).toBe('Accept-Encoding');
  });

  it('should leave any other payload to Fastify', async () => {
    // Act
    const reply = await app.inject({ url: '/plain' });

    // Assert
    expect(reply.json()).toEqual({ plain: true });
    expect(reply.headers.etag).toBeUndefined();
  });
});
