import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

/** One client's window, as this replica knows it. */
export interface Window {
  readonly ttl: number;
  /** Moved to the shared window's end when a sync learns it, so replicas reset together. */
  endsAt: number;
  /** Requests this replica admitted in the window. */
  hits: number;
  /** Of `hits`, those not yet added to the shared total in Redis. */
  unsynced: number;
  /** What the other replicas had admitted in the window, as the last sync read it (0 without Redis). */
  others: number;
  blockedUntil: number;
}

/** A window's increment on its way to Redis: `key` names the client. */
export interface PendingSync {
  readonly key: string;
  readonly window: Window;
  readonly increment: number;
}

/** What `increment` resolves to (the library's ThrottlerStorageRecord, which it does not export). */
export interface WindowCount {
  totalHits: number;
  /** Seconds until the window ends. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until a blocked client may ask again; 0 when not blocked. */
  timeToBlockExpire: number;
}

/** How often windows that have ended are forgotten, so idle clients do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A fixed-window counter per client: constant work per request. The library's default storage
 * keeps one timestamp per hit and scans them all on every request, which the benchmark showed
 * growing with the window on exactly the hot path this service exists to make cheap.
 *
 * Shared across replicas without a Redis call per request: a request is admitted on what this
 * replica knows, `others` (the other replicas' count at the last sync) plus its own `hits`, and
 * ThrottleSync moves `unsynced` to Redis in batches and brings `others` back. Without Redis,
 * `others` stays 0 and this is the per-process counter it always was. docs/throttling.md gives
 * the error bound this buys.
 */
@Injectable()
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  /** Clients with requests since the last sync; a Set, so a busy client costs one entry a batch. */
  private readonly changed = new Set<string>();
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    return Promise.resolve(this.count(key, ttl, limit, blockDuration, throttlerName));
  }

  /**
   * `increment` without the promise: the edge cache counts a hit it answers in a synchronous
   * hook, exactly as ThrottlerGuard counts one that reaches a controller.
   */
  count(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): WindowCount {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    const window = this.current(id, ttl, now);
    if (window.blockedUntil <= now) {
      window.hits++;
      window.unsynced++;
      this.changed.add(id);
      if (window.hits + window.others > limit) {
        window.blockedUntil = now + Math.max(blockDuration, window.endsAt - now);
      }
    }
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits + window.others,
      timeToExpire: Math.ceil((window.endsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /**
   * Adds `cost` to the window `id` unless `limit` is reached already: a cost larger than what is
   * left still goes in whole while anything is (a fan-out is never cut in two). Nothing is blocked: a refused charge counts nothing and the caller decides what refusal means. Synced
   * like `increment`, so replicas share the total.
   */
  charge(
    id: string,
    cost: number,
    ttl: number,
    limit: number,
  ): { charged: boolean; spent: number; secondsToReset: number } {
    const now = Date.now();
    const window = this.current(id, ttl, now);
    const charged = window.hits + window.others < limit;
    if (charged) {
      window.hits += cost;
      window.unsynced += cost;
      this.changed.add(id);
    }
    return {
      charged,
      spent: window.hits + window.others,
      secondsToReset: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
    };
  }

  /**
   * Hands over every current window's unsynced requests and counts them as synced. Windows that
   * have ended are dropped: their budget is over, and their Redis key is expiring.
   */
  takePending(now = Date.now()): PendingSync[] {
    const pending: PendingSync[] = [];
    for (const id of this.changed) {
      const window = this.windows.get(id);
      if (window && window.endsAt > now && window.unsynced > 0) {
        pending.push({ key: id, window, increment: window.unsynced });
        window.unsynced = 0;
      }
    }
    this.changed.clear();
    return pending;
  }

  /**
   * Takes in what Redis answered after adding `sync.increment`: the shared window's total and how
   * long it has left. The others' share is that total less everything this replica has sent
   * (requests admitted while the answer was on its way are still `unsynced`). Never lowered: a
   * smaller total means Redis lost the key (a restart), not that requests were undone.
   *
   * The shared window began with the first sync of any replica, so it is the one every replica
   * adopts: its end replaces this replica's own, which began at the client's first request here.
   */
  learnTotal(sync: PendingSync, total: number, remainingMs: number, now = Date.now()): void {
    const window = sync.window;
    const synced = window.hits - window.unsynced;
    window.others = Math.max(window.others, total - synced);
    if (remainingMs > 0) {
      window.endsAt = now + remainingMs;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** The client's window, a new one when there is none or it has ended (and is not blocking). */
  private current(id: string, ttl: number, now: number): Window {
    let window = this.windows.get(id);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { ttl, endsAt: now + ttl, hits: 0, unsynced: 0, others: 0, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    return window;
  }

  private sweep(now = Date.now()): void {
    for (const [id, window] of this.windows) {
      if (window.endsAt <= now && window.blockedUntil <= now) {
        this.windows.delete(id);
      }
    }
  }
}
