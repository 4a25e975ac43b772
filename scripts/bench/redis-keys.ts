import { createClient } from '@redis/client';

/** Connects, or says why not within two seconds; undefined when Redis is not there. */
export async function redisReachable(url: string): Promise<string | undefined> {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    if (client.isOpen) {
      client.destroy();
    }
  }
}

/** Deletes every key under `prefix` (the run's own `CACHE_KEY_PREFIX`); returns how many. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) {
    throw new Error(`refusing to delete by a pattern built from ${JSON.stringify(prefix)}`);
  }
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let deleted = 0;
    // Bounded: a run writes a few dozen keys; 1,000 batches of 500 would be a runaway.
    let batches = 0;
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (++batches > 1_000) {
        throw new Error(`more than 500,000 keys under ${prefix}; stopped deleting`);
      }
      if (keys.length > 0) {
        deleted += await client.del(keys);
      }
    }
    return deleted;
  } finally {
    client.destroy();
  }
}
