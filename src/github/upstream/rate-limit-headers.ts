/** What GitHub's `x-ratelimit-*` headers said about one token's primary budget. */
export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** When the budget refills, in UTC epoch seconds. */
  reset: number;
  resource: string;
}

type HeaderBag = Record<string, unknown>;

function numberHeader(headers: HeaderBag, name: string): number | undefined {
  const raw = headers[name];
  const value =
    typeof raw === 'string' && raw.trim() !== ''
      ? Number(raw)
      : typeof raw === 'number'
        ? raw
        : NaN;
  return Number.isFinite(value) ? value : undefined;
}

export function readRateLimit(headers: HeaderBag): RateLimitSnapshot | undefined {
  const limit = numberHeader(headers, 'x-ratelimit-limit');
  const remaining = numberHeader(headers, 'x-ratelimit-remaining');
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || reset === undefined) {
    return undefined;
  }
  return {
    limit,
    remaining,
    reset,
    resource:
      typeof headers['x-ratelimit-resource'] === 'string'
        ? headers['x-ratelimit-resource']
        : 'core',
  };
}

/** `retry-after` in seconds (GitHub sends delta-seconds), or undefined. */
export function readRetryAfter(headers: HeaderBag): number | undefined {
  const value = numberHeader(headers, 'retry-after');
  return value !== undefined && value >= 0 ? Math.ceil(value) : undefined;
}

/** Seconds until an epoch-seconds reset, never less than one so clients do not spin. */
export function secondsUntil(resetEpochSeconds: number, nowMs = Date.now()): number {
  return Math.max(1, Math.ceil(resetEpochSeconds - nowMs / 1000));
}
