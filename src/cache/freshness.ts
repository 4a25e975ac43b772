/** Something we fetched from GitHub, with what we need to judge and revalidate it. */
export interface CachedEntry<T> {
  data: T;
  /** When GitHub last confirmed this data (a 200 or a 304), in epoch milliseconds. */
  fetchedAt: number;
}

export type Freshness = 'fresh' | 'stale';

export interface FreshnessPolicy {
  ttlSeconds: number;
  staleSeconds: number;
}

export function freshnessOf(
  entry: { fetchedAt: number },
  policy: FreshnessPolicy,
  nowMs = Date.now(),
): Freshness {
  return nowMs - entry.fetchedAt < policy.ttlSeconds * 1000 ? 'fresh' : 'stale';
}

/** How long a store keeps an entry: fresh time plus the time it may still be served stale. */
export function retentionMs(policy: FreshnessPolicy): number {
  return (policy.ttlSeconds + policy.staleSeconds) * 1000;
}

/** Seconds of freshness left, for `Cache-Control: max-age`. */
export function remainingFreshSeconds(
  fetchedAt: number,
  policy: FreshnessPolicy,
  nowMs = Date.now(),
): number {
  return Math.max(0, Math.floor((fetchedAt + policy.ttlSeconds * 1000 - nowMs) / 1000));
}
