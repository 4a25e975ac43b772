import { Logger } from '@nestjs/common';
import { CacheStore } from '../../cache/cache-store';
import { GithubConfig } from '../../config/github.config';
import { MetricsService } from '../../metrics/metrics.service';
import { frozenClock, testCacheStore } from '../../../test/support/cache-config';
import { testClientBudget } from '../../../test/support/client-budget';
import { GithubRateLimitedError } from '../api/github-errors';
import { RateLimitSnapshot } from './rate-limit-headers';
import { RateLimitGovernor } from './rate-limit-governor';
import { tokenFingerprint } from './token-fingerprint';

const A = 'ghp_tokenA';
const B = 'ghp_tokenB';
const FA = tokenFingerprint(A);
const FB = tokenFingerprint(B);
const START = Date.UTC(2024, 5, 1, 12, 0, 0);
const START_S = START / 1000;

function github(overrides: Partial<GithubConfig> = {}): GithubConfig {
  return {
    apiUrl: 'https://api.github.com',
    tokens: [A, B],
    timeoutMs: 5000,
    rateLimitReserve: 50,
    maxReposPerAccount: 10000,
    maxConcurrentRequests: 8,
    maxRequestsPerMinute: 900,
    ...overrides,
  };
}

/** The store's memory layer, real (no REDIS_URL): what replicas share through Redis, shared here in-process. */
function memoryStore(): CacheStore {
  return testCacheStore().store;
}

function governor(overrides: Partial<GithubConfig> = {}, store = memoryStore()) {
  const metrics = new MetricsService();
  return {
    governor: new RateLimitGovernor(github(overrides), store, metrics, testClientBudget(metrics)),
    metrics,
    store,
  };
}

function core(remaining: number, reset = START_S + 600, limit = 5000): RateLimitSnapshot {
  return { limit, remaining, reset, resource: 'core' };
}

async function counter(
  metrics: MetricsService,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (
    metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
      ?.value ?? 0
  );
}

/**
 * Two replicas on one store: `b` has first seen `seen` for token A (when given), then `a` is told
 * A is spent until `markReset`. Answers `b`, which has not synced the mark yet.
 */
function afterReplicaMark(
  markReset: number,
  seen?: RateLimitSnapshot,
  tokens = [A, B],
): RateLimitGovernor {
  const store = memoryStore();
  const b = governor({ tokens }, store).governor;
  const a = governor({ tokens }, store).governor;
  if (seen) {
    b.record(FA, seen);
  }
  a.record(FA, core(0, markReset));
  return b;
}

/** The refusal `admitFanOut(pages)` throws (fails the test when it admits them). */
function fanOutRefusal(g: RateLimitGovernor, pages: number): GithubRateLimitedError {
  try {
    g.admitFanOut(pages);
  } catch (e) {
    if (e instanceof GithubRateLimitedError) {
      return e;
    }
    throw e;
  }
  throw new Error(`expected admitFanOut(${pages}) to refuse`);
}

async function rateLimitOf(promise: Promise<unknown>): Promise<GithubRateLimitedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GithubRateLimitedError)) {
    throw new Error(`expected a GithubRateLimitedError, got ${String(error)}`);
  }
  return error;
}

describe(RateLimitGovernor.name, () => {
  let clock: ReturnType<typeof frozenClock>;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    clock = frozenClock(START);
    // The governor's logger: what operators read (fields and message), kept out of the test output.
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  describe('choosing a credential', () => {
    it('should go unauthenticated without tokens', async () => {
      const { governor: g } = governor({ tokens: [] });

      const chosen = await g.choose({ conditional: false });

      expect(chosen).toEqual({ token: undefined, fingerprint: 'anonymous' });
      expect(g.budgets()).toEqual([
        { fingerprint: 'anonymous', limit: 60, remaining: 60, reset: 0, estimated: true },
      ]);
    });

    it('should count a token listed twice once', () => {
      const { governor: g } = governor({ tokens: [A, A] });

      expect(g.budgets()).toEqual([
        { fingerprint: FA, limit: 5000, remaining: 5000, reset: 0, estimated: true },
      ]);
    });

    it('should choose the preferred credential (the one an ETag belongs to) while it can pay', async () => {
      const { governor: g } = governor();
      g.record(FA, core(100));
      g.record(FB, core(4000));

      const chosen = await g.choose({ preferred: FA, conditional: false });

      expect(chosen).toEqual({ token: A, fingerprint: FA });
    });

    it('should choose the credential with the most budget otherwise', async () => {
      const { governor: g } = governor();
      g.record(FA, core(100));
      g.record(FB, core(4000));

      expect(await g.choose({ conditional: false })).toEqual({ token: B, fingerprint: FB });

      g.record(FA, core(4500));
      expect(await g.choose({ conditional: false })).toEqual({ token: A, fingerprint: FA });
    });

    it('should pass over a preferred credential that cannot pay', async () => {
      const { governor: g } = governor();
      g.record(FA, core(0));

      expect(await g.choose({ preferred: FA, conditional: false })).toEqual({
        token: B,
        fingerprint: FB,
      });
    });

    it('should rank a credential whose window has rolled over by its full limit', async () => {
      // Arrange: A reported little budget, but its reset has passed since.
      const { governor: g } = governor();
      g.record(FA, core(100, START_S + 10));
      g.record(FB, core(3000, START_S + 600));
      clock.advance(11_000);

      // Act
      const chosen = await g.choose({ conditional: false });

      // Assert
      expect(chosen.fingerprint).toBe(FA);
    });
  });

  describe('the reserve for conditional requests', () => {
    it('should keep the reserve for conditional requests only', async () => {
      // Arrange: one token, exactly the reserve (50) left.
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(50));

      // Act
      const conditional = await g.choose({ conditional: true });
      const full = await rateLimitOf(g.choose({ conditional: false }));

      // Assert
      expect(conditional.fingerprint).toBe(FA);
      expect(full.kind).toBe('primary');
      expect(full.retryAfterSeconds).toBe(600);
      expect(g.hasBudget()).toBe(false);
    });

    it('should pay for a full request with one more than the reserve', async () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(51));

      expect((await g.choose({ conditional: false })).fingerprint).toBe(FA);
      expect(g.hasBudget()).toBe(true);
    });

    it('should hold back at most a tenth of the limit (60 unauthenticated requests)', async () => {
      // Arrange: reserve 50, but a tenth of 60 is 6.
      const { governor: g } = governor({ tokens: [] });
      g.record('anonymous', core(7, START_S + 600, 60));

      // Act
      const chosen = await g.choose({ conditional: false });
      g.record('anonymous', core(6, START_S + 600, 60));

      // Assert
      expect(chosen.fingerprint).toBe('anonymous');
      expect(g.hasBudget()).toBe(false);
    });

    it('should let a conditional request spend the last request, but not none', async () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(1));
      expect((await g.choose({ conditional: true })).fingerprint).toBe(FA);

      g.record(FA, core(0));
      await expect(g.choose({ conditional: true })).rejects.toBeInstanceOf(GithubRateLimitedError);
    });
  });

  describe('spent tokens', () => {
    it('should skip a spent token until its reset, then use it again', async () => {
      // Arrange
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(0, START_S + 120));

      // Act
      const before = await rateLimitOf(g.choose({ conditional: true }));
      clock.set((START_S + 120) * 1000);
      const after = await g.choose({ conditional: false });

      // Assert
      expect(before.kind).toBe('primary');
      expect(before.retryAfterSeconds).toBe(120);
      expect(after.fingerprint).toBe(FA);
      expect(g.budgets()[0]).toMatchObject({ remaining: 5000, estimated: true });
    });

    it('should wait for the earliest reset when every token is spent', async () => {
      const { governor: g } = governor();
      g.record(FA, core(0, START_S + 300));
      g.record(FB, core(0, START_S + 90));

      const error = await rateLimitOf(g.choose({ conditional: false }));

      expect(error.message).toBe('Every GitHub token has spent its budget');
      expect(error.retryAfterSeconds).toBe(90);
    });

    it('should advise a minute when no reset is known', () => {
      // Arrange: GitHub has told us nothing yet; 4,950 may be spent above the reserve.
      const { governor: g } = governor({ tokens: [A] });

      // Act
      const refusal = fanOutRefusal(g, 10_000);

      // Assert
      expect(refusal.retryAfterSeconds).toBe(60);
    });

    it('should tell a replica sharing the store that a token is spent', async () => {
      // Arrange
      const b = afterReplicaMark(START_S + 300);

      // Act
      const chosen = await b.choose({ preferred: FA, conditional: true });

      // Assert
      expect(chosen.fingerprint).toBe(FB);
      expect(b.budgets().find((c) => c.fingerprint === FA)).toEqual({
        fingerprint: FA,
        limit: 5000,
        remaining: 0,
        reset: START_S + 300,
        estimated: false,
      });
    });

    it('should count a primary pause when the first answer for a token says it is spent', async () => {
      const { governor: g, metrics } = governor();

      g.record(FA, core(0));

      expect(await counter(metrics, 'github_rate_limit_pauses_total', { kind: 'primary' })).toBe(1);
    });

    it('should log a spent token by fingerprint, with its reset', () => {
      const { governor: g } = governor();

      g.record(FA, core(0, START_S + 120));

      expect(warn).toHaveBeenCalledWith(
        { token: FA, reset: START_S + 120 },
        'GitHub token spent; resting it until reset',
      );
    });

    it('should write a spent token to the shared store until its reset', () => {
      const { governor: g, store } = governor();
      const keepLater = jest.spyOn(store, 'keepLater');

      g.record(FA, core(0, START_S + 120));

      expect(keepLater).toHaveBeenCalledWith(`gov:spent:${FA}`, (START_S + 120) * 1000);
      expect(store.peek(`gov:spent:${FA}`)).toBe((START_S + 120) * 1000);
    });

    it('should not share a spent token whose reset has already come', () => {
      const { governor: g, store } = governor();
      g.record(FA, core(0, START_S));

      expect(store.peek(`gov:spent:${FA}`)).toBeUndefined();
    });

    it.each([
      ['at', 0],
      ['after', 1000],
    ])(
      "should not rest a token on a replica's mark once its reset is here (%s)",
      async (_label, lateMs) => {
        // Arrange: a replica marked A spent until START_S + 300; that time has come.
        const b = afterReplicaMark(START_S + 300);
        clock.set((START_S + 300) * 1000 + lateMs);

        // Act: a free call only syncs (a full request would roll a spent window over again).
        await b.credentialForFreeCall(FA);

        // Assert
        expect(b.budgets().find((c) => c.fingerprint === FA)).toEqual({
          fingerprint: FA,
          limit: 5000,
          remaining: 5000,
          reset: 0,
          estimated: true,
        });
      },
    );

    it('should keep its own reset for a token it already knows is spent', async () => {
      // Arrange: this replica saw A spent until +100; another one says +300.
      const b = afterReplicaMark(START_S + 300, core(0, START_S + 100), [A]);

      // Act
      const refusal = await rateLimitOf(b.choose({ conditional: true }));

      // Assert
      expect(refusal.retryAfterSeconds).toBe(100);
    });

    it("should rest a token whose known window ends when a replica's mark does", async () => {
      const b = afterReplicaMark(START_S + 300, core(4000, START_S + 300));

      const chosen = await b.choose({ preferred: FA, conditional: true });

      expect(chosen.fingerprint).toBe(FB);
      expect(b.budgets()[0]).toMatchObject({ remaining: 0, reset: START_S + 300 });
    });

    it("should ignore a replica's mark for a window older than the one it knows", async () => {
      // Arrange: this replica knows A has budget until +900; the mark is for a window ending at +300.
      const b = afterReplicaMark(START_S + 300, core(4000, START_S + 900));

      // Act
      const chosen = await b.choose({ preferred: FA, conditional: false });

      // Assert
      expect(chosen.fingerprint).toBe(FA);
      expect(b.budgets()[0]).toMatchObject({ remaining: 4000, reset: START_S + 900 });
    });

    it('should count a primary pause once, when a token with budget runs dry', async () => {
      const { governor: g, metrics } = governor();

      g.record(FA, core(0));
      g.record(FA, core(0));

      expect(await counter(metrics, 'github_rate_limit_pauses_total', { kind: 'primary' })).toBe(1);
    });
  });

  describe('recording budgets', () => {
    it("should take GitHub's word for a credential's budget", async () => {
      const { governor: g, metrics } = governor();

      g.record(FA, core(4321, START_S + 700, 5000));

      expect(g.budgets()[0]).toEqual({
        fingerprint: FA,
        limit: 5000,
        remaining: 4321,
        reset: START_S + 700,
        estimated: false,
      });
      expect(g.unknownBudgets()).toEqual([{ token: B, fingerprint: FB }]);
      expect(await counter(metrics, 'github_rate_limit_remaining', { token: FA })).toBe(4321);
    });

    it('should warn when less than a tenth of the budget is left', () => {
      const { governor: g } = governor();

      g.record(FA, core(499));

      expect(warn).toHaveBeenCalledWith(
        { token: FA, remaining: 499, limit: 5000 },
        'GitHub budget running low',
      );
    });

    it('should not warn with a tenth of the budget left', () => {
      const { governor: g } = governor();

      g.record(FA, core(500));

      expect(warn).not.toHaveBeenCalled();
    });

    it.each([
      ['another resource', FA, { ...core(0), resource: 'search' }],
      ['an unknown credential', 'tok_unknown', core(0)],
      ['no headers', FA, undefined],
    ])('should ignore %s', (_case, fingerprint, snapshot) => {
      const { governor: g } = governor();

      g.record(fingerprint, snapshot);

      expect(g.budgets()[0]).toMatchObject({ remaining: 5000, estimated: true });
    });
  });

  describe('secondary limits', () => {
    it('should stop all traffic for the pause, then let it through again', async () => {
      // Arrange
      const { governor: g, metrics } = governor();

      // Act
      g.pause(30);
      const during = await rateLimitOf(g.choose({ conditional: true }));
      const budgetDuring = g.hasBudget();
      clock.advance(30_000);

      // Assert
      expect(during.kind).toBe('secondary');
      expect(during.message).toBe('GitHub asked us to pause (secondary rate limit)');
      expect(during.retryAfterSeconds).toBe(30);
      expect(budgetDuring).toBe(false);
      expect(g.hasBudget()).toBe(true);
      await expect(g.choose({ conditional: false })).resolves.toMatchObject({
        fingerprint: expect.any(String),
      });
      expect(await counter(metrics, 'github_rate_limit_pauses_total', { kind: 'secondary' })).toBe(
        1,
      );
    });

    it('should log the pause and write it to the shared store until it ends', () => {
      const { governor: g, store } = governor();
      g.pause(30);

      expect(warn).toHaveBeenCalledWith(
        { seconds: 30 },
        'GitHub secondary rate limit: pausing all upstream requests',
      );
      expect(store.peek('gov:pause')).toBe(START + 30_000);
    });

    it('should count and log the same pause told twice once', async () => {
      const { governor: g, metrics } = governor();

      g.pause(30);
      g.pause(30);

      expect(await counter(metrics, 'github_rate_limit_pauses_total', { kind: 'secondary' })).toBe(
        1,
      );
      expect(warn).toHaveBeenCalledTimes(1);
    });

    it('should not let a shorter pause told to a replica cut its own short', async () => {
      // Arrange: this replica pauses for a minute; another one is told 10 s after it.
      const store = memoryStore();
      const b = governor({}, store).governor;
      const a = governor({}, store).governor;
      b.pause(60);
      a.pause(10);

      // Act
      const refusal = await rateLimitOf(b.choose({ conditional: false }));

      // Assert
      expect(refusal.retryAfterSeconds).toBe(60);
    });

    it('should round the time left of a pause up to whole seconds', async () => {
      const { governor: g } = governor();
      g.pause(30);
      clock.advance(29_500);

      expect((await rateLimitOf(g.choose({ conditional: false }))).retryAfterSeconds).toBe(1);
    });

    it('should never shorten a pause', async () => {
      const { governor: g, metrics } = governor();
      g.pause(60);

      g.pause(10);

      expect((await rateLimitOf(g.choose({ conditional: false }))).retryAfterSeconds).toBe(60);
      expect(await counter(metrics, 'github_rate_limit_pauses_total', { kind: 'secondary' })).toBe(
        1,
      );
    });

    it('should pause a replica sharing the store', async () => {
      const store = memoryStore();
      const a = governor({}, store).governor;
      const b = governor({}, store).governor;

      a.pause(45);
      await new Promise((resolve) => setImmediate(resolve));

      expect((await rateLimitOf(b.choose({ conditional: false }))).retryAfterSeconds).toBe(45);
    });

    it('should refuse a free call during a pause only', async () => {
      const { governor: g } = governor();

      const before = await g.credentialForFreeCall(FA);
      g.pause(30);
      const during = await g.credentialForFreeCall(FA);

      expect(before).toEqual({ token: A, fingerprint: FA });
      expect(during).toBeUndefined();
      expect(await governor().governor.credentialForFreeCall('tok_unknown')).toBeUndefined();
    });

    it('should allow a free call the moment a pause ends', async () => {
      const { governor: g } = governor();
      g.pause(30);
      clock.advance(30_000);

      expect(await g.credentialForFreeCall(FA)).toEqual({ token: A, fingerprint: FA });
    });

    it('should allow a free call for a spent token', async () => {
      const { governor: g } = governor();
      g.record(FA, core(0));

      expect(await g.credentialForFreeCall(FA)).toEqual({ token: A, fingerprint: FA });
    });
  });

  describe('revoked tokens', () => {
    it('should drop a token GitHub no longer accepts', async () => {
      const { governor: g } = governor();
      g.record(FB, core(10));

      g.drop(FA);

      expect(g.budgets().map((b) => b.fingerprint)).toEqual([FB]);
      expect(error).toHaveBeenCalledWith(
        { token: FA, left: 1 },
        'GitHub rejected a token (401); it is no longer used',
      );
      expect(await g.choose({ preferred: FA, conditional: true })).toEqual({
        token: B,
        fingerprint: FB,
      });
    });

    it('should go unauthenticated when every token was dropped', async () => {
      const { governor: g } = governor({ tokens: [A] });

      g.drop(FA);

      expect(await g.choose({ conditional: false })).toEqual({
        token: undefined,
        fingerprint: 'anonymous',
      });
      expect(g.budgets()).toHaveLength(1);
      expect(error).toHaveBeenCalledWith(
        { token: FA, left: 0 },
        'GitHub rejected a token (401); it is no longer used',
      );
      expect(error).toHaveBeenLastCalledWith(
        'Every GitHub token was rejected: continuing unauthenticated (60 requests/hour)',
      );
    });

    it('should never drop the unauthenticated credential, nor an unknown one', () => {
      // Arrange: the unauthenticated budget GitHub reported must survive, not start over.
      const anonymous = governor({ tokens: [] }).governor;
      const tokens = governor().governor;
      anonymous.record('anonymous', core(7, START_S + 600, 60));

      // Act
      anonymous.drop('anonymous');
      tokens.drop('tok_unknown');

      // Assert
      expect(anonymous.budgets()).toEqual([
        {
          fingerprint: 'anonymous',
          limit: 60,
          remaining: 7,
          reset: START_S + 600,
          estimated: false,
        },
      ]);
      expect(tokens.budgets()).toHaveLength(2);
      expect(error).not.toHaveBeenCalled();
    });
  });

  describe('spare budget', () => {
    it('should sum what every credential has above its reserve, a spent one counting nothing', () => {
      const { governor: g } = governor();
      g.record(FA, core(1050));
      g.record(FB, core(10));

      expect(g.spareBudget()).toBe(1000);
    });

    it('should hold back at most a tenth of a small limit as reserve', () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(60, START_S + 600, 60));

      expect(g.spareBudget()).toBe(54);
    });

    it('should count the whole limit of a credential whose window has reset', () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(0, START_S + 60));
      clock.advance(60_000);

      expect(g.spareBudget()).toBe(4950);
    });

    it('should count what is left of an estimated budget, and the estimate of one never seen', () => {
      const { governor: g } = governor({ tokens: [A] });

      expect(g.spareBudget()).toBe(4950);
    });
  });

  describe('fan-out admission', () => {
    it('should admit a fan-out that fits above every reserve', () => {
      // Arrange: (100 - 50) + (80 - 50) = 80 spendable.
      const { governor: g } = governor();
      g.record(FA, core(100));
      g.record(FB, core(80));

      // Act + Assert
      expect(() => g.admitFanOut(80)).not.toThrow();
    });

    it('should refuse a fan-out that would spend the reserve, and count the refusal', async () => {
      const { governor: g, metrics } = governor();
      g.record(FA, core(100, START_S + 400));
      g.record(FB, core(20, START_S + 200));

      const refusal = fanOutRefusal(g, 51);

      expect(refusal.kind).toBe('primary');
      expect(refusal.message).toBe(
        'Reading 51 more pages would spend the budget kept for other requests',
      );
      expect(refusal.retryAfterSeconds).toBe(200);
      expect(await counter(metrics, 'github_fan_out_refused_total')).toBe(1);
      expect(warn).toHaveBeenCalledWith(
        { pages: 51, spendable: 50 },
        'Refused a fan-out that would spend the reserve kept for revalidations',
      );
    });

    it('should admit nothing to do, even without budget', () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(0));

      expect(() => g.admitFanOut(0)).not.toThrow();
      expect(() => g.admitFanOut(-1)).not.toThrow();
      expect(() => g.admitFanOut(1)).toThrow(GithubRateLimitedError);
    });

    it('should admit nothing to do without touching a budget', () => {
      // Arrange: A's window has rolled over, but nothing has looked at it yet.
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(0, START_S + 60));
      clock.advance(60_000);

      // Act
      g.admitFanOut(0);

      // Assert: still as GitHub last said it.
      expect(g.budgets()).toEqual([
        { fingerprint: FA, limit: 5000, remaining: 0, reset: START_S + 60, estimated: false },
      ]);
    });

    it('should not advise waiting for a reset that has just come', () => {
      // Arrange: A's reset is now (its budget is back); B's is nine minutes away.
      const { governor: g } = governor();
      g.record(FA, core(100, START_S + 60));
      g.record(FB, core(100, START_S + 600));
      clock.advance(60_000);

      // Act: more than both budgets, 4950 + 50 above the reserves.
      const refusal = fanOutRefusal(g, 10_000);

      // Assert
      expect(refusal.retryAfterSeconds).toBe(540);
    });

    it('should count a window that has rolled over as refilled', () => {
      const { governor: g } = governor({ tokens: [A] });
      g.record(FA, core(0, START_S + 60));
      clock.advance(60_000);

      expect(() => g.admitFanOut(4950)).not.toThrow();
      expect(() => g.admitFanOut(4951)).toThrow(GithubRateLimitedError);
    });
  });
});
