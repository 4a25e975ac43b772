const MINUTE_MS = 60_000;

/**
 * At most `perMinute` requests per key (a token's fingerprint) in any 60 seconds: a ring of the
 * last `perMinute` send times per key, so a request may go when the one `perMinute` sends before
 * it is a minute old. Slots are handed out in order, so a burst is spread, not refused.
 */
export class RequestPacer {
  private readonly rings = new Map<string, { times: number[]; next: number }>();

  constructor(private readonly perMinute: number) {}

  /** Takes the next slot of `key` and answers how many milliseconds to wait for it (0: now). */
  reserve(key: string, nowMs = Date.now()): number {
    let ring = this.rings.get(key);
    if (!ring) {
      ring = { times: new Array<number>(this.perMinute).fill(-Infinity), next: 0 };
      this.rings.set(key, ring);
    }
    const at = Math.max(nowMs, ring.times[ring.next] + MINUTE_MS);
    ring.times[ring.next] = at;
    ring.next = (ring.next + 1) % this.perMinute;
    return at - nowMs;
  }
}
