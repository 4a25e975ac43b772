import { testCacheConfig } from '../../test/support/cache-config';
import { readyRedisConnection } from '../../test/support/test-redis';
import { RedisConnection, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection';

/** Nothing listens on port 1: a Redis that is away. */
const ABSENT_REDIS_URL = 'redis://127.0.0.1:1';

describe(RedisConnection.name, () => {
  it('should have no client without REDIS_URL, and say it is not connected', async () => {
    const connection = new RedisConnection(testCacheConfig());

    expect(connection.client).toBeUndefined();
    expect(connection.configured).toBe(false);
    expect(connection.ready).toBe(false);
    await expect(connection.ping()).rejects.toThrow('Redis is not connected');
    await expect(connection.onModuleDestroy()).resolves.toBeUndefined();
  });

  it('should connect to a reachable Redis in the background, answer PING, and close', async () => {
    // Arrange
    const connection = await readyRedisConnection(testCacheConfig());

    // Act
    const pinged = connection.ping();

    // Assert
    await expect(pinged).resolves.toBeUndefined();
    expect(connection.configured).toBe(true);
    expect(connection.ready).toBe(true);
    await connection.onModuleDestroy();
    expect(connection.client?.isOpen).toBe(false);
    expect(connection.ready).toBe(false);
  });

  it('should neither fail nor wait at start-up when Redis is away', async () => {
    // Arrange
    const connection = new RedisConnection(testCacheConfig({ redisUrl: ABSENT_REDIS_URL }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act + Assert
    expect(connection.configured).toBe(true);
    expect(connection.ready).toBe(false);
    await expect(connection.ping()).rejects.toThrow('Redis is not connected');
    await connection.onModuleDestroy();
  });

  it('should refuse commands at once while Redis is away, rather than queue them', async () => {
    const connection = new RedisConnection(testCacheConfig({ redisUrl: ABSENT_REDIS_URL }));
    const client = connection.client;
    if (!client) throw new Error('expected a client');
    const startedAt = Date.now();

    await expect(client.get('any')).rejects.toThrow();

    expect(Date.now() - startedAt).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS);
    await connection.onModuleDestroy();
  });

  it('should retry with exponential backoff capped at two seconds', async () => {
    const connection = await readyRedisConnection(testCacheConfig());
    const strategy = (
      connection.client?.options?.socket as { reconnectStrategy: (n: number) => number }
    ).reconnectStrategy;

    const delays = [0, 1, 2, 3, 4, 5].map((retries) => strategy(retries));

    expect(delays).toEqual([100, 200, 400, 800, 1600, 2000]);
    await connection.onModuleDestroy();
  });
});

describe(withTimeout.name, () => {
  it('should answer what the command answers in time', async () => {
    await expect(withTimeout(Promise.resolve('PONG'), 50)).resolves.toBe('PONG');
  });

  it('should pass on what the command fails with', async () => {
    const boom = new Error('READONLY');

    await expect(withTimeout(Promise.reject(boom), 50)).rejects.toBe(boom);
  });

  it('should give up on a command that does not answer in time', async () => {
    const never = new Promise<never>(() => undefined);

    await expect(withTimeout(never, 20)).rejects.toThrow('Redis did not answer within 20 ms');
  });

  it('should not keep a timer alive once the command answered', async () => {
    jest.useFakeTimers();
    try {
      await withTimeout(Promise.resolve(1), 10_000);

      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
