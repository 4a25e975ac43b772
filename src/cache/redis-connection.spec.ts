import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { testCacheConfig } from '../../test/support/cache-config';
import { PrivateRedis } from '../../test/support/private-redis';
import { waitFor } from '../../test/support/wait-for';
import { ABSENT_REDIS_URL, readyRedisConnection } from '../../test/support/test-redis';
import { RedisConnection, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection';

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

  describe('outages, on a private redis-server', () => {
    let redis: PrivateRedis;
    let connection: RedisConnection | undefined;

    beforeAll(async () => {
      redis = await PrivateRedis.start();
    });

    afterEach(async () => {
      await connection?.onModuleDestroy();
      jest.restoreAllMocks();
      if (!redis.running) {
        await redis.restart();
      }
    });

    afterAll(async () => {
      await redis.stop();
    });

    it('should say when it connects, and warn once per outage however often reconnecting fails', async () => {
      // Arrange
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const up = testCacheConfig({ redisUrl: redis.url });
      connection = new RedisConnection(up);
      await waitFor('Redis to be ready', () => connection?.ready === true);
      const unavailable = () =>
        warn.mock.calls.filter(
          ([, message]) => message === 'Redis unavailable: serving from memory until it returns',
        );

      // Act: down for 800 ms (reconnect attempts at 100, 200 and 400 ms all fail), back, down again.
      await redis.kill();
      await sleep(800);
      const duringFirstOutage = unavailable().length;
      await redis.restart();
      await waitFor('Redis to be ready', () => connection?.ready === true);
      await redis.kill();
      await waitFor('the second outage warning', () => unavailable().length === 2);

      // Assert
      expect(log.mock.calls.map(([message]): unknown => message)).toEqual([
        'Redis connected: the shared cache is in use',
        'Redis connected: the shared cache is in use',
      ]);
      expect(duringFirstOutage).toBe(1);
      expect(unavailable()[0]?.[0]).toEqual({ error: expect.any(String) });
      expect(warn).toHaveBeenCalledTimes(2);
    });

    it('should say once, not per retry and not as an outage, that Redis is not reachable yet', async () => {
      // Arrange
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      await redis.kill();

      // Act
      connection = new RedisConnection(testCacheConfig({ redisUrl: redis.url }));
      await sleep(400);

      // Assert: one line for the first failure, none for the retries, no outage
      expect(connection.ready).toBe(false);
      expect(warn.mock.calls.map(([, message]): unknown => message)).toEqual([
        'Redis not reachable yet: serving from memory until it is',
      ]);
      expect(warn.mock.calls[0][0]).toEqual({ error: expect.stringContaining('ECONNREFUSED') });
    });

    it('should not call a Redis that refuses its commands (no password) ready, and say why', async () => {
      // Arrange
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const guarded = await PrivateRedis.start('/dev/null', { password: 'not-in-the-url' });
      const withoutPassword = guarded.url.replace(/\/\/[^@]*@/, '//');

      try {
        // Act
        connection = new RedisConnection(testCacheConfig({ redisUrl: withoutPassword }));
        await waitFor('the refusal to be logged', () => error.mock.calls.length > 0);

        // Assert
        expect(connection.client?.isReady).toBe(true);
        expect(connection.ready).toBe(false);
        expect(error.mock.calls[0][0]).toEqual({ error: expect.stringContaining('NOAUTH') });
        expect(log).not.toHaveBeenCalledWith('Redis connected: the shared cache is in use');
      } finally {
        await connection?.onModuleDestroy();
        connection = undefined;
        await guarded.stop();
      }
    });

    it('should close a connection that is still trying to connect', async () => {
      // Arrange
      await redis.kill();
      connection = new RedisConnection(testCacheConfig({ redisUrl: redis.url }));
      await sleep(150);

      // Act
      await connection.onModuleDestroy();

      // Assert
      expect(connection.client?.isOpen).toBe(false);
      await expect(connection.onModuleDestroy()).resolves.toBeUndefined();
      connection = undefined;
    });
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
