import type { components } from '@octokit/openapi-types';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Span } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { AxiosResponse, isAxiosError } from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../../config/app.config';
import { githubConfig } from '../../config/github.config';
import { classifyGithubFailure, GithubFailure } from './classify-github-failure';
import { GithubBadGatewayError, GithubRateLimitedError } from '../api/github-errors';
import { MetricsService } from '../../metrics/metrics.service';
import { GITHUB_API_VERSION } from '../api/github-api-version';
import { githubRouteOf } from './github-route';
import { LinkRelations, parseLinkHeader } from '../api/link-header';
import { RateLimitSnapshot, readRateLimit } from './rate-limit-headers';
import { ChosenCredential, RateLimitGovernor } from './rate-limit-governor';
import { RequestPacer } from './request-pacer';
import { Semaphore } from './semaphore';
import { ClientUpstreamBudget } from '../../throttling/upstream-budget/client-upstream-budget';
import { inSpan, SpanKind } from '../../tracing/tracer';

/** One GitHub answer, already checked and decoded: nothing of axios leaves this file. */
export interface GithubResponse {
  /** 304: the resource is unchanged since the validators we sent; `body` is then undefined. */
  status: 200 | 304;
  body: unknown;
  links: LinkRelations;
  etag?: string;
  lastModified?: string;
  /** Which credential answered: an ETag belongs to it. */
  tokenFingerprint: string;
}

export interface ConditionalRequest {
  etag?: string;
  lastModified?: string;
  /** The credential the validators were issued to, used while it has budget. */
  tokenFingerprint?: string;
}

/** GitHub's recommended media type; stargazers with dates need `application/vnd.github.star+json`. */
export const GITHUB_JSON = 'application/vnd.github+json';

/** Two retries at most, for 5xx and dropped connections only; never for a 4xx. */
const MAX_ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100;
/** A header value GitHub sends is a date or a short token; anything longer is cut in the log. */
const MAX_LOGGED_HEADER_CHARS = 200;

/**
 * The only code that talks HTTP to GitHub. It asks the rate-limit governor for a credential before
 * every request, sends GitHub's required headers and validators, enforces a hard deadline, retries
 * what is safe to retry, and turns every failure into a {@link GithubError} whose `cause` is the
 * original.
 */
@Injectable()
export class GithubClient {
  private readonly logger = new Logger(GithubClient.name);
  private readonly apiOrigin: string;
  /** `/api/v3` on GitHub Enterprise, empty on github.com. */
  private readonly apiPathPrefix: string;
  /** The attributes every GitHub client span shares: where the API is. */
  private readonly serverAttributes: { [ATTR_SERVER_ADDRESS]: string; [ATTR_SERVER_PORT]: number };
  /** `GITHUB_MAX_CONCURRENT_REQUESTS`: bounds the memory of bodies in flight, not only GitHub's load. */
  private readonly inFlight: Semaphore;
  /** `GITHUB_MAX_REQUESTS_PER_MINUTE` per token: under GitHub's secondary limit before it answers one. */
  private readonly pacer: RequestPacer;
  /** Templated routes whose deprecation was logged: once per route while this process runs. */
  private readonly deprecationLogged = new Set<string>();

  constructor(
    private readonly http: HttpService,
    private readonly governor: RateLimitGovernor,
    private readonly metrics: MetricsService,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly clientBudget: ClientUpstreamBudget,
  ) {
    const api = new URL(github.apiUrl);
    this.apiOrigin = api.origin;
    this.apiPathPrefix = api.pathname.replace(/\/+$/, '');
    this.serverAttributes = {
      [ATTR_SERVER_ADDRESS]: api.hostname,
      [ATTR_SERVER_PORT]: Number(api.port) || (api.protocol === 'https:' ? 443 : 80),
    };
    this.inFlight = new Semaphore(github.maxConcurrentRequests);
    this.pacer = new RequestPacer(github.maxRequestsPerMinute);
  }

  /**
   * GETs a path under the API root (`/users/octocat/repos?per_page=100`) or an absolute URL that
   * GitHub itself gave us in a `Link` header. Absolute URLs must stay on the API's origin, so a
   * forged or odd header can never make us send the token elsewhere.
   */
  async get(
    pathOrUrl: string,
    conditional: ConditionalRequest = {},
    accept: string = GITHUB_JSON,
  ): Promise<GithubResponse> {
    const url = this.resolve(pathOrUrl);
    for (let attempt = 1; ; attempt++) {
      const isConditional =
        conditional.etag !== undefined || conditional.lastModified !== undefined;
      const credential = await this.governor.choose({
        preferred: conditional.tokenFingerprint,
        conditional: isConditional,
      });
      // Validators belong to the token that got them; with another token GitHub would answer 200 anyway.
      const validators = credential.fingerprint === conditional.tokenFingerprint ? conditional : {};
      // Every attempt is a request GitHub counts: the client whose request caused it pays for it.
      this.clientBudget.spendOne();
      await this.pace(credential);
      try {
        return await this.inFlight.use(() => this.attempt(url, credential, validators, accept));
      } catch (error) {
        const failure = classifyGithubFailure(error, {
          timeoutMs: this.github.timeoutMs,
          withToken: credential.token !== undefined,
        });
        this.tellGovernor(failure, credential);
        if (!this.shouldRetry(failure, attempt)) {
          throw failure.error;
        }
        await sleep(BACKOFF_BASE_MS * 2 ** (attempt - 1) + Math.random() * BACKOFF_BASE_MS);
      }
    }
  }

  /**
   * Waits for the token's next slot under GITHUB_MAX_REQUESTS_PER_MINUTE; a wait longer than a
   * request may take is answered like the secondary limit it keeps us from.
   */
  private async pace(credential: ChosenCredential): Promise<void> {
    const waitMs = this.pacer.reserve(credential.fingerprint);
    if (waitMs > this.github.timeoutMs) {
      throw new GithubRateLimitedError(
        `More than ${this.github.maxRequestsPerMinute} GitHub requests a minute for one token`,
        Math.ceil(waitMs / 1000),
        'secondary',
      );
    }
    if (waitMs > 0) {
      await sleep(waitMs);
    }
  }

  /**
   * Asks GitHub's free `/rate_limit` for one credential's budget and records it. Used only while we
   * have not yet seen that credential's headers; failures are ignored (the estimate stays).
   */
  async refreshBudget(fingerprint: string): Promise<void> {
    const credential = await this.governor.credentialForFreeCall(fingerprint);
    if (!credential) {
      return;
    }
    try {
      const response = await this.inFlight.use(() =>
        this.attempt(this.resolve('/rate_limit'), credential, {}, GITHUB_JSON),
      );
      this.governor.record(fingerprint, readCoreBudget(response.body));
    } catch (error) {
      this.logger.debug(
        { token: fingerprint, error: error instanceof Error ? error.name : 'unknown' },
        'Could not read /rate_limit',
      );
    }
  }

  /**
   * One HTTP request to GitHub, in a CLIENT span when tracing runs: named by the templated path
   * (`GET /users/:username/repos`), with the token's fingerprint, never the token.
   */
  private attempt(
    url: string,
    credential: ChosenCredential,
    validators: ConditionalRequest,
    accept: string,
  ): Promise<GithubResponse> {
    const route = githubRouteOf(new URL(url).pathname, this.apiPathPrefix);
    return inSpan(
      `GET ${route}`,
      SpanKind.CLIENT,
      {
        [ATTR_HTTP_REQUEST_METHOD]: 'GET',
        'url.template': route,
        ...this.serverAttributes,
        'github.token.fingerprint': credential.fingerprint,
      },
      (span) => this.send(url, route, credential, validators, accept, span),
      upstreamErrorType,
    );
  }

  private async send(
    url: string,
    route: string,
    credential: ChosenCredential,
    validators: ConditionalRequest,
    accept: string,
    span: Span | undefined,
  ): Promise<GithubResponse> {
    const startedAt = performance.now();
    let response: AxiosResponse<string> | undefined;
    try {
      response = await firstValueFrom(
        this.http.get<string>(url, {
          headers: this.headers(credential, validators, accept),
          responseType: 'text',
          // Decoding is ours: axios would silently hand back a string for invalid JSON.
          transformResponse: (data: string) => data,
          timeout: this.github.timeoutMs,
          // `timeout` is an idle timer; the signal is a hard deadline for a trickling answer.
          signal: AbortSignal.timeout(this.github.timeoutMs),
          maxRedirects: 0,
          validateStatus: (status) => (status >= 200 && status < 300) || status === 304,
        }),
      );
    } catch (error) {
      response = isAxiosError<string>(error) ? error.response : undefined;
      throw error;
    } finally {
      this.observe(route, response, credential, performance.now() - startedAt);
      if (response) {
        span?.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      }
    }
    const notModified = response.status === 304;
    return {
      status: notModified ? 304 : 200,
      body: notModified ? undefined : this.decode(response.data),
      links: parseLinkHeader(this.header(response, 'link')),
      etag: this.header(response, 'etag') ?? (notModified ? validators.etag : undefined),
      lastModified:
        this.header(response, 'last-modified') ??
        (notModified ? validators.lastModified : undefined),
      tokenFingerprint: credential.fingerprint,
    };
  }

  /**
   * Every upstream answer, success or error, passes here once: its budget headers go to the
   * governor, one metric sample and one debug line (templated path only) are recorded.
   */
  private observe(
    route: string,
    response: AxiosResponse | undefined,
    credential: ChosenCredential,
    ms: number,
  ): void {
    const status = response?.status ?? 'error';
    const rateLimit = response ? readRateLimit(response.headers) : undefined;
    this.governor.record(credential.fingerprint, rateLimit);
    this.metrics.recordUpstream(route, status, ms / 1000);
    if (response) {
      this.noticeDeprecation(route, response);
    }
    this.logger.debug(
      {
        method: 'GET',
        route,
        status,
        ms: Math.round(ms),
        token: credential.fingerprint,
        remaining: rateLimit?.remaining,
      },
      'GitHub request',
    );
  }

  /**
   * GitHub marks answers of a deprecated version or route with `Deprecation` (RFC 9745) and
   * `Sunset` (RFC 8594) headers: every such answer is counted, and the first of each route logged
   * at warn with the header values (dates, never a credential), so the alert has a line to point at.
   */
  private noticeDeprecation(route: string, response: AxiosResponse): void {
    const deprecation = this.header(response, 'deprecation');
    const sunset = this.header(response, 'sunset');
    if (deprecation === undefined && sunset === undefined) {
      return;
    }
    this.metrics.recordDeprecatedAnswer(route);
    if (this.deprecationLogged.has(route)) {
      return;
    }
    this.deprecationLogged.add(route);
    this.logger.warn(
      {
        route,
        requestedVersion: GITHUB_API_VERSION,
        selectedVersion: clip(this.header(response, 'x-github-api-version-selected')),
        deprecation: clip(deprecation),
        sunset: clip(sunset),
      },
      'GitHub answered with a deprecation notice; logged once per route, counted in github_deprecated_answers_total',
    );
  }

  /** What a failure means for every request: a dead token goes, a secondary limit pauses all. */
  private tellGovernor(failure: GithubFailure, credential: ChosenCredential): void {
    if (failure.dropToken) {
      this.governor.drop(credential.fingerprint);
    }
    if (failure.pauseSeconds !== undefined) {
      this.governor.pause(failure.pauseSeconds);
    }
  }

  private shouldRetry(failure: GithubFailure, attempt: number): boolean {
    if (attempt >= MAX_ATTEMPTS) {
      return false;
    }
    // A spent token was rested by the governor: worth a retry only while another has budget.
    return (
      failure.retry === 'yes' || (failure.retry === 'if-budget-left' && this.governor.hasBudget())
    );
  }

  private resolve(pathOrUrl: string): string {
    let url: URL;
    try {
      url = new URL(pathOrUrl.startsWith('/') ? this.github.apiUrl + pathOrUrl : pathOrUrl);
    } catch (error) {
      throw new GithubBadGatewayError('GitHub pointed to something that is not a URL', {
        cause: error,
      });
    }
    if (url.origin !== this.apiOrigin) {
      throw new GithubBadGatewayError(
        'GitHub pointed to a URL outside its API; refusing to follow it',
      );
    }
    return url.toString();
  }

  private headers(
    credential: ChosenCredential,
    validators: ConditionalRequest,
    accept: string,
  ): Record<string, string> {
    const headers: Record<string, string> = {
      'User-Agent': `github-dashboard-backend/${this.app.version}`,
      Accept: accept,
      'X-GitHub-Api-Version': GITHUB_API_VERSION,
    };
    if (credential.token) {
      headers.Authorization = `Bearer ${credential.token}`;
    }
    // Sent back exactly as received: quotes and W/ included.
    if (validators.etag) {
      headers['If-None-Match'] = validators.etag;
    } else if (validators.lastModified) {
      headers['If-Modified-Since'] = validators.lastModified;
    }
    return headers;
  }

  private decode(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new GithubBadGatewayError('GitHub answered with a body that is not JSON', {
        cause: error,
      });
    }
  }

  private header(response: Pick<AxiosResponse, 'headers'>, name: string): string | undefined {
    const value: unknown = response.headers[name];
    return typeof value === 'string' ? value : undefined;
  }
}

/** The `core` resource of GitHub's `/rate_limit` body, in the shape of the headers. */
function readCoreBudget(body: unknown): RateLimitSnapshot | undefined {
  // What GitHub documents; typed only to name its fields, each is still checked before use.
  const core = (body as Partial<components['schemas']['rate-limit-overview']> | undefined)
    ?.resources?.core;
  if (
    !core ||
    typeof core.limit !== 'number' ||
    typeof core.remaining !== 'number' ||
    typeof core.reset !== 'number'
  ) {
    return undefined;
  }
  return {
    limit: core.limit,
    remaining: core.remaining,
    reset: core.reset,
    resource: 'core',
  };
}

/** A span's `error.type`: GitHub's status when it answered, else the network error's code. */
function upstreamErrorType(error: unknown): string {
  if (isAxiosError(error)) {
    return error.response ? String(error.response.status) : (error.code ?? 'AxiosError');
  }
  return error instanceof Error ? error.name : 'Error';
}

function clip(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, MAX_LOGGED_HEADER_CHARS);
}
