import { Singleflight } from './singleflight';

/** A task whose promise the test settles by hand. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe(Singleflight.name, () => {
  it('should run one task for concurrent callers of one key, and tell of each joiner', async () => {
    // Arrange
    const coalesced = jest.fn();
    const flight = new Singleflight(coalesced);
    const load = deferred<string>();
    const task = jest.fn(() => load.promise);

    // Act
    const callers = [flight.run('k', task), flight.run('k', task), flight.run('k', task)];
    load.resolve('value');

    // Assert
    await expect(Promise.all(callers)).resolves.toEqual(['value', 'value', 'value']);
    expect(task).toHaveBeenCalledTimes(1);
    expect(coalesced).toHaveBeenCalledTimes(2);
  });

  it('should run separate tasks for separate keys', async () => {
    const flight = new Singleflight();
    const task = jest.fn((value: string) => Promise.resolve(value));

    const results = await Promise.all([
      flight.run('a', () => task('a')),
      flight.run('b', () => task('b')),
    ]);

    expect(results).toEqual(['a', 'b']);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('should start a new task once the previous one has finished', async () => {
    const coalesced = jest.fn();
    const flight = new Singleflight(coalesced);
    const task = jest.fn(() => Promise.resolve('value'));

    await flight.run('k', task);
    await flight.run('k', task);

    expect(task).toHaveBeenCalledTimes(2);
    expect(coalesced).not.toHaveBeenCalled();
  });

  it('should share a failure with every caller, then forget it so the next call retries', async () => {
    // Arrange
    const flight = new Singleflight();
    const load = deferred<string>();
    const boom = new Error('upstream failed');
    const first = flight.run('k', () => load.promise);
    const second = flight.run('k', () => Promise.resolve('not asked'));

    // Act
    load.reject(boom);

    // Assert
    await expect(first).rejects.toBe(boom);
    await expect(second).rejects.toBe(boom);
    await expect(flight.run('k', () => Promise.resolve('retried'))).resolves.toBe('retried');
  });

  it('should work without a coalescing listener', async () => {
    const flight = new Singleflight();
    const load = deferred<number>();

    const both = Promise.all([
      flight.run('k', () => load.promise),
      flight.run('k', () => load.promise),
    ]);
    load.resolve(1);

    await expect(both).resolves.toEqual([1, 1]);
  });
});
