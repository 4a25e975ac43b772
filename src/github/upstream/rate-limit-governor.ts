import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { MetricsService } from '../../metrics/metrics.service';
import { githubConfig } from '../../config/github.config';
import { GithubAppRefusedError, GithubInstallationGoneError } from '../app-auth/github-app-errors';
import { GithubRateLimitedError } from '../api/github-errors';
import { InstallationTokens } from '../app-auth/installation-tokens';
import { RateLimitSnapshot, secondsUntil } from './rate-limit-headers';
import { tokenFingerprint } from './token-fingerprint';
import { ClientUpstreamBudget } from '../../throttling/upstream-budget/client-upstream-budget';

/** GitHub's primary limits when we have not yet seen a response for a credential. */
const UNAUTHENTICATED_LIMIT = 60;
const TOKEN_LIMIT = 5000;
/**
 * How often each replica lists the App's installations again. The webhook of a new installation
 * reaches one replica; this brings it to the others (and covers a missed delivery).
 */
export const INSTALLATIONS_RELIST_MS = 10 * 60_000;

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
  /** A personal token; undefined for anonymous access and for an App installation. */
  token: string | undefined;
  /** A GitHub App installation, whose token InstallationTokens holds and renews. */
  installationId?: number;
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
 *
 * With a GitHub App, each of its installations is a credential with its own budget (up to 12,500
 * an hour, as GitHub's headers report it), chosen before any personal token; its token is bought
 * and renewed by {@link InstallationTokens} when the credential is chosen. Without a personal
 * token, an App never falls back to anonymous access. The installations are listed again on an
 * installation webhook ({@link refreshInstallations}) and every {@link INSTALLATIONS_RELIST_MS}.
 */
@Injectable()
export class RateLimitGovernor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitGovernor.name);
  private readonly credentials: Credential[];
  private pausedUntilMs = 0;
  /** The App's installations, added to the credentials once GitHub has listed them. */
  private installationsLoading: Promise<void> | undefined;
  private relistTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(githubConfig.KEY) private readonly config: ConfigType<typeof githubConfig>,
    private readonly store: CacheStore,
    private readonly metrics: MetricsService,
    private readonly clientBudget: ClientUpstreamBudget,
    @Optional() private readonly appTokens?: InstallationTokens,
  ) {
    const withApp = appTokens?.enabled === true;
    const tokens: (string | undefined)[] =
      config.tokens.length > 0 ? [...new Set(config.tokens)] : withApp ? [] : [undefined];
    this.credentials = tokens.map(newCredential);
  }

  /** Lists the App's installations at start-up, so a refused key is reported before any visitor. */
  onApplicationBootstrap(): void {
    this.installations().catch(() => undefined);
    if (this.appTokens?.listsInstallations) {
      // A failed listing is logged by InstallationTokens; the credentials stay as they were.
      this.relistTimer = setInterval(
        () => void this.refreshInstallations().catch(() => undefined),
        INSTALLATIONS_RELIST_MS,
      );
      this.relistTimer.unref();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.relistTimer);
  }

  /**
   * Lists the App's installations again and brings the credentials in line: a new one is added
   * (first, like the others), one no longer listed (deleted, suspended) is removed. Nothing to do
   * for GITHUB_APP_INSTALLATION_ID. Throws when GitHub cannot list them; the credentials are then
   * left as they were.
   */
  async refreshInstallations(): Promise<void> {
    if (!this.appTokens?.listsInstallations) {
      return;
    }
    this.appTokens.relist();
    this.installationsLoading = undefined;
    await this.loadInstallations();
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
    await this.installations();
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
    // The App's installations first, then the most budget.
    const chosen =
      preferred ??
      usable.sort(
        (a, b) =>
          Number(b.installationId !== undefined) - Number(a.installationId !== undefined) ||
          this.available(b, nowMs) - this.available(a, nowMs),
      )[0];
    if (!chosen) {
      throw new GithubRateLimitedError(
        'Every GitHub token has spent its budget',
        this.secondsUntilFirstReset(nowMs),
        'primary',
      );
    }
    if (chosen.installationId === undefined) {
      return { token: chosen.token, fingerprint: chosen.fingerprint };
    }
    try {
      return { token: await this.installationToken(chosen), fingerprint: chosen.fingerprint };
    } catch (error) {
      if (this.lostInstallations(error)) {
        return this.choose(options);
      }
      throw error instanceof GithubInstallationGoneError ? noCredentialLeft() : error;
    }
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

  /**
   * What every credential can still spend above its reserve: what fan-outs may use, and what the
   * history refresher takes its share of. A credential whose window has reset counts whole.
   */
  spareBudget(nowMs = Date.now()): number {
    return this.credentials.reduce((total, credential) => {
      this.canPay(credential, false, nowMs); // rolls a reset-over window forward
      return total + Math.max(0, credential.remaining - this.reserveFor(credential));
    }, 0);
  }

  private admitPages(pages: number): void {
    if (pages <= 0) {
      return;
    }
    const nowMs = Date.now();
    const spendable = this.spareBudget(nowMs);
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

  /**
   * GitHub refused a token (401): stop using it, and say so by fingerprint only. An installation's
   * token was revoked early: the installation stays, with a new token on its next request.
   */
  drop(fingerprint: string): void {
    const installation = this.find(fingerprint);
    if (installation?.installationId !== undefined) {
      this.logger.warn(
        { token: fingerprint },
        'GitHub rejected an installation token (401); buying a new one',
      );
      void this.appTokens?.forget(installation.installationId).catch(() => undefined);
      return;
    }
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
    if (!credential || this.pausedUntilMs > Date.now()) {
      return undefined;
    }
    if (credential.installationId === undefined) {
      return { token: credential.token, fingerprint };
    }
    try {
      return { token: await this.installationToken(credential), fingerprint };
    } catch (error) {
      this.lostInstallations(error);
      return undefined;
    }
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

  /**
   * Adds the App's installations as credentials, once GitHub has listed them (at once for
   * GITHUB_APP_INSTALLATION_ID). Until then, and while listing fails, personal tokens serve if
   * there are any; with none, the failure is the answer (a 503 for a refused App).
   */
  private async installations(): Promise<void> {
    if (!this.appTokens?.enabled) {
      return;
    }
    try {
      await this.loadInstallations();
    } catch (error) {
      if (this.credentials.length === 0) {
        throw error;
      }
    }
    if (this.credentials.length === 0) {
      throw noCredentialLeft();
    }
  }

  /** The listing in progress or done, started if there is none. */
  private loadInstallations(): Promise<void> {
    const tokens = this.appTokens;
    if (!tokens) {
      return Promise.resolve();
    }
    const loading = (this.installationsLoading ??= tokens.installationIds().then(
      (ids) => {
        // A refresh started meanwhile lists more recently: an older answer must not undo it.
        if (this.installationsLoading === loading) {
          this.alignInstallations(ids);
        }
      },
      (error: unknown) => {
        if (this.installationsLoading === loading) {
          this.installationsLoading = undefined;
        }
        throw error;
      },
    ));
    return loading;
  }

  /** Adds the listed installations not yet known and removes those no longer listed. */
  private alignInstallations(ids: number[]): void {
    const listed = new Set(ids);
    const removed: number[] = [];
    for (let i = this.credentials.length - 1; i >= 0; i--) {
      const { installationId } = this.credentials[i];
      if (installationId !== undefined && !listed.has(installationId)) {
        this.credentials.splice(i, 1);
        removed.push(installationId);
      }
    }
    const known = new Set(this.credentials.map((c) => c.installationId));
    const added = ids.filter((id) => !known.has(id));
    // Installations go first in the list too: budgets() shows them first.
    this.credentials.unshift(...added.map(newInstallation));
    // What was added is in InstallationTokens' line of what was listed.
    if (removed.length > 0) {
      this.logger.warn(
        { installations: removed },
        'GitHub App installations no longer listed (deleted or suspended); no longer used',
      );
    }
  }

  private async installationToken(credential: Credential): Promise<string> {
    if (!this.appTokens || credential.installationId === undefined) {
      throw new Error('Not an installation');
    }
    return this.appTokens.tokenFor(credential.installationId);
  }

  /**
   * Removes the installations an App failure made unusable: the one that is gone, or all of them
   * when GitHub refused the App. True when some were removed and another credential may serve.
   */
  private lostInstallations(error: unknown): boolean {
    const gone = (c: Credential): boolean =>
      error instanceof GithubAppRefusedError
        ? c.installationId !== undefined
        : error instanceof GithubInstallationGoneError && c.installationId === error.installationId;
    const before = this.credentials.length;
    for (let i = this.credentials.length - 1; i >= 0; i--) {
      if (gone(this.credentials[i])) {
        this.credentials.splice(i, 1);
      }
    }
    if (error instanceof GithubInstallationGoneError && before > this.credentials.length) {
      this.logger.warn(
        { installationId: error.installationId },
        'GitHub App installation gone or suspended; no longer used',
      );
    }
    return before > this.credentials.length && this.credentials.length > 0;
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

/** An App whose installations are gone or refused, and no personal token: only the cache serves. */
function noCredentialLeft(): GithubAppRefusedError {
  return new GithubAppRefusedError(
    'The GitHub App has no usable installation and no GITHUB_TOKEN is set; only cached data can be served',
  );
}

function newInstallation(installationId: number): Credential {
  return {
    token: undefined,
    installationId,
    fingerprint: `inst_${installationId}`,
    limit: TOKEN_LIMIT,
    remaining: TOKEN_LIMIT,
    reset: 0,
    estimated: true,
  };
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
