import { createClient } from '@redis/client';
import { randomBytes } from 'node:crypto';

/** The Redis every developer and CI machine runs; tests touch only keys under their own prefix. */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A `CACHE_KEY_PREFIX` no other run or file can share: the label says whose keys they are, and
 * the fixed-length random tail means no prefix is the start of another one.
 */
export function uniqueKeyPrefix(label: string): string {
  return `e2e-${label}-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}`;
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

async function connect(url: string) {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
