import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets for our own answers (mostly cache hits) and GitHub's (tens to thousands of ms). */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** prom-client's default metrics that are gauges with a counter's `_total` suffix. */
export const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/**
 * Every Prometheus metric the service exports, in one registry per application (not prom-client's
 * global one), so that several app instances in one process — the tests — never collide. Labels
 * are route templates and fingerprints only: bounded sets, never raw paths or logins.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly compressions = new Counter({
    name: 'http_compressions_total',
    help: 'Cached answers compressed, by coding: once per representation and coding, never per hit',
    labelNames: ['encoding'] as const,
    registers: [this.registry],
  });

  private readonly upstreamRequests = new Counter({
    name: 'github_requests_total',
    help: 'Requests sent to GitHub, by templated path and status (304 = revalidated for free)',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly upstreamDuration = new Histogram({
    name: 'github_request_duration_seconds',
    help: 'Time GitHub took to answer, by templated path',
    labelNames: ['route'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly deprecatedAnswers = new Counter({
    name: 'github_deprecated_answers_total',
    help: 'GitHub answers that carried a Deprecation or Sunset header, by templated path',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  private readonly cacheResults = new Counter({
    name: 'cache_results_total',
    help: 'Cached results served, by outcome (hit, miss, stale, revalidated)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly coalesced = new Counter({
    name: 'coalesced_waiters_total',
    help: 'Callers that shared an upstream fetch another caller had started',
    registers: [this.registry],
  });

  private readonly budget = new Gauge({
    name: 'github_rate_limit_remaining',
    help: 'Primary rate-limit budget left per token, as GitHub last reported it',
    labelNames: ['token'] as const,
    registers: [this.registry],
  });

  private readonly pauses = new Counter({
    name: 'github_rate_limit_pauses_total',
    help: 'Times upstream traffic stopped because of a rate limit (secondary: all traffic paused; primary: a token rested)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private cacheSizes: () => { cache: string; bytes: number; maxBytes: number }[] = () => [];
  private cachedRepoCount: () => number = () => 0;

  private readonly cacheBytes = new Gauge({
    name: 'cache_bytes',
    help: 'Estimated heap bytes each in-process cache holds (bounded by its share of CACHE_MAX_BYTES)',
    labelNames: ['cache'] as const,
    registers: [this.registry],
    collect: () => this.collectCacheSizes(),
  });

  private readonly cacheMaxBytes = new Gauge({
    name: 'cache_max_bytes',
    help: 'Bytes each in-process cache may hold: its share of CACHE_MAX_BYTES',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  private readonly cachedRepos: Gauge = new Gauge({
    name: 'cached_repos',
    help: 'Repositories held in the in-process result cache, over all accounts',
    registers: [this.registry],
    collect: (): void => this.cachedRepos.set(this.cachedRepoCount()),
  });

  private readonly redisSkipped = new Counter({
    name: 'cache_redis_skipped_total',
    help: 'Values kept in memory only because they exceeded CACHE_REDIS_MAX_VALUE_BYTES',
    registers: [this.registry],
  });

  private readonly fanOutRefusals = new Counter({
    name: 'github_fan_out_refused_total',
    help: "Repository-list fetches refused because they would have spent the governor's reserve",
    registers: [this.registry],
  });

  private readonly clientUpstreamRequests = new Counter({
    name: 'client_upstream_requests_total',
    help: "GitHub requests charged to clients' upstream budgets (CLIENT_UPSTREAM_LIMIT), and refused",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly historyDatabaseUp = new Gauge({
    name: 'history_database_up',
    help: 'Whether the history database is migrated and its last query succeeded (1) or not (0)',
    registers: [this.registry],
  });

  private readonly historyConnectFailures = new Counter({
    name: 'history_database_connect_failures_total',
    help: 'Failed attempts to open or migrate the history database (retried in the background)',
    registers: [this.registry],
  });

  private readonly snapshotWrites = new Counter({
    name: 'history_snapshot_writes_total',
    help: 'Account snapshot writes: written, failed (kept for a retry) or dropped (too many pending)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly snapshotWriteDuration = new Histogram({
    name: 'history_snapshot_write_seconds',
    help: "Time to upsert one account's snapshot and its repositories' snapshots",
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  private readonly snapshotsPending = new Gauge({
    name: 'history_snapshots_pending',
    help: 'Account snapshots waiting for a retry after a failed write',
    registers: [this.registry],
  });

  private readonly refresherAccounts = new Counter({
    name: 'history_refresher_accounts_total',
    help: 'Watched accounts the refresher handled: refreshed, failed, or skipped (no budget above the reserve)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly refresherRounds = new Counter({
    name: 'history_refresher_rounds_total',
    help: 'Refresher rounds: ran (this replica held the lease), skipped (another replica did), or failed',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly snapshotsPruned = new Counter({
    name: 'history_snapshots_pruned_total',
    help: 'Snapshot rows deleted for being older than HISTORY_RETENTION_DAYS',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges that prom-client names like counters, which `promtool check metrics` rejects; the
    // per-type gauges without the suffix stay (nodejs_active_handles{type}...: sum() is the total).
    for (const name of MISNAMED_DEFAULT_GAUGES) {
      this.registry.removeSingleMetric(name);
    }
  }

  /** Read at scrape time only: the caches pay nothing per request for being measured. */
  observeCacheBytes(sizes: () => { cache: string; bytes: number; maxBytes: number }[]): void {
    this.cacheSizes = sizes;
  }

  observeCachedRepos(count: () => number): void {
    this.cachedRepoCount = count;
  }

  recordRedisSkipped(): void {
    this.redisSkipped.inc();
  }

  recordHistoryDatabaseUp(up: boolean): void {
    this.historyDatabaseUp.set(up ? 1 : 0);
  }

  recordHistoryDatabaseConnectFailure(): void {
    this.historyConnectFailures.inc();
  }

  recordSnapshotWrite(result: 'written' | 'failed' | 'dropped', seconds?: number): void {
    this.snapshotWrites.inc({ result });
    if (seconds !== undefined) {
      this.snapshotWriteDuration.observe(seconds);
    }
  }

  recordSnapshotsPending(count: number): void {
    this.snapshotsPending.set(count);
  }

  recordRefresherAccount(outcome: 'refreshed' | 'failed' | 'skipped_budget'): void {
    this.refresherAccounts.inc({ outcome });
  }

  recordRefresherRound(outcome: 'ran' | 'skipped' | 'failed'): void {
    this.refresherRounds.inc({ outcome });
  }

  recordSnapshotsPruned(rows: number): void {
    this.snapshotsPruned.inc(rows);
  }

  recordFanOutRefused(): void {
    this.fanOutRefusals.inc();
  }

  recordClientUpstream(outcome: 'charged' | 'refused', requests = 1): void {
    this.clientUpstreamRequests.inc({ outcome }, requests);
  }

  private collectCacheSizes(): void {
    for (const { cache, bytes, maxBytes } of this.cacheSizes()) {
      this.cacheBytes.set({ cache }, bytes);
      this.cacheMaxBytes.set({ cache }, maxBytes);
    }
  }

  recordHttp(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, seconds);
  }

  recordCompression(encoding: 'br' | 'gzip'): void {
    this.compressions.inc({ encoding });
  }

  recordUpstream(route: string, status: number | 'error', seconds: number): void {
    this.upstreamRequests.inc({ route, status: String(status) });
    this.upstreamDuration.observe({ route }, seconds);
  }

  recordDeprecatedAnswer(route: string): void {
    this.deprecatedAnswers.inc({ route });
  }

  recordCacheResult(result: 'hit' | 'miss' | 'stale' | 'revalidated'): void {
    this.cacheResults.inc({ result });
  }

  recordCoalesced(): void {
    this.coalesced.inc();
  }

  recordBudget(token: string, remaining: number): void {
    this.budget.set({ token }, remaining);
  }

  recordPause(kind: 'primary' | 'secondary'): void {
    this.pauses.inc({ kind });
  }
}
