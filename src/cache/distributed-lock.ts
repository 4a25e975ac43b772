import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { cacheConfig } from '../config/cache.config';
import { RedisConnection, REDIS_COMMAND_TIMEOUT_MS, withTimeout } from './redis-connection';

/** Deletes the lock only if it still holds our token, so a slow holder never frees another's lock. */
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export type LockResult = { acquired: true; release: () => Promise<void> } | { acquired: false };

/**
 * A short Redis lock (SET NX PX) so replicas sharing a cache do one upstream fetch for a cold
 * key. Without Redis, or while it is away, every caller "acquires": in-process coalescing
 * already makes that one fetch per replica, and a lock must never stop the service.
 */
@Injectable()
export class DistributedLock {
  private readonly prefix: string;

  constructor(
    private readonly connection: RedisConnection,
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
  ) {
    this.prefix = `${config.keyPrefix}:lock:`;
  }

  async tryAcquire(name: string, ttlMs: number): Promise<LockResult> {
    const client = this.connection.client;
    const noop: LockResult = { acquired: true, release: () => Promise.resolve() };
    if (!client?.isReady) {
      return noop;
    }
    const key = this.prefix + name;
    const token = randomUUID();
    try {
      const reply = await withTimeout(
        client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
        REDIS_COMMAND_TIMEOUT_MS,
      );
      if (reply !== 'OK') {
        return { acquired: false };
      }
    } catch {
      return noop;
    }
    return {
      acquired: true,
      release: async () => {
        await withTimeout(
          client.eval(RELEASE_SCRIPT, { keys: [key], arguments: [token] }),
          REDIS_COMMAND_TIMEOUT_MS,
        ).catch(() => undefined);
      },
    };
  }
}
