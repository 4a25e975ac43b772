/**
 * In-process request coalescing: while a call for a key is in flight, later callers for the same
 * key share its promise instead of starting their own.
 */
export class Singleflight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** How many callers are waiting on a call someone else started (for metrics and tests). */
  coalesced = 0;

  constructor(private readonly onCoalesced: () => void = () => undefined) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) {
      this.coalesced++;
      this.onCoalesced();
      return existing as Promise<T>;
    }
    const promise = task().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
