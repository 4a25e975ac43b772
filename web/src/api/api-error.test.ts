import { describe, expect, it } from 'vitest';
import { failureOf } from './api-error';

const NOW = new Date('2026-11-26T12:00:00Z');

function problem(status: number, body: object, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

describe('failureOf', () => {
  it('should read a 404 as not found', async () => {
    expect(await failureOf(problem(404, { detail: 'No such user' }), NOW)).toEqual({
      kind: 'not-found',
      detail: 'No such user',
    });
  });

  it('should read a 503 with Retry-After in seconds as rate limited until then', async () => {
    const failure = await failureOf(
      problem(503, { detail: 'x', retryAfter: 99 }, { 'retry-after': '90' }),
      NOW,
    );
    expect(failure).toEqual({
      kind: 'rate-limited',
      retryAt: new Date('2026-11-26T12:01:30Z'),
      detail: 'x',
    });
  });

  it('should read Retry-After as an HTTP date', async () => {
    const failure = await failureOf(
      problem(503, {}, { 'retry-after': 'Thu, 26 Nov 2026 12:10:00 GMT' }),
      NOW,
    );
    expect(failure).toMatchObject({
      kind: 'rate-limited',
      retryAt: new Date('2026-11-26T12:10:00Z'),
    });
  });

  it("should fall back to the body's retryAfter", async () => {
    const failure = await failureOf(problem(503, { retryAfter: 30 }), NOW);
    expect(failure).toMatchObject({
      kind: 'rate-limited',
      retryAt: new Date('2026-11-26T12:00:30Z'),
    });
  });

  it('should read our own throttling (429 with Retry-After) as rate limited too', async () => {
    const failure = await failureOf(problem(429, {}, { 'retry-after': '5' }), NOW);
    expect(failure).toMatchObject({ kind: 'rate-limited' });
  });

  it('should read a 503 without any retry time as unavailable', async () => {
    expect(await failureOf(problem(503, { detail: 'down' }), NOW)).toEqual({
      kind: 'unavailable',
      status: 503,
      detail: 'down',
    });
  });

  it.each([502, 504, 500])('should read a %d as unavailable', async (status) => {
    expect(await failureOf(problem(status, { title: 'Bad Gateway' }), NOW)).toMatchObject({
      kind: 'unavailable',
      status,
      detail: 'Bad Gateway',
    });
  });

  it('should read a 400 as invalid', async () => {
    expect(await failureOf(problem(400, { detail: 'page must be an integer' }), NOW)).toEqual({
      kind: 'invalid',
      detail: 'page must be an integer',
    });
  });

  it('should cope with a body that is not JSON (a proxy page)', async () => {
    const response = new Response('<html>Bad gateway</html>', { status: 502 });
    expect(await failureOf(response, NOW)).toEqual({
      kind: 'unavailable',
      status: 502,
      detail: 'HTTP 502',
    });
  });
});
