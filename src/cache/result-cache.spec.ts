import { Logger } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import timers from 'node:timers/promises';
import { MetricsService } from '../metrics/metrics.service';
import { CacheConfig } from '../config/cache.config';
import { frozenClock, testCacheConfig, testCacheStore } from '../../test/support/cache-config';
import {
  deleteKeysContaining,
  readyRedisConnection,
  TEST_REDIS_URL,
  uniqueKeyPrefix,
} from '../../test/support/test-redis';
import { DistributedLock } from './distributed-lock';
import { RedisConnection } from './redis-connection';
import { Loaded, LoadFailures, ResultCache } from './result-cache';
import { RecordedSpans, recordSpans } from '../../test/support/recorded-spans';

/** "Does not exist": an answer, remembered and never hidden by stale data. */
class NotFound extends Error {
  override name = 'NotFound';
}
/** The source is down: the last good value may stand in. */
class SourceDown extends Error {
  override name = 'SourceDown';
}
/** A failure the last good value must not hide (a bug of ours, say). */
class Unexpected extends Error {}

const FAILURES: LoadFailures = {
  isNotFound: (error) => error instanceof NotFound,
  notFound: () => new NotFound('remembered: no such thing'),
  canServeStale: (error) => error instanceof SourceDown,
};

const START = Date.UTC(2024, 5, 1, 12, 0, 0);

/** A loader whose answers the test queues; it records the `previous` value it was given. */
function loader<T>(...answers: (Loaded<T> | Error)[]) {
  return jest.fn((previous: T | undefined) => {
    void previous;
    const answer = answers.shift();
    if (answer === undefined) {
      return Promise.reject(new Error('the loader was called more often than arranged'));
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  });
}

const data = <T>(value: T, notModified = false): Loaded<T> => ({ data: value, notModified });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function build(config: CacheConfig, connection = new RedisConnection(config), failures = FAILURES) {
  const { store, metrics } = testCacheStore(config, connection);
  const locks = new DistributedLock(connection, config);
  const cache = new ResultCache(store, locks, config, metrics, failures);
  return { cache, store, metrics, connection, locks };
}

async function resultCount(metrics: MetricsService, result: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('cache_results_total')?.get();
  return metric?.values.find((v) => v.labels.result === result)?.value ?? 0;
}

describe(ResultCache.name, () => {
  let clock: ReturnType<typeof frozenClock>;

  beforeEach(() => {
    clock = frozenClock(START);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('in memory', () => {
    it('should load a cold key once (MISS), then serve it fresh without loading (HIT)', async () => {
      // Arrange
      const { cache, metrics } = build(testCacheConfig());
      const load = loader(data({ n: 1 }));

      // Act
      const first = await cache.get('k', load);
      clock.advance(59_000);
      const second = await cache.get('k', load);

      // Assert
      expect(first).toEqual({ data: { n: 1 }, fetchedAt: START, status: 'MISS' });
      expect(second).toEqual({ data: { n: 1 }, fetchedAt: START, status: 'HIT' });
      expect(load).toHaveBeenCalledTimes(1);
      expect(load).toHaveBeenCalledWith(undefined);
      expect(await resultCount(metrics, 'miss')).toBe(1);
      expect(await resultCount(metrics, 'hit')).toBe(1);
    });

    it('should store the result for its fresh plus stale time', async () => {
      const { cache, store } = build(testCacheConfig({ ttlSeconds: 60, staleSeconds: 3600 }));
      const set = jest.spyOn(store, 'set');

      await cache.get('k', loader(data('v')));

      expect(set).toHaveBeenCalledWith('k', { data: 'v', fetchedAt: START }, 3_660_000);
    });

    it('should serve a stale value at once and refresh it in the background', async () => {
      // Arrange
      const { cache, metrics } = build(testCacheConfig());
      const load = loader(data('old'), data('new'));
      await cache.get('k', load);
      clock.advance(61_000);

      // Act
      const stale = await cache.get('k', load);
      await settle();
      const refreshed = await cache.get('k', load);

      // Assert
      expect(stale).toEqual({ data: 'old', fetchedAt: START, status: 'STALE' });
      expect(load).toHaveBeenLastCalledWith('old');
      expect(refreshed).toEqual({ data: 'new', fetchedAt: START + 61_000, status: 'HIT' });
      expect(await resultCount(metrics, 'stale')).toBe(1);
    });

    it('should keep serving the stale value when the background refresh fails', async () => {
      const { cache } = build(testCacheConfig());
      const load = loader(data('old'), new SourceDown('GitHub is down'), data('new'));
      await cache.get('k', load);
      clock.advance(61_000);

      const first = await cache.get('k', load);
      await settle();
      const second = await cache.get('k', load);
      await settle();

      expect(first.status).toBe('STALE');
      expect(second).toEqual({ data: 'old', fetchedAt: START, status: 'STALE' });
      expect(load).toHaveBeenCalledTimes(3);
    });

    it('should revalidate a fresh value upstream when asked to (REVALIDATED on a 304)', async () => {
      // Arrange
      const { cache, metrics } = build(testCacheConfig());
      const load = loader(data('v'), data('v', true));
      await cache.get('k', load);
      clock.advance(10_000);

      // Act
      const result = await cache.get('k', load, { revalidate: true });

      // Assert
      expect(result).toEqual({ data: 'v', fetchedAt: START + 10_000, status: 'REVALIDATED' });
      expect(load).toHaveBeenLastCalledWith('v');
      expect(await resultCount(metrics, 'revalidated')).toBe(1);
    });

    it('should answer MISS when a revalidation brought new data', async () => {
      const { cache } = build(testCacheConfig());
      const load = loader(data('v1'), data('v2'));
      await cache.get('k', load);
      clock.advance(10_000);

      const result = await cache.get('k', load, { revalidate: true });

      expect(result).toEqual({ data: 'v2', fetchedAt: START + 10_000, status: 'MISS' });
    });

    it('should use a result stored since the caller looked instead of loading again', async () => {
      // Arrange: the entry was stored in the very millisecond the revalidating caller looked.
      const { cache } = build(testCacheConfig({ minRevalidateSeconds: 0 }));
      const load = loader(data('just stored'));
      await cache.get('k', load);

      // Act
      const result = await cache.get('k', load, { revalidate: true });

      // Assert
      expect(result).toEqual({ data: 'just stored', fetchedAt: START, status: 'MISS' });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('should serve the last good value when the source fails (stale-if-error)', async () => {
      // Arrange
      const { cache } = build(testCacheConfig());
      const load = loader(data('good'), new SourceDown('GitHub timed out'));
      await cache.get('k', load);
      clock.advance(10_000);

      // Act
      const result = await cache.get('k', load, { revalidate: true });

      // Assert
      expect(result).toEqual({ data: 'good', fetchedAt: START, status: 'STALE' });
    });

    const SERVED = 'The source failed; serving the last good value';
    const KEPT = 'Background refresh failed; stale data kept';
    it.each([
      [
        'serving the last good value',
        'SourceDown',
        { revalidate: true },
        new SourceDown('down'),
        SERVED,
      ],
      ['serving the last good value', 'unknown', { revalidate: true }, 'a string', SERVED],
      ['a background refresh', 'SourceDown', {}, new SourceDown('down'), KEPT],
      ['a background refresh', 'unknown', {}, 'a string', KEPT],
    ])(
      'should log %s with the key and the error class (%s)',
      async (_case, errorName, options, thrown, message) => {
        // Arrange: a stale value, then a load that fails (a string may stand in for anything here).
        const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
        const { cache } = build(testCacheConfig(), undefined, {
          ...FAILURES,
          canServeStale: () => true,
        });
        const load = jest
          .fn<Promise<Loaded<string>>, [string | undefined]>()
          .mockResolvedValueOnce(data('good'))
          .mockRejectedValueOnce(thrown);
        await cache.get('gh:user:octocat', load);
        clock.advance(61_000);

        // Act
        const result = await cache.get('gh:user:octocat', load, options);
        await settle();

        // Assert
        expect(result).toEqual({ data: 'good', fetchedAt: START, status: 'STALE' });
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn).toHaveBeenCalledWith({ key: 'gh:user:octocat', error: errorName }, message);
      },
    );

    it('should not hide a failure the last good value may not stand in for', async () => {
      const { cache } = build(testCacheConfig());
      const load = loader(data('good'), new Unexpected('a bug'));
      await cache.get('k', load);
      clock.advance(10_000);

      await expect(cache.get('k', load, { revalidate: true })).rejects.toBeInstanceOf(Unexpected);
    });

    it('should never hide a not-found behind the last good value', async () => {
      // Arrange: NotFound is also servable stale here, to show not-found wins.
      const { cache } = build(testCacheConfig(), undefined, {
        ...FAILURES,
        canServeStale: () => true,
      });
      const load = loader(data('good'), new NotFound('deleted upstream'));
      await cache.get('k', load);
      clock.advance(10_000);

      // Act
      const result = cache.get('k', load, { revalidate: true });

      // Assert
      await expect(result).rejects.toThrow('deleted upstream');
    });

    it('should fail a cold key whose load fails, with the load error', async () => {
      const { cache } = build(testCacheConfig());
      const boom = new SourceDown('GitHub is down');

      await expect(cache.get('k', loader<string>(boom))).rejects.toBe(boom);
    });

    it('should remember a not-found within CACHE_NEGATIVE_TTL_SECONDS, without loading again', async () => {
      // Arrange
      const { cache } = build(testCacheConfig({ negativeTtlSeconds: 60 }));
      const load = loader<string>(new NotFound('no such user'), data('created since'));
      await expect(cache.get('ghost', load)).rejects.toThrow('no such user');

      // Act
      clock.advance(59_000);
      const remembered = cache.get('ghost', load);

      // Assert
      await expect(remembered).rejects.toThrow('remembered: no such thing');
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('should ask again once the negative time to live has passed', async () => {
      const { cache } = build(testCacheConfig({ negativeTtlSeconds: 60 }));
      const load = loader<string>(new NotFound('no such user'), data('created since'));
      await expect(cache.get('ghost', load)).rejects.toBeInstanceOf(NotFound);

      clock.advance(60_000);
      const result = await cache.get('ghost', load);

      expect(result).toEqual({ data: 'created since', fetchedAt: START + 60_000, status: 'MISS' });
      expect(load).toHaveBeenLastCalledWith(undefined);
    });

    it('should not let no-cache reach past a remembered not-found within its time to live', async () => {
      // Arrange
      const { cache } = build(testCacheConfig({ negativeTtlSeconds: 60 }));
      const load = loader<string>(new NotFound('no such user'), data('created since'));
      await expect(cache.get('ghost', load)).rejects.toBeInstanceOf(NotFound);
      clock.advance(59_000);

      // Act
      const remembered = cache.get('ghost', load, { revalidate: true });

      // Assert
      await expect(remembered).rejects.toThrow('remembered: no such thing');
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('should honour no-cache at most once per CACHE_MIN_REVALIDATE_S for an entry', async () => {
      // Arrange
      const { cache } = build(testCacheConfig({ minRevalidateSeconds: 10 }));
      const load = loader(data('v1'), data('v2'), data('v3'));
      await cache.get('k', load);

      // Act: no-cache 9.999 s after GitHub confirmed the entry, then at 10 s, then again at once
      clock.advance(9_999);
      const early = await cache.get('k', load, { revalidate: true });
      clock.advance(1);
      const due = await cache.get('k', load, { revalidate: true });
      const again = await cache.get('k', load, { revalidate: true });

      // Assert
      expect(early).toEqual({ data: 'v1', fetchedAt: START, status: 'HIT' });
      expect(due).toEqual({ data: 'v2', fetchedAt: START + 10_000, status: 'MISS' });
      expect(again).toEqual({ data: 'v2', fetchedAt: START + 10_000, status: 'HIT' });
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('should remember nothing with a negative time to live of zero', async () => {
      const { cache, store } = build(testCacheConfig({ negativeTtlSeconds: 0 }));
      const set = jest.spyOn(store, 'set');
      const load = loader<string>(new NotFound('no such user'), new NotFound('still none'));
      await expect(cache.get('ghost', load)).rejects.toThrow('no such user');

      await expect(cache.get('ghost', load)).rejects.toThrow('still none');
      expect(store.peek('ghost')).toBeUndefined();
      // Not even a marker that expires at once: with Redis that would be a write of 1 ms.
      expect(set).not.toHaveBeenCalled();
    });

    it('should store a remembered not-found for the negative time to live', async () => {
      const { cache, store } = build(testCacheConfig({ negativeTtlSeconds: 30 }));
      const set = jest.spyOn(store, 'set');

      await expect(cache.get('ghost', loader<string>(new NotFound('none')))).rejects.toBeInstanceOf(
        NotFound,
      );

      expect(set).toHaveBeenCalledWith('ghost', { notFound: true, fetchedAt: START }, 30_000);
    });

    it('should not remember a failure that is not a not-found', async () => {
      const { cache, store } = build(testCacheConfig());

      await expect(cache.get('k', loader<string>(new SourceDown('down')))).rejects.toBeInstanceOf(
        SourceDown,
      );

      expect(store.peek('k')).toBeUndefined();
    });

    it('should make one load for many concurrent callers of a cold key', async () => {
      // Arrange
      const { cache, metrics } = build(testCacheConfig());
      let finish!: (value: Loaded<string>) => void;
      const load = jest.fn(() => new Promise<Loaded<string>>((resolve) => (finish = resolve)));

      // Act
      const callers = Array.from({ length: 5 }, () => cache.get('k', load));
      await settle();
      finish(data('shared'));
      const results = await Promise.all(callers);

      // Assert
      expect(load).toHaveBeenCalledTimes(1);
      expect(results.map((r) => r.data)).toEqual(Array(5).fill('shared'));
      expect(await metrics.registry.getSingleMetricAsString('coalesced_waiters_total')).toMatch(
        /coalesced_waiters_total 4$/m,
      );
    });

    it('should wait out the lock lifetime in 50 ms polls while another replica holds it, then load without it', async () => {
      // Arrange: another replica holds the lock for good (every try answers "taken"); the polls'
      // sleeps resolve at once, and a cap ends a wait that never would.
      const { cache, locks } = build(testCacheConfig());
      const tryAcquire = jest.spyOn(locks, 'tryAcquire').mockResolvedValue({ acquired: false });
      const sleep = jest.spyOn(timers, 'setTimeout').mockImplementation(() => {
        return sleep.mock.calls.length > 400
          ? Promise.reject(new Error('waited past the lock lifetime'))
          : Promise.resolve(undefined);
      });
      const load = loader(data('loaded here'));

      // Act
      const result = await cache.get('held', load);

      // Assert: 15 s in polls of 50 ms, a try of the lock after each, then one load.
      expect(result).toEqual({ data: 'loaded here', fetchedAt: START, status: 'MISS' });
      expect(load).toHaveBeenCalledTimes(1);
      const delays = sleep.mock.calls.map(([ms]) => ms);
      expect(new Set(delays)).toEqual(new Set([50]));
      expect(delays).toHaveLength(15_000 / 50);
      expect(tryAcquire).toHaveBeenCalledTimes(1 + 15_000 / 50);
      expect(tryAcquire).toHaveBeenCalledWith('held', 15_000);
    });

    it('should keep keys apart', async () => {
      const { cache } = build(testCacheConfig());

      const a = await cache.get('a', loader(data('A')));
      const b = await cache.get('b', loader(data('B')));

      expect([a.data, b.data]).toEqual(['A', 'B']);
    });
  });

  describe('with Redis, across replicas', () => {
    const keyPrefix = uniqueKeyPrefix('result-cache');
    const connections: RedisConnection[] = [];

    async function replica() {
      const config = testCacheConfig({ keyPrefix, redisMaxValueBytes: 1_000_000 });
      const connection = await readyRedisConnection(config);
      connections.push(connection);
      return build(config, connection);
    }

    beforeEach(() => {
      // Real time: the lock poll sleeps, and Redis expiries run on the server's clock.
      jest.restoreAllMocks();
    });

    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.onModuleDestroy()));
      await deleteKeysContaining(TEST_REDIS_URL, keyPrefix);
    });

    it("should serve another replica's fresh result as a HIT without loading", async () => {
      const a = await replica();
      const b = await replica();
      await a.cache.get('fresh', loader(data('from a')));
      const load = loader(data('from b'));

      const result = await b.cache.get('fresh', load);

      expect(result).toMatchObject({ data: 'from a', status: 'HIT' });
      expect(load).not.toHaveBeenCalled();
    });

    it('should serve its own fresh memory copy without reading Redis', async () => {
      // Arrange: A holds a fresh result in memory; B has since stored a newer one in Redis.
      const [a, b] = await Promise.all([replica(), replica()]);
      await a.cache.get('near', loader(data('in a memory')));
      await b.store.set('near', { data: 'newer in redis', fetchedAt: Date.now() }, 60_000);

      // Act + Assert: replicas differ by at most the freshness window (a load would reject).
      await expect(a.cache.get('near', loader<string>())).resolves.toMatchObject({
        data: 'in a memory',
        status: 'HIT',
      });
    });

    it('should let go of the lock once it has loaded', async () => {
      const a = await replica();
      const b = await replica();
      await b.cache.get('released', loader(data('from b')));

      const lock = await a.locks.tryAcquire('released', 1_000);

      expect(lock.acquired).toBe(true);
      if (lock.acquired) await lock.release();
    });

    it('should rebuild a result read from Redis with decode, passing a not-found marker as it is', async () => {
      // Arrange
      const a = await replica();
      const b = await replica();
      await a.cache.get('decoded', loader(data({ n: 2 })));
      await expect(
        a.cache.get('missing', loader<{ n: number }>(new NotFound('none'))),
      ).rejects.toBeInstanceOf(NotFound);
      const decode = (raw: unknown) => ({ n: (raw as { n: number }).n * 10 });

      // Act
      const result = await b.cache.get('decoded', loader<{ n: number }>(), { decode });
      const missing = b.cache.get('missing', loader<{ n: number }>(), { decode });

      // Assert
      expect(result.data).toEqual({ n: 20 });
      await expect(missing).rejects.toThrow('remembered');
    });

    it('should load again when Redis holds something that is not a stored result', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const b = await replica();
      await b.store.set('garbage', { neither: 'data nor fetchedAt' }, 60_000);
      const other = await replica();

      const result = await other.cache.get('garbage', loader(data('loaded')), {
        decode: (raw) => raw as string,
      });

      expect(result).toMatchObject({ data: 'loaded', status: 'MISS' });
      expect(warn).toHaveBeenCalledWith(
        { key: 'garbage', error: 'not a stored result' },
        'Unreadable value in Redis; treated as a miss',
      );
    });

    it('should wait for the replica holding the lock and use its result instead of loading', async () => {
      // Arrange: replica A holds the lock of a cold key.
      const a = await replica();
      const b = await replica();
      const held = await a.locks.tryAcquire('contended', 15_000);
      expect(held.acquired).toBe(true);
      const load = loader(data('from b'));

      // Act: B asks, then A stores its result and lets go.
      const asked = b.cache.get('contended', load);
      await new Promise((resolve) => setTimeout(resolve, 120));
      await a.store.set('contended', { data: 'from a', fetchedAt: Date.now() }, 60_000);
      const result = await asked;
      if (held.acquired) await held.release();

      // Assert
      expect(result).toMatchObject({ data: 'from a', status: 'MISS' });
      expect(load).not.toHaveBeenCalled();
    });

    it('should take the lock and load when the holder gives up without a result', async () => {
      // Arrange
      const a = await replica();
      const b = await replica();
      const held = await a.locks.tryAcquire('abandoned', 15_000);
      const load = loader(data('from b'));

      // Act
      const asked = b.cache.get('abandoned', load);
      await new Promise((resolve) => setTimeout(resolve, 120));
      if (held.acquired) await held.release();
      const result = await asked;

      // Assert
      expect(result).toMatchObject({ data: 'from b', status: 'MISS' });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it("should answer the holder's not-found while waiting for it", async () => {
      const a = await replica();
      const b = await replica();
      const held = await a.locks.tryAcquire('gone', 15_000);

      const asked = b.cache.get('gone', loader<string>());
      await new Promise((resolve) => setTimeout(resolve, 120));
      await a.store.set('gone', { notFound: true, fetchedAt: Date.now() }, 60_000);

      await expect(asked).rejects.toThrow('remembered');
      if (held.acquired) await held.release();
    });
  });

  describe('traced', () => {
    let spans: RecordedSpans;

    beforeEach(() => {
      spans = recordSpans();
    });

    afterEach(() => spans.stop());

    async function lookupSpans() {
      return (await spans.finished()).map(({ name, kind, attributes }) => ({
        name,
        kind,
        attributes,
      }));
    }

    it('should make a `cache lookup` span with the key kind and the cache status', async () => {
      const { cache } = build(testCacheConfig());
      const load = loader(data('v'));

      await cache.get('gh:repos:user:octocat', load);
      await cache.get('gh:repos:user:octocat', load);

      const lookup = (status: string) => ({
        name: 'cache lookup',
        kind: SpanKind.INTERNAL,
        attributes: { 'cache.key.kind': 'gh:repos:user', 'cache.status': status },
      });
      expect(await lookupSpans()).toEqual([lookup('MISS'), lookup('HIT')]);
    });

    it.each([
      ['a key without a colon', 'plain', 'plain'],
      ['a key whose only colon comes first', ':octocat', ':octocat'],
      ['a key of two parts', 'user:octocat', 'user'],
    ])('should name the kind of %s', async (_case, key, kind) => {
      const { cache } = build(testCacheConfig());

      await cache.get(key, loader(data('v')));

      const [span] = await lookupSpans();
      expect(span.attributes['cache.key.kind']).toBe(kind);
    });
  });
});
