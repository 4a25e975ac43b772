import { createClient } from '@redis/client';
import { randomBytes } from 'node:crypto';
import { RedisConnection } from '../../src/cache/redis-connection';
import { CacheConfig } from '../../src/config/cache.config';

/**
 * The Redis every developer and CI machine runs (127.0.0.1:6379), or the one `TEST_REDIS_URL`
 * names; tests touch only keys under their own prefix and delete them afterwards. The one place
 * tests learn where Redis is: the app's own REDIS_URL is never read here, so a developer's .env
 * cannot point the tests at a real cache.
 */
export const TEST_REDIS_URL = testRedisUrl(process.env.TEST_REDIS_URL);

/** Nothing listens on port 1: a Redis that is configured but away. */
export const ABSENT_REDIS_URL = 'redis://127.0.0.1:1';

function testRedisUrl(configured: string | undefined): string {
  const url = configured?.trim() || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\/./.test(url)) {
    throw new Error(`TEST_REDIS_URL must be a redis:// or rediss:// URL, not ${url}`);
  }
  return url;
}

/**
 * A `CACHE_KEY_PREFIX` no other run or file can share: the label says whose keys they are, and
 * the fixed-length random tail means no prefix is the start of another one.
 */
export function uniqueKeyPrefix(label: string): string {
  return `test-${label}-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`;
}

/** Keys in the Redis at `url` that contain `fragment` (a prefix, a cache key...). */
export async function keysContaining(url: string, fragment: string): Promise<string[]> {
  const client = await connect(url);
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `*${fragment}*`, COUNT: 1000 })) {
      keys.push(...batch);
    }
    return keys;
  } finally {
    client.destroy();
  }
}

/** Deletes every key a test run wrote under `prefix`; returns how many there were. */
export async function deleteKeysContaining(url: string, prefix: string): Promise<number> {
  const keys = await keysContaining(url, prefix);
  if (keys.length > 0) {
    const client = await connect(url);
    try {
      await client.del(keys);
    } finally {
      client.destroy();
    }
  }
  return keys.length;
}

/** A plain client of the Redis at `url`, to look at what the code under test wrote; `destroy()` it. */
export async function connect(url = TEST_REDIS_URL) {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * The app's own Redis connection to TEST_REDIS_URL, once it is ready: a spec of Redis-backed code
 * then runs against the real server. Close it with `onModuleDestroy()` in `afterAll`.
 */
export async function readyRedisConnection(config: CacheConfig): Promise<RedisConnection> {
  const connection = new RedisConnection({ ...config, redisUrl: TEST_REDIS_URL });
  const deadline = Date.now() + 3000;
  while (!connection.ready) {
    if (Date.now() > deadline) {
      await connection.onModuleDestroy();
      throw new Error(`No Redis answered at ${TEST_REDIS_URL} (set TEST_REDIS_URL)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return connection;
}
