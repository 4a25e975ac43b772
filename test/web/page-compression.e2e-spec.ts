import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HttpReply, sendRequest } from '../../scripts/shared/http-request';
import { WebModule } from '../../src/web/web.module';

const REPO_ROOT = join(__dirname, '..', '..');

/** `vite build` with the repository's config (precompress plugin included) into `outDir`. */
function buildPage(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.mts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'error',
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

describe(`precompressed dashboard page (${WebModule.name})`, () => {
  let outDir: string;
  let app: NestFastifyApplication;
  let script: string;

  const send = (
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<HttpReply> => {
    const { port } = app.getHttpServer().address() as AddressInfo;
    return sendRequest({ host: '127.0.0.1', port, path }, { method, headers, timeoutMs: 10_000 });
  };

  beforeAll(async () => {
    // A build of its own: the suite must not depend on (or disturb) web/dist.
    outDir = mkdtempSync(join(tmpdir(), 'web-page-'));
    buildPage(outDir);
    script = readdirSync(join(outDir, 'assets')).find((name) => name.endsWith('.js'))!;
    app = await NestFactory.create<NestFastifyApplication>(
      WebModule.serving(outDir),
      new FastifyAdapter(),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('should write .br and .gz beside index.html and each hashed asset at build time', () => {
    const files = readdirSync(outDir, { recursive: true }).map(String);

    for (const built of ['index.html', `assets/${script}`]) {
      expect(files).toContain(`${built}.br`);
      expect(files).toContain(`${built}.gz`);
      const original = readFileSync(join(outDir, built));
      expect(brotliDecompressSync(readFileSync(join(outDir, `${built}.br`))).equals(original)).toBe(
        true,
      );
      expect(gunzipSync(readFileSync(join(outDir, `${built}.gz`))).equals(original)).toBe(true);
    }
  });

  it.each([
    ['/', 'index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['/?user=octocat', 'index.html', 'text/html; charset=utf-8', 'no-cache'],
    [
      '/assets/<hashed>.js',
      'assets/<hashed>.js',
      'application/javascript; charset=utf-8',
      'immutable',
    ],
  ])(
    'should serve %s from its .br, .gz or itself by Accept-Encoding',
    async (path, file, type, cache) => {
      const url = path.replace('<hashed>.js', script);
      const original = readFileSync(join(outDir, file.replace('<hashed>.js', script)));

      const br = await send(url, { 'Accept-Encoding': 'gzip, deflate, br' });
      const gzip = await send(url, { 'Accept-Encoding': 'gzip' });
      const plain = await send(url);

      expect([br.status, gzip.status, plain.status]).toEqual([200, 200, 200]);
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(original)).toBe(true);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(original)).toBe(true);
      for (const reply of [br, gzip, plain]) {
        expect(reply.headers.vary).toBe('accept-encoding');
        expect(reply.headers['content-type']).toBe(type);
        expect(reply.headers['cache-control']).toContain(cache);
      }
    },
  );

  it('should answer HEAD / with the Content-Encoding and Content-Length of the .br', async () => {
    const head = await send('/', { 'Accept-Encoding': 'br' }, 'HEAD');

    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['content-length']).toBe(
      String(readFileSync(join(outDir, 'index.html.br')).byteLength),
    );
    expect(head.body.byteLength).toBe(0);
  });

  it('should not serve the compressed files under their own names', async () => {
    const reply = await send('/index.html.br');

    expect(reply.status).toBe(404);
  });
});
