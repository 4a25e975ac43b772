import { HttpAdapterHost } from '@nestjs/core';
import fastify, { FastifyInstance } from 'fastify';
import { testCacheConfig } from '../../../test/support/cache-config';
import { MetricsService } from '../../metrics/metrics.service';
import { MemoryBudget } from '../memory-budget';
import { CachedAnswer } from './cached-answer';
import { HttpCacheHook } from './http-cache.hook';
import { RepresentationCache } from './representation-cache';

describe(HttpCacheHook.name, () => {
  let app: FastifyInstance;
  const data = { n: 1, text: 'x'.repeat(2000) };
  let renders = 0;
  const fetchedAt = Date.now();

  beforeAll(async () => {
    app = fastify();
    const config = testCacheConfig();
    const metrics = new MetricsService();
    const hook = new HttpCacheHook(
      { httpAdapter: { getInstance: () => app } } as unknown as HttpAdapterHost,
      new RepresentationCache(config, new MemoryBudget(config, metrics), metrics),
    );
    hook.onModuleInit();
    app.get('/cached', () => {
      return new CachedAnswer<typeof data>(
        data,
        fetchedAt,
        'HIT',
        () => {
          renders++;
          return data;
        },
        { link: '</cached?page=2>; rel="next"' },
      );
    });
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

  it('should render a source once however many times it is sent', async () => {
    // Arrange
    const before = renders;

    // Act
    await app.inject({ url: '/cached' });
    await app.inject({ url: '/cached', headers: { 'accept-encoding': 'br' } });

    // Assert
    expect(renders - before).toBe(0);
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
