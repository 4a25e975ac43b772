/**
 * In-process request coalescing: while a call for a key is in flight, later callers for the same
 * key share its promise instead of starting their own.
 */
export class Singleflight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** `onCoalesced` is told of every caller that joins a call someone else started (a metric). */
  constructor(private readonly onCoalesced: () => void = () => undefined) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) {
      this.onCoalesced();
      return existing as Promise<T>;
    }
    const promise = task().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
