import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createClient, RedisClientType } from '@redis/client';
import { cacheConfig } from '../config/cache.config';

/** How long one Redis command may take before the cache falls back to memory for it. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The one Redis client, when `REDIS_URL` is set. Start-up never waits for Redis and a lost Redis
 * never fails a request: the client reconnects in the background and commands are refused
 * (not queued) while it is away, so callers fall back to memory at once.
 */
@Injectable()
export class RedisConnection implements OnModuleDestroy {
  private readonly logger = new Logger(RedisConnection.name);
  readonly client: RedisClientType | undefined;
  private wasReady = false;
  /** Whether "not reachable yet" was said (or needs never be: connected once): once, however many retries fail. */
  private toldNotYet = false;
  /** Whether Redis answered a command since the connection came up (`ready` alone is not auth). */
  private answering = false;

  constructor(@Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>) {
    if (!config.redisUrl) {
      return;
    }
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 1000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
      },
    });
    this.client.on('ready', () => void this.verify());
    this.client.on('error', (error: Error) => {
      // Without a listener the client's error would crash the process; log once per outage, and
      // once before the first connection (a wrong password fails here, before any 'ready').
      if (!this.wasReady && !this.toldNotYet) {
        this.toldNotYet = true;
        this.logger.warn(
          { error: error.message },
          'Redis not reachable yet: serving from memory until it is',
        );
      }
      if (this.wasReady) {
        this.wasReady = false;
        this.logger.warn(
          { error: error.message },
          'Redis unavailable: serving from memory until it returns',
        );
      }
    });
    this.client.connect().catch((error: Error) => {
      this.logger.warn(
        { error: error.message },
        'Redis not reachable at start-up: serving from memory',
      );
    });
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  get ready(): boolean {
    return (this.client?.isReady ?? false) && this.answering;
  }

  /**
   * A connection is not yet a Redis that answers: one that asks for a password the URL lacks
   * accepts the connection and refuses every command (NOAUTH). One PING tells, before anything
   * relies on it; a refusal is logged once per connection, with Redis's own words.
   */
  private async verify(): Promise<void> {
    this.answering = false;
    try {
      await withTimeout(
        this.client?.ping() ?? Promise.reject(new Error('no client')),
        REDIS_COMMAND_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'Redis accepted the connection but refused a command (a password missing from REDIS_URL?): serving from memory',
      );
      return;
    }
    this.answering = true;
    this.wasReady = true;
    // From now on a failure is an outage, logged as one.
    this.toldNotYet = true;
    this.logger.log('Redis connected: the shared cache is in use');
  }

  async ping(): Promise<void> {
    if (!this.client?.isReady) {
      throw new Error('Redis is not connected');
    }
    await withTimeout(this.client.ping(), REDIS_COMMAND_TIMEOUT_MS);
  }

  /**
   * `isOpen` holds from `connect()` until the client is closed, reconnecting included; a client
   * that is not open was closed already, and destroying it again would throw.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.client?.isOpen) {
      await this.client.close().catch(() => this.client?.destroy());
    }
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
