/**
 * At most `limit` holders at once; the others wait in arrival order. A holder that throws
 * still frees its slot (`use` releases in `finally`).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async use<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        // The slot passes straight to the next waiter: `active` stays as it is.
        next();
      } else {
        this.active--;
      }
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
