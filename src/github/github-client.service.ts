import { HttpService } from '@nestjs/axios';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AxiosError, AxiosResponse, isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { appConfig } from '../config/app.config';
import { githubConfig } from '../config/github.config';
import {
  GithubBadGatewayError,
  GithubError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from './github-errors';
import { LinkRelations, parseLinkHeader } from './link-header';
import { RateLimitSnapshot, readRateLimit, readRetryAfter, secondsUntil } from './rate-limit';

/** One GitHub answer, already checked and decoded: nothing of axios leaves this file. */
export interface GithubResponse {
  body: unknown;
  links: LinkRelations;
  etag?: string;
  lastModified?: string;
  rateLimit?: RateLimitSnapshot;
}

/** Below this share of the primary budget a warning is logged, once per response. */
const LOW_BUDGET_SHARE = 0.1;
/** GitHub's advice when a secondary limit names no wait: at least a minute. */
const SECONDARY_LIMIT_DEFAULT_WAIT_SECONDS = 60;

/**
 * The only code that talks HTTP to GitHub. It sends GitHub's required headers, enforces a hard
 * deadline, and turns every failure into a {@link GithubError} whose `cause` is the original.
 */
@Injectable()
export class GithubClient {
  private readonly logger = new Logger(GithubClient.name);
  private readonly apiOrigin: string;

  constructor(
    private readonly http: HttpService,
    @Inject(githubConfig.KEY) private readonly github: ConfigType<typeof githubConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {
    this.apiOrigin = new URL(github.apiUrl).origin;
  }

  /**
   * GETs a path under the API root (`/users/octocat/repos?per_page=100`) or an absolute URL that
   * GitHub itself gave us in a `Link` header. Absolute URLs must stay on the API's origin, so a
   * forged or odd header can never make us send the token elsewhere.
   */
  async get(pathOrUrl: string): Promise<GithubResponse> {
    const url = this.resolve(pathOrUrl);
    const startedAt = performance.now();
    let response: AxiosResponse<string>;
    try {
      response = await firstValueFrom(
        this.http.get<string>(url, {
          headers: this.headers(),
          responseType: 'text',
          // Decoding is ours: axios would silently hand back a string for invalid JSON.
          transformResponse: (data: string) => data,
          timeout: this.github.timeoutMs,
          // `timeout` is an idle timer; the signal is a hard deadline for a trickling answer.
          signal: AbortSignal.timeout(this.github.timeoutMs),
          maxRedirects: 0,
          validateStatus: (status) => status >= 200 && status < 300,
        }),
      );
    } catch (error) {
      throw this.toGithubError(error);
    } finally {
      this.logger.debug(
        { url: new URL(url).pathname, ms: Math.round(performance.now() - startedAt) },
        'GitHub request',
      );
    }
    const rateLimit = readRateLimit(response.headers);
    this.warnIfBudgetLow(rateLimit);
    return {
      body: this.decode(response.data),
      links: parseLinkHeader(this.header(response, 'link')),
      etag: this.header(response, 'etag'),
      lastModified: this.header(response, 'last-modified'),
      rateLimit,
    };
  }

  private resolve(pathOrUrl: string): string {
    const url = new URL(pathOrUrl.startsWith('/') ? this.github.apiUrl + pathOrUrl : pathOrUrl);
    if (url.origin !== this.apiOrigin) {
      throw new GithubBadGatewayError(
        'GitHub pointed to a URL outside its API; refusing to follow it',
      );
    }
    return url.toString();
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'User-Agent': `github-dashboard-backend/${this.app.version}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
    };
    const token = this.github.tokens[0];
    if (token) {
      headers.Authorization = `Bearer ${token}`;
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

  private warnIfBudgetLow(rateLimit: RateLimitSnapshot | undefined): void {
    if (rateLimit && rateLimit.remaining < rateLimit.limit * LOW_BUDGET_SHARE) {
      this.logger.warn(
        { remaining: rateLimit.remaining, limit: rateLimit.limit, reset: rateLimit.reset },
        'GitHub rate-limit budget is running low',
      );
    }
  }

  private toGithubError(error: unknown): GithubError {
    if (error instanceof GithubError) {
      return error;
    }
    if (!isAxiosError(error)) {
      return new GithubBadGatewayError('GitHub request failed', { cause: error });
    }
    if (error.response) {
      return this.fromStatus(error.response, error);
    }
    if (
      error.code === 'ECONNABORTED' ||
      error.code === 'ETIMEDOUT' ||
      error.code === 'ERR_CANCELED'
    ) {
      return new GithubTimeoutError(`GitHub did not answer within ${this.github.timeoutMs} ms`, {
        cause: error,
      });
    }
    return new GithubBadGatewayError('GitHub could not be reached or dropped the connection', {
      cause: error,
    });
  }

  private fromStatus(response: AxiosResponse, cause: AxiosError): GithubError {
    const { status, headers } = response;
    if (status === 404) {
      return new GithubNotFoundError('GitHub has no such user or resource', { cause });
    }
    if (status === 403 || status === 429) {
      const limited = this.asRateLimit(response, cause);
      if (limited) {
        return limited;
      }
    }
    const rateLimit = readRateLimit(headers);
    this.warnIfBudgetLow(rateLimit);
    if (status >= 500) {
      return new GithubBadGatewayError(`GitHub answered ${status}`, { cause });
    }
    // 401 (a revoked token), 403 without a limit, 422...: our request or credentials are wrong,
    // which the client cannot fix; report the gateway failure without detail.
    return new GithubBadGatewayError(`GitHub refused the request (${status})`, { cause });
  }

  /** GitHub's documented order: `retry-after`, then `x-ratelimit-reset`, else at least a minute. */
  private asRateLimit(
    response: AxiosResponse,
    cause: AxiosError,
  ): GithubRateLimitedError | undefined {
    const headers = response.headers;
    const retryAfter = readRetryAfter(headers);
    const rateLimit = readRateLimit(headers);
    const message = typeof response.data === 'string' ? response.data.toLowerCase() : '';
    const secondary = message.includes('secondary rate limit');
    if (retryAfter !== undefined) {
      return new GithubRateLimitedError(
        'GitHub asked us to slow down',
        retryAfter,
        secondary || rateLimit?.remaining !== 0 ? 'secondary' : 'primary',
        { cause },
      );
    }
    if (rateLimit?.remaining === 0) {
      return new GithubRateLimitedError(
        'GitHub rate limit exhausted',
        secondsUntil(rateLimit.reset),
        'primary',
        { cause },
      );
    }
    if (secondary || message.includes('rate limit')) {
      return new GithubRateLimitedError(
        'GitHub secondary rate limit',
        SECONDARY_LIMIT_DEFAULT_WAIT_SECONDS,
        'secondary',
        { cause },
      );
    }
    return undefined;
  }
}
