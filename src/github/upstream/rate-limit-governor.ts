import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { MetricsService } from '../../metrics/metrics.service';
import { githubConfig } from '../../config/github.config';
import { GithubRateLimitedError } from './github-errors';
import { RateLimitSnapshot, secondsUntil } from './rate-limit-headers';
import { tokenFingerprint } from './token-fingerprint';
import { ClientUpstreamBudget } from '../../throttling/upstream-budget/client-upstream-budget';

/** GitHub's primary limits when we have not yet seen a response for a credential. */
const UNAUTHENTICATED_LIMIT = 60;
const TOKEN_LIMIT = 5000;

export interface TokenBudget {
  fingerprint: string;
  limit: number;
  remaining: number;
  /** UTC epoch seconds; 0 while unknown. */
  reset: number;
  /** True until GitHub has told us this credential's real budget. */
  estimated: boolean;
}

interface Credential extends TokenBudget {
  token: string | undefined;
}

export interface ChosenCredential {
  token: string | undefined;
  fingerprint: string;
}

/**
 * The one place that decides whether, and with which token, we may call GitHub. It tracks each
 * token's primary budget from `x-ratelimit-*`, keeps a reserve for conditional requests (a 304
 * costs nothing when authorized), stops using a spent token until its reset, pauses all traffic
 * on a secondary limit, and drops a token GitHub no longer accepts. With Redis, pauses and spent
 * tokens are shared, so no replica keeps hammering GitHub after another one was told to stop.
 */
@Injectable()
export class RateLimitGovernor {
  private readonly logger = new Logger(RateLimitGovernor.name);
  private readonly credentials: Credential[];
  private pausedUntilMs = 0;

  constructor(
    @Inject(githubConfig.KEY) private readonly config: ConfigType<typeof githubConfig>,
    private readonly store: CacheStore,
    private readonly metrics: MetricsService,
    private readonly clientBudget: ClientUpstreamBudget,
  ) {
    const tokens: (string | undefined)[] =
      config.tokens.length > 0 ? [...new Set(config.tokens)] : [undefined];
    this.credentials = tokens.map(newCredential);
  }

  /** Whether any credential could pay for a full (non-conditional) request now. */
  hasBudget(): boolean {
    const nowMs = Date.now();
    return (
      this.pausedUntilMs <= nowMs && this.credentials.some((c) => this.canPay(c, false, nowMs))
    );
  }

  /**
   * Picks the credential for one request: the preferred one (the token an ETag belongs to) while it
   * can pay, else the one with the most budget. Throws, without any upstream call, when none can.
   */
  async choose(options: { preferred?: string; conditional: boolean }): Promise<ChosenCredential> {
    await this.syncSharedState();
    const nowMs = Date.now();
    if (this.pausedUntilMs > nowMs) {
      throw new GithubRateLimitedError(
        'GitHub asked us to pause (secondary rate limit)',
        Math.ceil((this.pausedUntilMs - nowMs) / 1000),
        'secondary',
      );
    }
    const usable = this.credentials.filter((c) => this.canPay(c, options.conditional, nowMs));
    const preferred = usable.find((c) => c.fingerprint === options.preferred);
    const chosen =
      preferred ?? usable.sort((a, b) => this.available(b, nowMs) - this.available(a, nowMs))[0];
    if (!chosen) {
      throw new GithubRateLimitedError(
        'Every GitHub token has spent its budget',
        this.secondsUntilFirstReset(nowMs),
        'primary',
      );
    }
    return { token: chosen.token, fingerprint: chosen.fingerprint };
  }

  /**
   * Agrees to a fan-out of `pages` new GitHub requests (a long repository list) only if they fit
   * in the budget above every token's reserve, so one cold request for a huge account cannot
   * spend what other visitors' revalidations need. Throws the same 503 as a spent budget. Then
   * charges all `requests` of the fan-out (revalidations included, which cost the shared budget
   * nothing on a 304 but are requests all the same) to the client that asked, up front, or throws
   * its 429 (ClientUpstreamBudget.reserve).
   */
  admitFanOut(pages: number, requests = pages): void {
    this.admitPages(pages);
    this.clientBudget.reserve(requests);
  }

  private admitPages(pages: number): void {
    if (pages <= 0) {
      return;
    }
    const nowMs = Date.now();
    const spendable = this.credentials.reduce((total, credential) => {
      this.canPay(credential, false, nowMs); // rolls a reset-over window forward
      return total + Math.max(0, credential.remaining - this.reserveFor(credential));
    }, 0);
    if (spendable < pages) {
      this.metrics.recordFanOutRefused();
      this.logger.warn(
        { pages, spendable },
        'Refused a fan-out that would spend the reserve kept for revalidations',
      );
      throw new GithubRateLimitedError(
        `Reading ${pages} more pages would spend the budget kept for other requests`,
        this.secondsUntilFirstReset(nowMs),
        'primary',
      );
    }
  }

  /** Records what GitHub's headers said about a credential's budget. */
  record(fingerprint: string, snapshot: RateLimitSnapshot | undefined): void {
    const credential = this.find(fingerprint);
    if (!credential || !snapshot || snapshot.resource !== 'core') {
      return;
    }
    const hadBudget = credential.remaining > 0;
    credential.limit = snapshot.limit;
    credential.remaining = snapshot.remaining;
    credential.reset = snapshot.reset;
    credential.estimated = false;
    this.metrics.recordBudget(fingerprint, snapshot.remaining);
    if (snapshot.remaining === 0) {
      if (hadBudget) {
        this.metrics.recordPause('primary');
      }
      this.logger.warn(
        { token: fingerprint, reset: snapshot.reset },
        'GitHub token spent; resting it until reset',
      );
      void this.share(`gov:spent:${fingerprint}`, snapshot.reset * 1000);
    } else if (snapshot.remaining < snapshot.limit * 0.1) {
      this.logger.warn(
        { token: fingerprint, remaining: snapshot.remaining, limit: snapshot.limit },
        'GitHub budget running low',
      );
    }
  }

  /** A secondary limit: all upstream traffic stops for `seconds`, not just one request. */
  pause(seconds: number): void {
    const until = Date.now() + seconds * 1000;
    if (until > this.pausedUntilMs) {
      this.pausedUntilMs = until;
      this.metrics.recordPause('secondary');
      this.logger.warn({ seconds }, 'GitHub secondary rate limit: pausing all upstream requests');
      void this.share('gov:pause', until);
    }
  }

  /** GitHub refused a token (401): stop using it, and say so by fingerprint only. */
  drop(fingerprint: string): void {
    const index = this.credentials.findIndex(
      (c) => c.fingerprint === fingerprint && c.token !== undefined,
    );
    if (index < 0) {
      return;
    }
    this.credentials.splice(index, 1);
    this.logger.error(
      { token: fingerprint, left: this.credentials.length },
      'GitHub rejected a token (401); it is no longer used',
    );
    if (this.credentials.length === 0) {
      // Public data is still readable without a token: 60 requests an hour beat none at all.
      this.credentials.push(newCredential(undefined));
      this.logger.error(
        'Every GitHub token was rejected: continuing unauthenticated (60 requests/hour)',
      );
    }
  }

  /**
   * A credential for a free call (GitHub's `/rate_limit` costs no budget): only a secondary-limit
   * pause stops it.
   */
  async credentialForFreeCall(fingerprint: string): Promise<ChosenCredential | undefined> {
    await this.syncSharedState();
    const credential = this.find(fingerprint);
    return credential && this.pausedUntilMs <= Date.now()
      ? { token: credential.token, fingerprint }
      : undefined;
  }

  /** Budgets as last seen, for `/github/rate-limit`. Spends nothing. */
  budgets(): TokenBudget[] {
    return this.credentials.map(({ fingerprint, limit, remaining, reset, estimated }) => ({
      fingerprint,
      limit,
      remaining,
      reset,
      estimated,
    }));
  }

  /** Credentials for which GitHub has not yet told us a budget. */
  unknownBudgets(): ChosenCredential[] {
    return this.credentials
      .filter((c) => c.estimated)
      .map(({ token, fingerprint }) => ({ token, fingerprint }));
  }

  private canPay(credential: Credential, conditional: boolean, nowMs: number): boolean {
    if (credential.reset * 1000 <= nowMs && !credential.estimated) {
      // The window has rolled over: GitHub refilled the budget.
      credential.remaining = credential.limit;
      credential.estimated = true;
    }
    // A conditional request may dip into the reserve: its 304 costs nothing.
    const floor = conditional ? 0 : this.reserveFor(credential);
    return credential.remaining > floor;
  }

  private available(credential: Credential, nowMs: number): number {
    return credential.reset * 1000 <= nowMs && !credential.estimated
      ? credential.limit
      : credential.remaining;
  }

  private reserveFor(credential: Credential): number {
    // Never hold back more than a tenth: 60 unauthenticated requests would otherwise vanish.
    return Math.min(this.config.rateLimitReserve, Math.floor(credential.limit / 10));
  }

  private secondsUntilFirstReset(nowMs: number): number {
    const resets = this.credentials.map((c) => c.reset).filter((r) => r * 1000 > nowMs);
    return resets.length > 0 ? secondsUntil(Math.min(...resets), nowMs) : 60;
  }

  private find(fingerprint: string): Credential | undefined {
    return this.credentials.find((c) => c.fingerprint === fingerprint);
  }

  /** Pulls pauses and spent tokens that other replicas recorded. */
  private async syncSharedState(): Promise<void> {
    // A copy: a token may be dropped while we wait, and indexes must still line up.
    const credentials = [...this.credentials];
    const [pause, ...spent] = await Promise.all([
      this.store.get<number>('gov:pause'),
      ...credentials.map((c) => this.store.get<number>(`gov:spent:${c.fingerprint}`)),
    ]);
    if (pause && pause > this.pausedUntilMs) {
      this.pausedUntilMs = pause;
    }
    spent.forEach((resetMs, i) => {
      const credential = credentials[i];
      if (
        resetMs &&
        resetMs > Date.now() &&
        credential.remaining > 0 &&
        credential.reset * 1000 <= resetMs
      ) {
        credential.remaining = 0;
        credential.reset = Math.ceil(resetMs / 1000);
        credential.estimated = false;
      }
    });
  }

  /** Shared times only move later: a shorter pause learnt elsewhere never cuts a longer one short. */
  private async share(key: string, untilMs: number): Promise<void> {
    await this.store.keepLater(key, untilMs).catch(() => undefined);
  }
}

function newCredential(token: string | undefined): Credential {
  const limit = token ? TOKEN_LIMIT : UNAUTHENTICATED_LIMIT;
  return {
    token,
    fingerprint: tokenFingerprint(token),
    limit,
    remaining: limit,
    reset: 0,
    estimated: true,
  };
}
