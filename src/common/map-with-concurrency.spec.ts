import { mapWithConcurrency } from './map-with-concurrency';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(mapWithConcurrency.name, () => {
  it('should keep the input order even when later tasks finish first', async () => {
    // Arrange
    const items = [30, 5, 20, 0, 10, 1];

    // Act
    const results = await mapWithConcurrency(items, 3, async (ms) => {
      await tick(ms);
      return `done ${ms}`;
    });

    // Assert
    expect(results).toEqual(items.map((ms) => `done ${ms}`));
  });

  it.each([1, 2, 4, 7])('should never have more than %i tasks in flight', async (limit) => {
    // Arrange
    const items = Array.from({ length: 25 }, (_, i) => (i * 7) % 5);
    let inFlight = 0;
    let peak = 0;

    // Act
    await mapWithConcurrency(items, limit, async (ms) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(ms);
      inFlight--;
      return ms;
    });

    // Assert
    expect(peak).toBe(limit);
    expect(inFlight).toBe(0);
  });

  it('should run every item exactly once', async () => {
    // Arrange
    const items = Array.from({ length: 40 }, (_, i) => i);
    const seen: number[] = [];

    // Act
    await mapWithConcurrency(items, 4, async (i) => {
      seen.push(i);
      await tick(i % 3);
      return i;
    });

    // Assert
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
  });

  it('should start no more tasks than there are items', async () => {
    // Arrange
    let inFlight = 0;
    let peak = 0;

    // Act
    const results = await mapWithConcurrency([1, 2], 10, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(1);
      inFlight--;
      return n * 2;
    });

    // Assert
    expect(results).toEqual([2, 4]);
    expect(peak).toBe(2);
  });

  it('should answer an empty list for no items without calling the task', async () => {
    // Arrange
    const task = jest.fn(() => Promise.resolve(1));

    // Act
    const results = await mapWithConcurrency([], 4, task);

    // Assert
    expect(results).toEqual([]);
    expect(task).not.toHaveBeenCalled();
  });

  it('should reject with the error of a failing task', async () => {
    // Arrange
    const boom = new Error('page 3 failed');

    // Act
    const result = mapWithConcurrency([1, 2, 3, 4], 2, async (n) => {
      await tick(1);
      if (n === 3) {
        throw boom;
      }
      return n;
    });

    // Assert
    await expect(result).rejects.toBe(boom);
  });

  it('should start no new task after one fails, and still reject with its error', async () => {
    // Arrange: one worker, so the order of starts is the order of the items.
    const boom = new Error('page 2 failed');
    const started: number[] = [];

    // Act
    const result = mapWithConcurrency([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      await tick(1);
      if (n === 2) {
        throw boom;
      }
      return n;
    });

    // Assert
    await expect(result).rejects.toBe(boom);
    await tick(10);
    expect(started).toEqual([1, 2]);
  });

  it('should stop every worker after a failure, letting only the tasks in flight finish', async () => {
    // Arrange: two workers; item 1 fails at once while item 2 is still running.
    const started: number[] = [];
    const finished: number[] = [];

    // Act
    const result = mapWithConcurrency([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 1) {
        throw new Error('first page failed');
      }
      await tick(5);
      finished.push(n);
      return n;
    });

    // Assert
    await expect(result).rejects.toThrow('first page failed');
    await tick(20);
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([2]);
  });

  it('should run one task at a time for a limit below one', async () => {
    // Arrange
    let inFlight = 0;
    let peak = 0;

    // Act
    const results = await mapWithConcurrency([1, 2, 3], 0, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(1);
      inFlight--;
      return n;
    });

    // Assert
    expect(results).toEqual([1, 2, 3]);
    expect(peak).toBe(1);
  });
});
