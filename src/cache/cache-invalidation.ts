import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { RedisClientType } from '@redis/client';
import { cacheConfig } from '../config/cache.config';
import { webhooksConfig } from '../config/webhooks.config';
import { CacheStore } from './cache-store';
import { REDIS_COMMAND_TIMEOUT_MS, RedisConnection, withTimeout } from './redis-connection';

/**
 * Drops cached keys on every replica: from Redis, from this process's memory, and, through a
 * Redis channel every replica listens to, from the others' memory copies (which a replica serves
 * without asking Redis while they are fresh). A replica that was cut off from Redis when the
 * message went out keeps its copy until the copy's freshness runs out (CACHE_TTL_SECONDS).
 * Only webhook deliveries drop keys, so replicas listen only when GITHUB_WEBHOOK_SECRET is set
 * (replicas share their configuration): otherwise no second Redis connection is opened.
 */
@Injectable()
export class CacheInvalidation implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CacheInvalidation.name);
  private readonly channel: string;
  private subscriber?: RedisClientType;
  private subscribed?: Promise<void>;

  constructor(
    @Inject(cacheConfig.KEY) config: ConfigType<typeof cacheConfig>,
    @Inject(webhooksConfig.KEY) private readonly webhooks: ConfigType<typeof webhooksConfig>,
    private readonly connection: RedisConnection,
    private readonly store: CacheStore,
  ) {
    this.channel = `${config.keyPrefix}:invalidate`;
  }

  onModuleInit(): void {
    const client = this.connection.client;
    if (!client || !this.webhooks.enabled) {
      return;
    }
    // Subscribing takes a connection of its own; start-up does not wait for it (nor for Redis).
    const subscriber = client.duplicate() as RedisClientType;
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    this.subscribed = subscriber
      .connect()
      .then(() => subscriber.subscribe(this.channel, (message) => this.heard(message)))
      .catch((error: unknown) => {
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'Could not listen for cache invalidations: other replicas may serve dropped keys until they expire',
        );
      });
  }

  /** Resolves once this replica listens (tests: a message sent before would not be heard). */
  async listening(): Promise<void> {
    await this.subscribed;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.subscriber?.isOpen) {
      await this.subscriber.close().catch(() => this.subscriber?.destroy());
    }
  }

  /** Drops these keys everywhere; the next read of each loads it again (revalidating with ETags). */
  async drop(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    await this.store.delete(keys);
    const client = this.connection.client;
    if (!client || !this.connection.ready) {
      return;
    }
    try {
      await withTimeout(
        client.publish(this.channel, JSON.stringify(keys)),
        REDIS_COMMAND_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'Could not tell other replicas to drop cached keys: they keep them until they expire',
      );
    }
  }

  private heard(message: string): void {
    try {
      const keys: unknown = JSON.parse(message);
      if (Array.isArray(keys)) {
        this.store.forget(keys.filter((key): key is string => typeof key === 'string'));
      }
    } catch {
      this.logger.warn('Unreadable cache invalidation message ignored');
    }
  }
}
