import { createHash } from 'node:crypto';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { MetricsService } from '../../metrics/metrics.service';
import { testCacheConfig } from '../../../test/support/cache-config';
import { MemoryBudget } from '../memory-budget';
import { answerFrom, CachedAnswer } from './cached-answer';
import { ReplyLike, RepresentationCache } from './representation-cache';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);

/** A reply that records what was sent, as Fastify's would. */
class RecordedReply implements ReplyLike {
  statusCode = 200;
  readonly headers: Record<string, string> = {};

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string): unknown {
    return this.headers[name.toLowerCase()];
  }
}

function representations() {
  const config = testCacheConfig({ ttlSeconds: 60, staleSeconds: 3600 });
  const metrics = new MetricsService();
  return {
    cache: new RepresentationCache(config, new MemoryBudget(config, metrics), metrics),
    metrics,
  };
}

function answer<T extends object>(
  data: T,
  options: {
    fetchedAt?: number;
    status?: 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED';
    headers?: Record<string, string>;
    csv?: () => string;
  } = {},
): CachedAnswer<T> & { render: jest.Mock } {
  const render = jest.fn(() => ({ ...data }));
  return new CachedAnswer<T>(
    data,
    options.fetchedAt ?? NOW,
    options.status ?? 'MISS',
    render,
    options.headers,
    options.csv,
  ) as CachedAnswer<T> & { render: jest.Mock };
}

function respond(
  cache: RepresentationCache,
  headers: IncomingHttpHeaders,
  a: CachedAnswer<unknown>,
): { reply: RecordedReply; body: Buffer | undefined } {
  const reply = new RecordedReply();
  const body = cache.respond(headers, reply, a);
  return { reply, body };
}

const large = () => ({ items: Array.from({ length: 200 }, (_, i) => `repository-${i}`) });

/** The bytes the memory budget counts for the representations cache, as /metrics shows them. */
async function budgetedBytes(metrics: MetricsService): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('cache_bytes')?.get();
  return metric?.values.find((v) => v.labels.cache === 'representations')?.value ?? 0;
}

/** Data whose JSON answer (with `fetchedAt` at NOW) is exactly `bytes` long. */
function dataOfJsonLength(bytes: number): { pad: string } {
  const overhead = JSON.stringify({ pad: '', fetchedAt: new Date(NOW).toISOString() }).length;
  return { pad: 'x'.repeat(bytes - overhead) };
}

const weakSha1Tag = (prefix: string, text: string): string =>
  `W/"${prefix}${createHash('sha1').update(text).digest('base64url')}"`;

describe(RepresentationCache.name, () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW + 15_000);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should send the JSON with fetchedAt, a weak ETag, freshness and the cache status', () => {
    // Arrange
    const { cache } = representations();

    // Act
    const { reply, body } = respond(cache, {}, answer({ login: 'octocat' }, { status: 'HIT' }));

    // Assert
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(body?.toString() ?? '')).toEqual({
      login: 'octocat',
      fetchedAt: new Date(NOW).toISOString(),
    });
    // Over the data without fetchedAt, which moves on every revalidation.
    expect(reply.headers.etag).toBe(weakSha1Tag('', JSON.stringify({ login: 'octocat' })));
    expect(reply.headers['cache-control']).toBe('public, max-age=45, stale-while-revalidate=3600');
    expect(reply.headers['x-cache']).toBe('HIT');
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['content-encoding']).toBeUndefined();
  });

  it('should answer 304 without a body or any header of the 200 when If-None-Match matches', () => {
    // Arrange
    const { cache } = representations();
    const data = { login: 'octocat' };
    const first = respond(cache, {}, answer(data, { headers: { link: '<x?page=2>; rel="next"' } }));

    // Act
    const second = respond(
      cache,
      { 'if-none-match': first.reply.headers.etag },
      answer(data, { headers: { link: '<x?page=2>; rel="next"', 'x-repos-complete': 'true' } }),
    );

    // Assert
    expect(second.reply.statusCode).toBe(304);
    expect(second.body).toBeUndefined();
    expect(second.reply.headers.link).toBeUndefined();
    expect(second.reply.headers['x-repos-complete']).toBeUndefined();
    expect(second.reply.headers['content-type']).toBeUndefined();
    expect(second.reply.headers['content-encoding']).toBeUndefined();
    expect(second.reply.headers.etag).toBe(first.reply.headers.etag);
    expect(second.reply.headers.vary).toBe('Accept-Encoding');
    expect(second.reply.headers['x-cache']).toBe('MISS');
  });

  it("should send the answer's own headers (such as Link) on a 200", () => {
    const { cache } = representations();

    const { reply } = respond(
      cache,
      {},
      answer({ a: 1 }, { headers: { link: '<x?page=2>; rel="next"' } }),
    );

    expect(reply.headers.link).toBe('<x?page=2>; rel="next"');
  });

  it('should answer 200 when If-None-Match names another tag', () => {
    const { cache } = representations();

    const { reply, body } = respond(
      cache,
      { 'if-none-match': 'W/"something-else"' },
      answer({ a: 1 }),
    );

    expect(reply.statusCode).toBe(200);
    expect(body).toBeInstanceOf(Buffer);
  });

  it('should give equal data the same ETag, and different data another', () => {
    const { cache } = representations();

    const a = respond(cache, {}, answer({ login: 'octocat' })).reply.headers.etag;
    const b = respond(cache, {}, answer({ login: 'octocat' }, { fetchedAt: NOW - 5000 })).reply
      .headers.etag;
    const c = respond(cache, {}, answer({ login: 'hubot' })).reply.headers.etag;

    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('should render and encode a data object once, however many times it is served', () => {
    const { cache } = representations();
    const data = { login: 'octocat' };
    const first = answer(data);
    const second = answer(data);

    const a = respond(cache, {}, first).body;
    const b = respond(cache, {}, second).body;

    expect(first.render).toHaveBeenCalledTimes(1);
    expect(second.render).not.toHaveBeenCalled();
    expect(b).toBe(a);
  });

  it('should render again after a revalidation moved fetchedAt, keeping the ETag', () => {
    // Arrange
    const { cache } = representations();
    const data = { login: 'octocat' };
    const before = respond(cache, {}, answer(data, { fetchedAt: NOW }));
    const revalidated = answer(data, { fetchedAt: NOW + 10_000, status: 'REVALIDATED' });

    // Act
    const after = respond(cache, {}, revalidated);

    // Assert
    expect(revalidated.render).toHaveBeenCalledTimes(1);
    expect(JSON.parse(after.body?.toString() ?? '').fetchedAt).toBe(
      new Date(NOW + 10_000).toISOString(),
    );
    expect(after.reply.headers.etag).toBe(before.reply.headers.etag);
    expect(after.reply.headers['cache-control']).toBe(
      'public, max-age=55, stale-while-revalidate=3600',
    );
  });

  it('should never advertise a negative max-age for stale data', () => {
    const { cache } = representations();

    const { reply } = respond(
      cache,
      {},
      answer({ a: 1 }, { fetchedAt: NOW - 600_000, status: 'STALE' }),
    );

    expect(reply.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=3600');
  });

  it('should keep a Vary that CORS already set', () => {
    const { cache } = representations();
    const reply = new RecordedReply();
    reply.header('vary', 'Origin');

    cache.respond({}, reply, answer({ a: 1 }));

    expect(reply.headers.vary).toBe('Origin, Accept-Encoding');
  });

  describe('compression', () => {
    it('should send a small answer as it is, whatever the client accepts', () => {
      const { cache } = representations();

      const { reply, body } = respond(cache, { 'accept-encoding': 'br, gzip' }, answer({ a: 1 }));

      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(body?.toString() ?? '').a).toBe(1);
    });

    it('should compress an answer of 1 kB or more in Brotli when accepted', () => {
      const { cache } = representations();
      const data = large();

      const { reply, body } = respond(cache, { 'accept-encoding': 'gzip, br' }, answer(data));

      expect(reply.headers['content-encoding']).toBe('br');
      expect(JSON.parse(brotliDecompressSync(body ?? Buffer.alloc(0)).toString()).items).toEqual(
        data.items,
      );
    });

    it('should compress in gzip when only gzip is accepted', () => {
      const { cache } = representations();
      const data = large();

      const { reply, body } = respond(cache, { 'accept-encoding': 'gzip' }, answer(data));

      expect(reply.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(body ?? Buffer.alloc(0)).toString()).items).toEqual(data.items);
    });

    it('should send identity to a client that accepts no coding we offer', () => {
      const { cache } = representations();

      const { reply, body } = respond(cache, {}, answer(large()));

      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(body?.toString() ?? '').items).toHaveLength(200);
    });

    it('should compress each coding once per representation, and count it', async () => {
      // Arrange
      const { cache, metrics } = representations();
      const data = large();

      // Act
      const first = respond(cache, { 'accept-encoding': 'br' }, answer(data)).body;
      const second = respond(cache, { 'accept-encoding': 'br' }, answer(data)).body;
      const gzip = respond(cache, { 'accept-encoding': 'gzip' }, answer(data)).body;
      const brAgain = respond(cache, { 'accept-encoding': 'br' }, answer(data)).body;

      // Assert
      expect(second).toBe(first);
      expect(brAgain).toBe(first);
      expect(gzip).not.toBe(first);
      const exposition = await metrics.registry.getSingleMetricAsString('http_compressions_total');
      expect(exposition).toContain('http_compressions_total{encoding="br"} 1');
      expect(exposition).toContain('http_compressions_total{encoding="gzip"} 1');
    });

    it('should count twice the body, each compressed form and 256 bytes against its budget', async () => {
      // Arrange
      const { cache, metrics } = representations();
      const data = large();
      const identity = respond(cache, {}, answer(data)).body ?? Buffer.alloc(0);
      const identityOnly = await budgetedBytes(metrics);

      // Act
      const gzip = respond(cache, { 'accept-encoding': 'gzip' }, answer(data)).body;
      const withGzip = await budgetedBytes(metrics);
      const br = respond(cache, { 'accept-encoding': 'br' }, answer(data)).body;

      // Assert
      expect(identityOnly).toBe(2 * identity.byteLength + 256);
      expect(withGzip).toBe(identityOnly + (gzip?.byteLength ?? NaN));
      expect(await budgetedBytes(metrics)).toBe(withGzip + (br?.byteLength ?? NaN));
    });

    it('should compress from exactly 1,024 bytes on, and not below', () => {
      const { cache } = representations();

      const below = respond(cache, { 'accept-encoding': 'gzip' }, answer(dataOfJsonLength(1023)));
      const at = respond(cache, { 'accept-encoding': 'gzip' }, answer(dataOfJsonLength(1024)));

      expect(below.body?.byteLength).toBe(1023);
      expect(below.reply.headers['content-encoding']).toBeUndefined();
      expect(at.reply.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(at.body ?? Buffer.alloc(0)).byteLength).toBe(1024);
    });
  });

  describe('CSV', () => {
    const CSV = 'name,stars\r\nhello-world,42\r\n';

    it('should send the CSV, its own tag and Vary: Accept when the client asks for text/csv', () => {
      // Arrange
      const { cache } = representations();
      const csv = jest.fn(() => CSV);
      const reply = new RecordedReply();
      reply.header('vary', 'Origin');

      // Act
      const body = cache.respond({ accept: 'text/csv' }, reply, answer({ a: 1 }, { csv }));

      // Assert
      expect(body?.toString()).toBe(CSV);
      expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(reply.headers.etag).toBe(weakSha1Tag('csv-', CSV));
      expect(reply.headers.vary).toBe('Origin, Accept, Accept-Encoding');
      expect(reply.headers['cache-control']).toBe(
        'public, max-age=45, stale-while-revalidate=3600',
      );
    });

    it('should send JSON, still varying on Accept, to a client that does not prefer CSV', () => {
      const { cache } = representations();
      const csv = jest.fn(() => CSV);

      const { reply, body } = respond(
        cache,
        { accept: 'text/csv;q=0.5, application/json' },
        answer({ a: 1 }, { csv }),
      );

      expect(JSON.parse(body?.toString() ?? '').a).toBe(1);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers.vary).toBe('Accept, Accept-Encoding');
      expect(csv).not.toHaveBeenCalled();
    });

    it('should send JSON and no Vary: Accept where the route offers no CSV', () => {
      const { cache } = representations();

      const { reply } = respond(cache, { accept: 'text/csv' }, answer({ a: 1 }));

      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers.vary).toBe('Accept-Encoding');
    });

    it('should render a source as CSV once, and keep its JSON form apart', () => {
      // Arrange
      const { cache } = representations();
      const data = { a: 1 };
      const csv = jest.fn(() => CSV);
      const json = answer(data, { csv });

      // Act
      const firstCsv = respond(cache, { accept: 'text/csv' }, answer(data, { csv })).body;
      const secondCsv = respond(cache, { accept: 'text/csv' }, answer(data, { csv })).body;
      const jsonForm = respond(cache, {}, json);
      const thirdCsv = respond(cache, { accept: 'text/csv' }, answer(data, { csv })).body;

      // Assert
      expect(csv).toHaveBeenCalledTimes(1);
      expect(secondCsv).toBe(firstCsv);
      expect(thirdCsv).toBe(firstCsv);
      expect(json.render).toHaveBeenCalledTimes(1);
      expect(JSON.parse(jsonForm.body?.toString() ?? '').a).toBe(1);
      expect(jsonForm.reply.headers.etag).not.toBe(weakSha1Tag('csv-', CSV));
    });

    it('should give another source with the same CSV the same tag, and a different CSV another', () => {
      const { cache } = representations();

      const tagOf = (csvText: string): string | undefined =>
        respond(cache, { accept: 'text/csv' }, answer({ a: 1 }, { csv: () => csvText })).reply
          .headers.etag;

      expect(tagOf(CSV)).toBe(tagOf(CSV));
      expect(tagOf(CSV)).not.toBe(tagOf(`${CSV}octocat,1\r\n`));
    });

    it('should answer 304 to a CSV tag', () => {
      const { cache } = representations();
      const data = { a: 1 };

      const { reply, body } = respond(
        cache,
        { accept: 'text/csv', 'if-none-match': weakSha1Tag('csv-', CSV) },
        answer(data, { csv: () => CSV }),
      );

      expect(reply.statusCode).toBe(304);
      expect(body).toBeUndefined();
      expect(reply.headers['content-type']).toBeUndefined();
      expect(reply.headers.vary).toBe('Accept, Accept-Encoding');
    });

    it('should compress a large CSV once, apart from the JSON of the same source', () => {
      // Arrange
      const { cache } = representations();
      const data = large();
      const bigCsv = data.items.map((name) => `${name},1`).join('\r\n');
      const asked = { accept: 'text/csv', 'accept-encoding': 'br' };

      // Act
      const first = respond(cache, asked, answer(data, { csv: () => bigCsv }));
      const json = respond(cache, { 'accept-encoding': 'br' }, answer(data, { csv: () => bigCsv }));
      const again = respond(cache, asked, answer(data, { csv: () => bigCsv }));

      // Assert
      expect(first.reply.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(first.body ?? Buffer.alloc(0)).toString()).toBe(bigCsv);
      expect(again.body).toBe(first.body);
      expect(
        JSON.parse(brotliDecompressSync(json.body ?? Buffer.alloc(0)).toString()).items,
      ).toEqual(data.items);
    });
  });
});

describe(answerFrom.name, () => {
  it("should make an answer whose body is the data, with the route policy's headers", () => {
    const data = { n: 1, page: 2 };

    const made = answerFrom(
      { data, fetchedAt: NOW, status: 'STALE' },
      { headers: (d, request) => ({ link: `<${request.url}?page=${d.page + 1}>; rel="next"` }) },
      { url: '/x', query: {} },
    );

    expect(made.source).toBe(data);
    expect(made.fetchedAt).toBe(NOW);
    expect(made.status).toBe('STALE');
    expect(made.render()).toBe(data);
    expect(made.headers).toEqual({ link: '</x?page=3>; rel="next"' });
    expect(made.csv).toBeUndefined();
  });

  it('should render the CSV from the data when the route offers it', () => {
    const made = answerFrom(
      { data: { n: 2 }, fetchedAt: NOW, status: 'HIT' },
      { csv: (d) => `n\r\n${d.n}\r\n` },
      { url: '/x', query: {} },
    );

    expect(made.csv?.()).toBe('n\r\n2\r\n');
  });
});
