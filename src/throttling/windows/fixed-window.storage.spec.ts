import { FixedWindowThrottlerStorage } from './fixed-window.storage';

const TTL = 60_000;
const LIMIT = 5;
const T0 = 1_700_000_000_000;

describe(FixedWindowThrottlerStorage.name, () => {
  let storage: FixedWindowThrottlerStorage;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    storage = new FixedWindowThrottlerStorage();
  });

  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  /** `n` requests of one client; the outcome of each. */
  async function hit(n: number, key = 'client') {
    const outcomes = [];
    for (let i = 0; i < n; i++) {
      outcomes.push(await storage.increment(key, TTL, LIMIT, TTL, 'default'));
    }
    return outcomes;
  }

  describe('counting alone (no Redis)', () => {
    it('should admit the limit and block the next request for the block duration', async () => {
      const outcomes = await hit(LIMIT + 1);

      expect(outcomes.map((o) => o.isBlocked)).toEqual([false, false, false, false, false, true]);
      expect(outcomes[LIMIT]).toMatchObject({ totalHits: LIMIT + 1, timeToBlockExpire: 60 });
    });

    it('should give each client its own budget', async () => {
      await hit(LIMIT, 'spender');

      const [other] = await hit(1, 'bystander');

      expect(other).toMatchObject({ isBlocked: false, totalHits: 1 });
    });

    it('should start a full budget once the window and the block are over', async () => {
      await hit(LIMIT + 1);
      jest.setSystemTime(T0 + TTL);

      const [next] = await hit(1);

      expect(next).toMatchObject({ isBlocked: false, totalHits: 1 });
    });
  });

  describe('charge', () => {
    it('should charge until the limit is reached, then refuse and count nothing', () => {
      const outcomes = [1, 2, 3, 4, 5, 6].map(() => storage.charge('c', 1, TTL, LIMIT));

      expect(outcomes.map((o) => o.charged)).toEqual([true, true, true, true, true, false]);
      expect(outcomes[5]).toEqual({ charged: false, spent: LIMIT, secondsToReset: 60 });
      expect(storage.takePending().map((p) => p.increment)).toEqual([LIMIT]);
    });

    it('should charge a cost past the limit whole while the window has budget left, then refuse', () => {
      storage.charge('c', LIMIT - 1, TTL, LIMIT);

      const past = storage.charge('c', 3, TTL, LIMIT);
      const after = storage.charge('c', 1, TTL, LIMIT);

      expect(past).toMatchObject({ charged: true, spent: LIMIT + 2 });
      expect(after).toMatchObject({ charged: false, spent: LIMIT + 2 });
    });

    it("should count the other replicas' charges, and start afresh when the window ends", () => {
      storage.charge('c', 1, TTL, LIMIT);
      storage.learnTotal(storage.takePending()[0], LIMIT, TTL);
      const refused = storage.charge('c', 1, TTL, LIMIT);
      jest.setSystemTime(T0 + TTL);

      const renewed = storage.charge('c', 1, TTL, LIMIT);

      expect(refused.charged).toBe(false);
      expect(renewed).toEqual({ charged: true, spent: 1, secondsToReset: 60 });
    });
  });

  describe('takePending', () => {
    it('should hand over the requests since the last take, once', async () => {
      await hit(3);

      const first = storage.takePending();
      const second = storage.takePending();
      await hit(2);
      const third = storage.takePending();

      expect(first.map((p) => [p.key, p.increment])).toEqual([['default:client', 3]]);
      expect(second).toEqual([]);
      expect(third.map((p) => p.increment)).toEqual([2]);
    });

    it('should not count a blocked request as one to share', async () => {
      await hit(LIMIT);
      storage.takePending();

      await hit(3);

      expect(storage.takePending().map((p) => p.increment)).toEqual([1]);
    });

    it('should drop a window that has ended', async () => {
      await hit(2);
      jest.setSystemTime(T0 + TTL);

      expect(storage.takePending()).toEqual([]);
    });
  });

  describe('learnTotal', () => {
    it('should refuse once the other replicas plus this one exceed the limit', async () => {
      await hit(1);
      const [sync] = storage.takePending();
      // The others admitted 3 in this window: the shared total is 4 after our 1.
      storage.learnTotal(sync, 4, TTL);

      const outcomes = await hit(2);

      expect(outcomes.map((o) => o.isBlocked)).toEqual([false, true]);
      expect(outcomes[0].totalHits).toBe(LIMIT);
    });

    it('should not count twice the requests admitted while the total was on its way', async () => {
      await hit(2);
      const [sync] = storage.takePending();
      await hit(1);
      // Redis added our 2 to the others' 1; the 1 since is still unsynced.
      storage.learnTotal(sync, 3, TTL);

      const [next] = await hit(1);

      expect(next).toMatchObject({ isBlocked: false, totalHits: LIMIT });
      expect(storage.takePending().map((p) => p.increment)).toEqual([2]);
    });

    it('should never lower what the others are known to have admitted', async () => {
      await hit(1);
      storage.learnTotal(storage.takePending()[0], 4, TTL);
      await hit(1);
      // Redis lost the key (a restart): it knows only our latest request.
      storage.learnTotal(storage.takePending()[0], 1, TTL);

      const [next] = await hit(1);

      expect(next).toMatchObject({ isBlocked: true, totalHits: LIMIT + 1 });
    });

    it("should end this replica's window when the shared one ends", async () => {
      await hit(LIMIT - 1);
      // The shared window began at another replica, 50 s ago.
      storage.learnTotal(storage.takePending()[0], LIMIT - 1, 10_000);
      jest.setSystemTime(T0 + 10_000);

      const outcomes = await hit(LIMIT);

      expect(outcomes.every((o) => !o.isBlocked)).toBe(true);
      expect(outcomes[0].totalHits).toBe(1);
    });
  });
});
