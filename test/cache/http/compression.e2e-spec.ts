import { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HttpReply, sendRequest } from '../../../scripts/shared/http-request';
import { RepresentationCache } from '../../../src/cache/http/representation-cache';
import { Harness, startHarness } from '../../support/harness';

const LIST = '/github/repos/big?perPage=100';

describe(`compression of cached answers (${RepresentationCache.name})`, () => {
  let h: Harness;

  /** node:http, so that only the headers given are sent (supertest adds its own Accept-Encoding). */
  const send = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<HttpReply> => {
    const { port } = h.server.address() as AddressInfo;
    return sendRequest({ host: '127.0.0.1', port, path }, { method, headers, timeoutMs: 10_000 });
  };

  const metric = async (line: RegExp): Promise<number> => {
    const text = (await send('/metrics')).body.toString('utf8');
    return Number(line.exec(text)?.[1] ?? 0);
  };
  const compressions = (encoding: string): Promise<number> =>
    metric(new RegExp(`^http_compressions_total\\{encoding="${encoding}"\\} (\\d+)$`, 'm'));
  const representationBytes = (): Promise<number> =>
    metric(/^cache_bytes\{cache="representations"\} (\d+)$/m);

  const decoded = (reply: HttpReply): Buffer => {
    switch (reply.headers['content-encoding']) {
      case 'br':
        return brotliDecompressSync(reply.body);
      case 'gzip':
        return gunzipSync(reply.body);
      default:
        return reply.body;
    }
  };

  let identity: HttpReply;

  beforeAll(async () => {
    h = await startHarness();
    h.gh.addUser('big', 100);
    h.gh.addUser('small', 1);
    identity = await send(LIST);
  });

  afterAll(async () => {
    await h.close();
  });

  it('should send a list of 100 repositories as it is when no Accept-Encoding is sent', () => {
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.body.byteLength).toBeGreaterThan(30_000);
    expect(Number(identity.headers['content-length'])).toBe(identity.body.byteLength);
  });

  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0, *', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['identity', undefined],
    ['identity;q=1, br;q=0.9', undefined],
    ['deflate', undefined],
    ['br;q=0, gzip;q=0', undefined],
    ['identity;q=0', undefined],
    ['', undefined],
  ])(
    'should answer Accept-Encoding %j in %s, the same JSON once decoded',
    async (acceptEncoding, encoding) => {
      const reply = await send(LIST, { 'Accept-Encoding': acceptEncoding });

      expect(reply.status).toBe(200);
      expect(reply.headers['content-encoding']).toBe(encoding);
      expect(reply.headers.vary).toBe('Accept-Encoding');
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.headers.etag).toBe(identity.headers.etag);
      expect(Number(reply.headers['content-length'])).toBe(reply.body.byteLength);
      expect(decoded(reply).equals(identity.body)).toBe(true);
      if (encoding) {
        expect(reply.body.byteLength).toBeLessThan(identity.body.byteLength / 3);
      }
    },
  );

  it.each([['br'], ['gzip'], ['identity']])(
    'should answer If-None-Match with the shared weak ETag by 304 in %s, with Vary and no body',
    async (acceptEncoding) => {
      const reply = await send(LIST, {
        'Accept-Encoding': acceptEncoding,
        'If-None-Match': String(identity.headers.etag),
      });

      expect(reply.status).toBe(304);
      expect(reply.headers.vary).toBe('Accept-Encoding');
      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(reply.headers.etag).toBe(identity.headers.etag);
      expect(reply.body.byteLength).toBe(0);
    },
  );

  it.each([['br'], ['gzip']])(
    'should answer HEAD with the headers of the GET in %s and no body',
    async (encoding) => {
      const get = await send(LIST, { 'Accept-Encoding': encoding });

      const head = await send(LIST, { 'Accept-Encoding': encoding }, 'HEAD');

      expect(head.status).toBe(200);
      expect(head.headers['content-encoding']).toBe(encoding);
      expect(head.headers['content-length']).toBe(String(get.body.byteLength));
      expect(head.headers.vary).toBe('Accept-Encoding');
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.body.byteLength).toBe(0);
    },
  );

  it('should send an answer under 1 kB uncompressed, with Vary all the same', async () => {
    const reply = await send('/github/users/small', { 'Accept-Encoding': 'br, gzip' });

    expect(reply.status).toBe(200);
    expect(reply.body.byteLength).toBeLessThan(1024);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBe('Accept-Encoding');
  });

  it('should compress a representation once per coding, not once per request', async () => {
    // A sort of its own: a representation no earlier test has compressed.
    const path = '/github/repos/big?perPage=100&sort=name';
    await send(path);
    const [brBefore, gzipBefore] = [await compressions('br'), await compressions('gzip')];

    const brReplies = [];
    for (let i = 0; i < 3; i++) {
      brReplies.push(await send(path, { 'Accept-Encoding': 'br' }));
    }
    const gzipReplies = [];
    for (let i = 0; i < 2; i++) {
      gzipReplies.push(await send(path, { 'Accept-Encoding': 'gzip' }));
    }
    await send(path, { 'Accept-Encoding': 'br' }, 'HEAD');

    expect(brReplies.map((reply) => reply.headers['content-encoding'])).toEqual(['br', 'br', 'br']);
    expect(brReplies.map((reply) => reply.headers['x-cache'])).toEqual(['HIT', 'HIT', 'HIT']);
    expect(brReplies[2].body.equals(brReplies[0].body)).toBe(true);
    expect(gzipReplies[1].body.equals(gzipReplies[0].body)).toBe(true);
    expect(await compressions('br')).toBe(brBefore + 1);
    expect(await compressions('gzip')).toBe(gzipBefore + 1);
  });

  it('should count the compressed forms in the representations budget', async () => {
    const path = '/github/repos/big?perPage=100&sort=pushed';
    await send(path);
    const before = await representationBytes();

    const br = await send(path, { 'Accept-Encoding': 'br' });
    const gzip = await send(path, { 'Accept-Encoding': 'gzip' });

    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(await representationBytes()).toBe(before + br.body.byteLength + gzip.body.byteLength);
  });
});
