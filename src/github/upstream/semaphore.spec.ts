import { Semaphore } from './semaphore';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(Semaphore.name, () => {
  it('should never run more than its limit at once, and run every task', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.use(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done).toHaveLength(20);
  });

  it('should free the slot of a task that throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.use(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.use(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(semaphore.queued).toBe(0);
  });

  it('should serve waiters in arrival order', async () => {
    const semaphore = new Semaphore(1);
    const order: number[] = [];
    let release!: () => void;
    const first = semaphore.use(() => new Promise<void>((resolve) => (release = resolve)));
    const rest = [1, 2, 3].map((n) => semaphore.use(() => Promise.resolve(void order.push(n))));
    await tick();
    expect(semaphore.queued).toBe(3);
    release();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3]);
  });
});
