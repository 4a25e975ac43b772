import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  RedisConnection,
  REDIS_COMMAND_TIMEOUT_MS,
  withTimeout,
} from '../../cache/redis-connection';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import { addToWindowTotals } from './redis-window-totals';

/**
 * Every `syncMs`, adds what this replica counted since the last time to each client's shared
 * window total in Redis (keys under `prefix`) and brings the totals back, so that all replicas
 * count against one limit. Requests never wait for it: a slow or absent Redis only makes the
 * counts older, and while it is away each replica counts alone, as it does without REDIS_URL.
 *
 * The price is a bounded overshoot. A replica learns the others' counts at its next sync, so
 * each replica can admit at most what reaches it in one interval plus one sync's round trip
 * after the shared total has reached the limit: in a window a client gets at most
 * limit + Σ(rate at replica i) × (syncMs + round trip), i.e. the client's total rate ×
 * (interval + round trip) over the limit, and never more than replicas × limit.
 * docs/throttling.md has the argument and what widens it (failed syncs, event-loop lag).
 */
export abstract class SharedWindowSync implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;
  /** One sync at a time: a total read back must include every increment this replica sent. */
  private syncing = false;
  private failing = false;

  protected constructor(
    private readonly storage: FixedWindowThrottlerStorage,
    private readonly connection: RedisConnection,
    private readonly syncMs: number,
    private readonly prefix: string,
  ) {}

  onModuleInit(): void {
    // The one Redis client of the (global) CacheModule: a second one would double the
    // connections and the outage logs.
    if (!this.connection.configured) {
      return;
    }
    this.timer = setInterval(() => void this.sync(), this.syncMs).unref();
  }

  /**
   * Not flushed a last time: the few requests admitted since the last sync are within the bound
   * docs/throttling.md states, and shutdown should not wait on Redis.
   */
  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One batch: public so that tests can run it without waiting for the timer. */
  async sync(): Promise<void> {
    const client = this.connection.client;
    if (this.syncing || !client?.isReady) {
      // While Redis is away the increments stay unsynced, and go with the first sync after it.
      return;
    }
    const pending = this.storage.takePending();
    if (pending.length === 0) {
      return;
    }
    this.syncing = true;
    try {
      const windows = await addToWindowTotals(
        client,
        pending.map((p) => ({
          key: this.prefix + p.key,
          increment: p.increment,
          ttlMs: p.window.ttl,
        })),
        (call) => withTimeout(call, REDIS_COMMAND_TIMEOUT_MS),
      );
      const now = Date.now();
      pending.forEach((p, i) =>
        this.storage.learnTotal(p, windows[i].total, windows[i].remainingMs, now),
      );
      this.failing = false;
    } catch (error) {
      // Not retried: a timed-out INCRBY may have been applied, and counting it twice could refuse
      // a client within its budget. This replica still counts those requests itself.
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          { error: (error as Error).message },
          'Per-client counts not shared: Redis did not take them; counting per replica meanwhile',
        );
      }
    } finally {
      this.syncing = false;
    }
  }
}
