import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { CacheStore } from '../../cache/cache-store';
import { appConfig } from '../../config/app.config';
import { githubAppConfig, GithubAppSettings } from '../../config/github-app.config';
import { githubConfig } from '../../config/github.config';
import { GithubAppRefusedError, GithubInstallationGoneError } from './github-app-errors';
import { GITHUB_API_VERSION } from '../api/github-api-version';
import { GithubBadGatewayError } from '../api/github-errors';
import { InstallationTokenCache, renewalTime } from './installation-token-cache';
import { loadOctokitAppModules, OctokitAppModules } from './octokit-esm';

type AppAuth = ReturnType<OctokitAppModules['createAppAuth']>;
type AppRequest = OctokitAppModules['request'];

/**
 * @octokit/auth-app signs `iat` 30 s before the time it is given and `exp` 10 minutes after that
 * `iat`. Telling it the clock is 30 s behind makes `iat` 60 s in the past, as GitHub recommends
 * against clock drift, and `exp` 9 minutes ahead: within GitHub's 10-minute maximum either way.
 */
const JWT_CLOCK_SHIFT_SECONDS = -30;
/** GitHub lists at most 100 installations a page; 10 pages is more than this service will serve. */
const INSTALLATIONS_PER_PAGE = 100;
const MAX_INSTALLATION_PAGES = 10;
/** After a failed listing, wait this long before asking GitHub again. */
const LISTING_RETRY_MS = 30_000;
const MAX_LOGGED_MESSAGE_CHARS = 200;

interface HeldToken {
  token: string;
  renewAtMs: number;
}

interface InstallationJson {
  id?: unknown;
  suspended_at?: unknown;
}

/**
 * The service as a GitHub App: signs the App's JWTs and buys installation tokens through
 * @octokit/auth-app (no crypto of ours), keeps each token until shortly before it expires (in this
 * process and, through {@link InstallationTokenCache}, in Redis for every replica), and lists the
 * App's installations. App calls (`/app/...`) go straight to GitHub with our User-Agent and API
 * version, outside the governor and any client's budget: they spend no installation's budget.
 *
 * A 401 on the JWT (a wrong key or App id) is logged once, with the App id and GitHub's message,
 * and from then on every call fails at once with {@link GithubAppRefusedError}, without asking
 * GitHub again: the key only changes with a restart.
 */
@Injectable()
export class InstallationTokens {
  private readonly logger = new Logger(InstallationTokens.name);
  private readonly settings: GithubAppSettings | undefined;
  private readonly held = new Map<number, HeldToken>();
  private readonly buying = new Map<number, Promise<string>>();
  /** Installations whose cached token GitHub refused: the next token is bought, not read back. */
  private readonly revoked = new Set<number>();
  private client: Promise<{ auth: AppAuth; request: AppRequest }> | undefined;
  private refusal: GithubAppRefusedError | undefined;
  private listing: Promise<number[]> | undefined;
  private listingFailure: { error: unknown; untilMs: number } | undefined;

  constructor(
    @Inject(githubAppConfig.KEY) appSettings: ConfigType<typeof githubAppConfig>,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly store: CacheStore,
  ) {
    this.settings = appSettings.app;
  }

  /** Whether a GitHub App is configured. */
  get enabled(): boolean {
    return this.settings !== undefined;
  }

  /** Whether the installations come from GitHub's list (no GITHUB_APP_INSTALLATION_ID). */
  get listsInstallations(): boolean {
    return this.settings !== undefined && this.settings.installationId === undefined;
  }

  /**
   * Forgets the listing, and a failed one, so that the next {@link installationIds} asks GitHub
   * again: an installation was added, deleted or suspended since.
   */
  relist(): void {
    this.listing = undefined;
    this.listingFailure = undefined;
  }

  /**
   * The installations to spend: the one GITHUB_APP_INSTALLATION_ID names, else every installation
   * GitHub lists for the App that is not suspended.
   */
  async installationIds(): Promise<number[]> {
    const settings = this.required();
    if (settings.installationId !== undefined) {
      return [settings.installationId];
    }
    this.throwIfRefused();
    if (this.listingFailure && Date.now() < this.listingFailure.untilMs) {
      throw this.listingFailure.error;
    }
    const listing = (this.listing ??= this.listInstallations().then(
      (ids) => {
        this.listingFailure = undefined;
        return ids;
      },
      (error: unknown) => {
        // A relist() may have started a newer listing meanwhile: its outcome is not ours to undo.
        if (this.listing === listing) {
          this.listing = undefined;
          this.listingFailure = { error, untilMs: Date.now() + LISTING_RETRY_MS };
        }
        if (!(error instanceof GithubAppRefusedError)) {
          // A refusal has its own line; anything else would otherwise go unseen at start-up.
          this.logger.warn(
            { appId: settings.appId, error: error instanceof Error ? error.message : 'unknown' },
            `Could not list the GitHub App's installations; trying again in ${LISTING_RETRY_MS / 1000} s`,
          );
        }
        throw error;
      },
    ));
    return listing;
  }

  /**
   * A token of the installation, good for at least a few more minutes: the one held, else the one
   * another replica bought (Redis), else a new one. One purchase at a time per installation.
   */
  async tokenFor(installationId: number): Promise<string> {
    const held = this.held.get(installationId);
    if (held && Date.now() < held.renewAtMs) {
      return held.token;
    }
    this.throwIfRefused();
    let buying = this.buying.get(installationId);
    if (!buying) {
      buying = this.fetchToken(installationId).finally(() => this.buying.delete(installationId));
      this.buying.set(installationId, buying);
    }
    return buying;
  }

  /** GitHub refused a token before its expiry (revoked): the next request gets a new one. */
  async forget(installationId: number): Promise<void> {
    this.held.delete(installationId);
    this.revoked.add(installationId);
    if (this.settings) {
      await new InstallationTokenCache(this.store, this.settings.appId).forget(installationId);
    }
  }

  private async fetchToken(installationId: number): Promise<string> {
    const { auth } = await this.appClient();
    try {
      const refresh = this.revoked.has(installationId);
      const { token, createdAt, expiresAt } = await auth({
        type: 'installation',
        installationId,
        refresh,
      });
      if (refresh) {
        this.revoked.delete(installationId);
      }
      this.held.set(installationId, {
        token,
        renewAtMs: renewalTime(Date.parse(createdAt), Date.parse(expiresAt)),
      });
      return token;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404 || status === 403) {
        this.held.delete(installationId);
        throw new GithubInstallationGoneError(installationId, { cause: error });
      }
      throw this.appCallFailure(error, `a token for installation ${installationId}`);
    }
  }

  private async listInstallations(): Promise<number[]> {
    const { auth, request } = await this.appClient();
    const ids: number[] = [];
    try {
      for (let page = 1; page <= MAX_INSTALLATION_PAGES; page++) {
        const { token: jwt } = await auth({ type: 'app' });
        const response = await request('GET /app/installations', {
          per_page: INSTALLATIONS_PER_PAGE,
          page,
          headers: { authorization: `bearer ${jwt}` },
        });
        const installations = response.data as InstallationJson[];
        for (const installation of installations) {
          if (typeof installation.id === 'number' && !installation.suspended_at) {
            ids.push(installation.id);
          }
        }
        if (installations.length < INSTALLATIONS_PER_PAGE) {
          break;
        }
      }
    } catch (error) {
      throw this.appCallFailure(error, "the App's installations");
    }
    if (ids.length === 0) {
      this.logger.warn(
        { appId: this.required().appId },
        'The GitHub App has no installation (or only suspended ones): install it on an account; it is listed again on an installation webhook and every 10 minutes',
      );
    } else {
      this.logger.log(
        { appId: this.required().appId, installations: ids },
        'GitHub App installations found',
      );
    }
    return ids;
  }

  /** The App's JWT signer and requests to GitHub, built once, on first use. */
  private appClient(): Promise<{ auth: AppAuth; request: AppRequest }> {
    const settings = this.required();
    this.client ??= loadOctokitAppModules().then(({ createAppAuth, request }) => {
      const timeoutMs = this.github.timeoutMs;
      const appRequest = request.defaults({
        baseUrl: this.github.apiUrl,
        headers: {
          'user-agent': `github-dashboard-backend/${this.app.version}`,
          'x-github-api-version': GITHUB_API_VERSION,
        },
        // A hard deadline per call, as for every other GitHub request.
        request: {
          fetch: (url: string | URL | Request, init?: RequestInit) =>
            fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
        },
      });
      const auth = createAppAuth({
        appId: settings.appId,
        privateKey: settings.privateKey(),
        request: appRequest,
        cache: new InstallationTokenCache(this.store, settings.appId),
        timeDifference: JWT_CLOCK_SHIFT_SECONDS,
        log: { warn: (message: string) => this.logger.warn(message) },
      });
      return { auth, request: appRequest };
    });
    return this.client;
  }

  /**
   * What a failed App call becomes: a 401 refuses the App for good (one log line); anything else
   * is a gateway failure, tried again on a later request.
   */
  private appCallFailure(error: unknown, what: string): Error {
    const status = statusOf(error);
    if (status !== 401) {
      return new GithubBadGatewayError(
        status === undefined
          ? `GitHub could not be reached for ${what}`
          : `GitHub answered ${status} when asked for ${what}`,
        { cause: error },
      );
    }
    if (!this.refusal) {
      this.refusal = new GithubAppRefusedError(
        'GitHub refused the credentials of this service; only cached data can be served until they are fixed',
      );
      this.held.clear();
      this.logger.error(
        { appId: this.required().appId, status, githubMessage: githubMessageOf(error) },
        'GitHub refused the GitHub App (401 on its JWT): check GITHUB_APP_ID and the private key; the App is not used again until a restart',
      );
    }
    return this.refusal;
  }

  private throwIfRefused(): void {
    if (this.refusal) {
      throw this.refusal;
    }
  }

  private required(): GithubAppSettings {
    if (!this.settings) {
      throw new Error('No GitHub App is configured (GITHUB_APP_ID)');
    }
    return this.settings;
  }
}

/** The HTTP status of an @octokit/request error, if GitHub answered. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 100 ? status : undefined;
}

/** GitHub's own `message` from an error answer, clipped; never a header or a credential. */
function githubMessageOf(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } } | undefined)?.response?.data;
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, MAX_LOGGED_MESSAGE_CHARS) : undefined;
}
