import {
  ABSENT_REDIS_URL,
  connect,
  deleteKeysContaining,
  readyRedisConnection,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../test/support/test-redis';
import { testCacheConfig } from '../../test/support/cache-config';
import { DistributedLock, LockResult } from './distributed-lock';
import { RedisConnection } from './redis-connection';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function acquired(lock: LockResult): Extract<LockResult, { acquired: true }> {
  if (!lock.acquired) {
    throw new Error('expected the lock to be acquired');
  }
  return lock;
}

describe(DistributedLock.name, () => {
  describe('with Redis', () => {
    const keyPrefix = uniqueKeyPrefix('lock');
    let connection: RedisConnection;
    let locks: DistributedLock;
    let redis: Awaited<ReturnType<typeof connect>>;

    const config = testCacheConfig({ keyPrefix });

    beforeAll(async () => {
      connection = await readyRedisConnection(config);
      redis = await connect();
    });

    // Built in each test, not once: Stryker's per-test coverage does not see code run in
    // beforeAll, and missed a mutant of the constructor (the key prefix emptied) because of it.
    beforeEach(() => {
      locks = new DistributedLock(connection, config);
    });

    afterAll(async () => {
      redis.destroy();
      await connection.onModuleDestroy();
      await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
    });

    it('should let one holder in and keep the next one out until it is released', async () => {
      // Arrange
      const first = acquired(await locks.tryAcquire('one-holder', 10_000));

      // Act
      const second = await locks.tryAcquire('one-holder', 10_000);
      await first.release();
      const third = await locks.tryAcquire('one-holder', 10_000);

      // Assert
      expect(second.acquired).toBe(false);
      expect(third.acquired).toBe(true);
      await acquired(third).release();
    });

    it('should keep locks of different names apart', async () => {
      const a = acquired(await locks.tryAcquire('name-a', 10_000));

      const b = await locks.tryAcquire('name-b', 10_000);

      expect(b.acquired).toBe(true);
      await a.release();
      await acquired(b).release();
    });

    it('should store the lock under the key prefix with the given lifetime', async () => {
      const lock = acquired(await locks.tryAcquire('stored', 5_000));

      const key = `${keyPrefix}:lock:stored`;
      const ttl = await redis.pTTL(key);
      const token = await redis.get(key);

      expect(ttl).toBeGreaterThan(4_000);
      expect(ttl).toBeLessThanOrEqual(5_000);
      expect(token).toMatch(/^[0-9a-f-]{36}$/);
      await lock.release();
      expect(await redis.exists(key)).toBe(0);
    });

    it('should free itself when its lifetime ends, as for a crashed holder', async () => {
      await locks.tryAcquire('crashed', 30);

      await tick(60);
      const next = await locks.tryAcquire('crashed', 10_000);

      expect(next.acquired).toBe(true);
      await acquired(next).release();
    });

    it("should not release another owner's lock when a slow holder lets go after expiry", async () => {
      // Arrange: the slow holder's lock expires and another replica takes it.
      const slow = acquired(await locks.tryAcquire('slow-holder', 30));
      await tick(60);
      const other = acquired(await locks.tryAcquire('slow-holder', 10_000));

      // Act
      await slow.release();

      // Assert: the other owner still holds it.
      const third = await locks.tryAcquire('slow-holder', 10_000);
      expect(third.acquired).toBe(false);
      expect(await redis.exists(`${keyPrefix}:lock:slow-holder`)).toBe(1);
      await other.release();
    });

    it('should give every holder its own token', async () => {
      const first = acquired(await locks.tryAcquire('token-a', 10_000));
      const second = acquired(await locks.tryAcquire('token-b', 10_000));

      const [a, b] = await Promise.all([
        redis.get(`${keyPrefix}:lock:token-a`),
        redis.get(`${keyPrefix}:lock:token-b`),
      ]);

      expect(a).not.toBe(b);
      await first.release();
      await second.release();
    });

    it('should let everyone in when Redis fails to answer the SET, rather than stop the service', async () => {
      // Arrange
      const client = connection.client;
      if (!client) throw new Error('expected a client');
      const set = jest.spyOn(client, 'set').mockRejectedValueOnce(new Error('connection reset'));

      // Act
      const lock = await locks.tryAcquire('set-fails', 10_000);

      // Assert
      expect(lock.acquired).toBe(true);
      await acquired(lock).release();
      expect(await redis.exists(`${keyPrefix}:lock:set-fails`)).toBe(0);
      set.mockRestore();
    });

    it('should resolve a release even when Redis fails to answer it', async () => {
      // Arrange
      const client = connection.client;
      if (!client) throw new Error('expected a client');
      const lock = acquired(await locks.tryAcquire('release-fails', 10_000));
      const evalSpy = jest
        .spyOn(client, 'eval')
        .mockRejectedValueOnce(new Error('connection reset'));

      // Act
      const released = lock.release();

      // Assert
      await expect(released).resolves.toBeUndefined();
      evalSpy.mockRestore();
      await redis.del(`${keyPrefix}:lock:release-fails`);
    });
  });

  describe('without Redis', () => {
    it('should let every caller in: in-process coalescing already makes one fetch per replica', async () => {
      // Arrange
      const config = testCacheConfig();
      const locks = new DistributedLock(new RedisConnection(config), config);

      // Act
      const first = await locks.tryAcquire('key', 10_000);
      const second = await locks.tryAcquire('key', 10_000);

      // Assert
      expect(first.acquired).toBe(true);
      expect(second.acquired).toBe(true);
      await expect(acquired(first).release()).resolves.toBeUndefined();
    });

    it('should let every caller in while the configured Redis is unreachable', async () => {
      // Arrange: nothing listens on port 1.
      const config = testCacheConfig({ redisUrl: ABSENT_REDIS_URL });
      const connection = new RedisConnection(config);
      const locks = new DistributedLock(connection, config);

      // Act
      const lock = await locks.tryAcquire('key', 10_000);

      // Assert
      expect(lock.acquired).toBe(true);
      await connection.onModuleDestroy();
    });
  });
});
