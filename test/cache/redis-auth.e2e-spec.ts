import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import request from 'supertest';
import { RedisConnection } from '../../src/cache/redis-connection';
import { Harness, startHarness } from '../support/harness';
import { keysContaining, uniqueKeyPrefix } from '../support/test-redis';
import { PrivateRedis } from '../support/private-redis';
import { readiness, sleep, waitForRedis } from '../support/upstream';

/**
 * REDIS_URL with a password, as compose and Kubernetes give it (`redis://:password@host:6379`),
 * and over TLS (`rediss://`, as managed Redis services offer it), for the app's own client: the
 * right password puts the shared cache in use; a wrong or missing one leaves the app serving from
 * memory, readiness `degraded`, and the password in no log line and no answer. Each Redis is a
 * private `redis-server --requirepass` child this file starts and stops.
 */
describe(`${RedisConnection.name}: REDIS_URL with a password`, () => {
  const password = `e2e-${randomBytes(16).toString('hex')}`;
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await PrivateRedis.start('/dev/null', { password });
  });

  afterAll(async () => {
    await redis?.stop();
  });

  /** The app on `redisUrl`, with every log line it writes (LOG_LEVEL debug) kept as text. */
  async function startLogged(redisUrl: string, label: string) {
    const logs: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logs.push(String(chunk));
      return true;
    });
    try {
      const h = await startHarness({
        env: { REDIS_URL: redisUrl, CACHE_KEY_PREFIX: uniqueKeyPrefix(label), LOG_LEVEL: 'debug' },
      });
      return { h, logs, restore: () => spy.mockRestore() };
    } catch (error) {
      spy.mockRestore();
      throw error;
    }
  }

  describe('with the right password', () => {
    let h: Harness;
    let restore: () => void;
    let logs: string[];

    beforeAll(async () => {
      ({ h, logs, restore } = await startLogged(redis.url, 'auth-right'));
      await waitForRedis(h.server, 'up');
    });

    afterAll(async () => {
      await h?.close();
      restore?.();
    });

    it('should report Redis up and keep results in it', async () => {
      h.gh.addUser('behind-a-password', 3);

      const first = await request(h.server).get('/github/repos/behind-a-password');
      const second = await request(h.server).get('/github/repos/behind-a-password');

      expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
      expect([second.status, second.headers['x-cache']]).toEqual([200, 'HIT']);
      expect(await readiness(h.server)).toEqual({
        status: 200,
        overall: 'ok',
        cache: { status: 'up', backend: 'redis', redis: 'up' },
      });
      expect(await keysContaining(redis.url, 'gh:repos:user:behind-a-password')).toHaveLength(1);
    });

    it('should write the password in no log line', () => {
      expect(logs.join('')).toContain('Redis connected');
      expect(logs.join('')).not.toContain(password);
    });
  });

  describe.each([
    ['a wrong password', 'redis://:not-the-password@127.0.0.1'],
    ['no password', 'redis://127.0.0.1'],
  ])('with %s', (_, base) => {
    let h: Harness;
    let restore: () => void;
    let logs: string[];

    beforeAll(async () => {
      ({ h, logs, restore } = await startLogged(`${base}:${redis.port}`, 'auth-wrong'));
    });

    afterAll(async () => {
      await h?.close();
      restore?.();
    });

    it('should answer from memory and report readiness 200 degraded, Redis down', async () => {
      h.gh.addUser('refused-by-redis', 3);
      // A few of the client's reconnection attempts, each refused by Redis.
      await sleep(1500);

      const first = await request(h.server).get('/github/repos/refused-by-redis');
      const second = await request(h.server).get('/github/repos/refused-by-redis');
      const ready = await request(h.server).get('/health/ready');

      expect([first.status, second.status, second.headers['x-cache']]).toEqual([200, 200, 'HIT']);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'degraded',
        info: { cache: { status: 'degraded', backend: 'memory', redis: 'down' } },
      });
      expect(await keysContaining(redis.url, 'gh:repos:user:refused-by-redis')).toEqual([]);
    });

    it('should show neither password in logs or answers', async () => {
      const ready = await request(h.server).get('/health/ready');
      const everything = logs.join('') + JSON.stringify(ready.body);

      expect(logs.length).toBeGreaterThan(0);
      expect(everything).not.toContain(password);
      expect(everything).not.toContain('not-the-password');
    });
  });
});

/**
 * `rediss://`: a redis-server that listens with TLS only, its certificate for 127.0.0.1 signed by
 * a throw-away authority made here with openssl. The app's process must trust that authority:
 * in production NODE_EXTRA_CA_CERTS (read at start-up, so unusable inside this Jest worker) or
 * the system store; here `tls.setDefaultCACertificates` adds it for this file and puts the
 * previous list back afterwards.
 */
describe(`${RedisConnection.name}: rediss:// with a password`, () => {
  const password = `e2e-${randomBytes(16).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
  const previousCas = getCACertificates('default');
  let redis: PrivateRedis;
  let h: Harness;

  beforeAll(async () => {
    const ca = makeCertificates(dir);
    setDefaultCACertificates([...previousCas, ca]);
    redis = await PrivateRedis.start('/dev/null', {
      password,
      tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), ca },
    });
    // The `default` user named, as managed services' URLs often do: the same account.
    const url = redis.url.replace('rediss://:', 'rediss://default:');
    h = await startHarness({
      env: { REDIS_URL: url, CACHE_KEY_PREFIX: uniqueKeyPrefix('auth-tls') },
    });
    await waitForRedis(h.server, 'up');
  });

  afterAll(async () => {
    await h?.close();
    await redis?.stop();
    setDefaultCACertificates(previousCas);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should report Redis up over TLS and keep results in it', async () => {
    h.gh.addUser('over-tls', 3);

    const first = await request(h.server).get('/github/repos/over-tls');
    const second = await request(h.server).get('/github/repos/over-tls');

    expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
    expect([second.status, second.headers['x-cache']]).toEqual([200, 'HIT']);
    expect((await readiness(h.server)).cache).toEqual({
      status: 'up',
      backend: 'redis',
      redis: 'up',
    });
    expect(redis.url).toMatch(/^rediss:\/\//);
    expect(await keysContaining(redis.url, 'gh:repos:user:over-tls')).toHaveLength(1);
  });
});

/** A CA and a server certificate for 127.0.0.1 signed by it, in `dir`; returns the CA's PEM. */
function makeCertificates(dir: string): string {
  const openssl = (args: string) =>
    execFileSync('openssl', args.split(' '), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  openssl(`req -x509 ${newKey} -days 1 -subj /CN=redis-auth-e2e-ca -keyout ca.key -out ca.crt`);
  openssl(`req -new ${newKey} -subj /CN=127.0.0.1 -keyout server.key -out server.csr`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1\n');
  openssl(
    'x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 ' +
      '-extfile server.ext -out server.crt',
  );
  return readFileSync(join(dir, 'ca.crt'), 'utf8');
}
