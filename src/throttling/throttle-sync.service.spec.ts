import { ConfigType } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { RedisConnection } from '../cache/redis-connection';
import { cacheConfig } from '../config/cache.config';
import { httpConfig } from '../config/http.config';
import { FixedWindowThrottlerStorage } from './windows/fixed-window.storage';
import { ThrottleSync } from './throttle-sync.service';
import { ABSENT_REDIS_URL, TEST_REDIS_URL } from '../../test/support/test-redis';

/** The real Redis (TEST_REDIS_URL); this file touches only keys under its own prefix. */
const REDIS_URL = TEST_REDIS_URL;
/** Nothing listens there: a Redis that is away. */
const SYNC_MS = 10;
/** For tests that run each sync themselves: a timer that never fires while they run. */
const NEVER_MS = 600_000;
const TTL = 60_000;

interface Replica {
  storage: FixedWindowThrottlerStorage;
  sync: ThrottleSync;
  connection: RedisConnection;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe(ThrottleSync.name, () => {
  const keyPrefix = `spec-throttle-sync-${process.pid}-${randomBytes(4).toString('hex')}`;
  let replicas: Replica[] = [];

  /** One replica's counts and sync, on its own Redis client, as in a separate process. */
  function replica(redisUrl: string | undefined, syncMs = NEVER_MS): Replica {
    const cache = { redisUrl, keyPrefix } as ConfigType<typeof cacheConfig>;
    const http = { throttleSyncMs: syncMs } as ConfigType<typeof httpConfig>;
    const connection = new RedisConnection(cache);
    const storage = new FixedWindowThrottlerStorage();
    const created = {
      storage,
      connection,
      sync: new ThrottleSync(storage, connection, http, cache),
    };
    created.sync.onModuleInit();
    replicas.push(created);
    return created;
  }

  async function ready(...all: Replica[]): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!all.every((r) => r.connection.ready)) {
      if (Date.now() > deadline) {
        throw new Error('Redis did not connect');
      }
      await sleep(10);
    }
  }

  /** `n` requests of one client on replica `r`; the outcome of the last. */
  async function hit(r: Replica, n: number) {
    let last = await r.storage.increment('client', TTL, 100, TTL, 'default');
    for (let i = 1; i < n; i++) {
      last = await r.storage.increment('client', TTL, 100, TTL, 'default');
    }
    return last;
  }

  afterEach(async () => {
    for (const r of replicas) {
      r.sync.onModuleDestroy();
      r.storage.onApplicationShutdown();
    }
    const client = replicas.find((r) => r.connection.ready)?.connection.client;
    if (client) {
      for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}:*` })) {
        if (keys.length > 0) {
          await client.del(keys);
        }
      }
    }
    await Promise.all(replicas.map((r) => r.connection.onModuleDestroy()));
    replicas = [];
  });

  it("should bring each replica the other's count", async () => {
    const a = replica(REDIS_URL);
    const b = replica(REDIS_URL);
    await ready(a, b);
    await hit(a, 3);
    await a.sync.sync();
    await hit(b, 1);

    await b.sync.sync();
    const seenByB = await hit(b, 1);
    await hit(a, 1);
    await a.sync.sync();
    const seenByA = await hit(a, 1);

    // b: a's 3 and its own 2. a: its own 5 and b's first, the one b has sent.
    expect(seenByB.totalHits).toBe(5);
    expect(seenByA.totalHits).toBe(6);
  });

  it('should keep the counts to send while Redis is away', async () => {
    const r = replica(ABSENT_REDIS_URL);
    await hit(r, 2);

    await r.sync.sync();

    expect(r.storage.takePending().map((p) => p.increment)).toEqual([2]);
  });

  it('should not sync at all without REDIS_URL', async () => {
    const r = replica(undefined, SYNC_MS);
    await hit(r, 2);

    await sleep(5 * SYNC_MS);
    await r.sync.sync();

    expect(r.storage.takePending().map((p) => p.increment)).toEqual([2]);
  });

  it('should sync every interval, and stop on shutdown', async () => {
    const r = replica(REDIS_URL, SYNC_MS);
    await ready(r);
    await hit(r, 1);
    await sleep(10 * SYNC_MS);
    const taken = r.storage.takePending();

    r.sync.onModuleDestroy();
    await hit(r, 1);
    await sleep(10 * SYNC_MS);

    expect(taken).toEqual([]);
    expect(r.storage.takePending().map((p) => p.increment)).toEqual([1]);
  });
});
