import { createClient, RedisClientType } from '@redis/client';
import { randomBytes } from 'node:crypto';
import { addToWindowTotals, KEYS_PER_CALL } from './redis-window-totals';
import { TEST_REDIS_URL } from '../../../test/support/test-redis';

/** The real Redis (TEST_REDIS_URL); this file touches only keys under its own prefix. */
const REDIS_URL = TEST_REDIS_URL;
const PREFIX = `spec-window-totals-${process.pid}-${randomBytes(4).toString('hex')}:`;
const noTimeout = <T>(call: Promise<T>): Promise<T> => call;

describe(addToWindowTotals.name, () => {
  let client: RedisClientType;

  beforeAll(async () => {
    client = createClient({ url: REDIS_URL });
    await client.connect();
  });

  afterAll(async () => {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${PREFIX}*` })) {
      keys.push(...batch);
    }
    if (keys.length > 0) {
      await client.del(keys);
    }
    client.destroy();
  });

  it('should add each increment to its total and answer the totals in order', async () => {
    const windows = await addToWindowTotals(
      client,
      [
        { key: `${PREFIX}a`, increment: 3, ttlMs: 60_000 },
        { key: `${PREFIX}b`, increment: 1, ttlMs: 60_000 },
      ],
      noTimeout,
    );
    const again = await addToWindowTotals(
      client,
      [{ key: `${PREFIX}a`, increment: 2, ttlMs: 60_000 }],
      noTimeout,
    );

    expect(windows.map((w) => w.total)).toEqual([3, 1]);
    expect(again.map((w) => w.total)).toEqual([5]);
  });

  it('should start a window with the first increment and not extend it with the next', async () => {
    const key = `${PREFIX}window`;
    const [first] = await addToWindowTotals(client, [{ key, increment: 1, ttlMs: 800 }], noTimeout);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const [second] = await addToWindowTotals(
      client,
      [{ key, increment: 1, ttlMs: 800 }],
      noTimeout,
    );

    expect(first.remainingMs).toBe(800);
    expect(second.remainingMs).toBeLessThanOrEqual(500);
    expect(second.remainingMs).toBeGreaterThan(0);
    expect(await client.pTTL(key)).toBeLessThanOrEqual(500);
  });

  it('should give a key that has lost its expiry one again, so it cannot block a client forever', async () => {
    const key = `${PREFIX}no-expiry`;
    await client.set(key, '7');

    const [window] = await addToWindowTotals(
      client,
      [{ key, increment: 1, ttlMs: 60_000 }],
      noTimeout,
    );

    expect(window).toEqual({ total: 8, remainingMs: 60_000 });
    expect(await client.pTTL(key)).toBeGreaterThan(59_000);
  });

  it('should answer every key of a batch larger than one call takes', async () => {
    const increments = Array.from({ length: KEYS_PER_CALL + 3 }, (_, i) => ({
      key: `${PREFIX}many-${i}`,
      increment: i + 1,
      ttlMs: 60_000,
    }));

    const windows = await addToWindowTotals(client, increments, noTimeout);

    expect(windows.map((w) => w.total)).toEqual(increments.map((i) => i.increment));
  });
});
