import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import {
  AxiosError,
  AxiosHeaders,
  AxiosRequestConfig,
  AxiosResponse,
  CanceledError,
  InternalAxiosRequestConfig,
} from 'axios';
import { SpanKind } from '@opentelemetry/api';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import timers from 'node:timers/promises';
import { Observable, of, throwError } from 'rxjs';
import { CacheStore } from '../../cache/cache-store';
import { AppConfig } from '../../config/app.config';
import { GithubConfig } from '../../config/github.config';
import { ClientUpstreamBudgetError } from '../../throttling/upstream-budget/client-upstream-budget.error';
import { GithubClient } from './github-client.service';
import {
  GithubBadGatewayError,
  GithubError,
  GithubForbiddenError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from '../api/github-errors';
import { RateLimitGovernor } from './rate-limit-governor';
import { MetricsService } from '../../metrics/metrics.service';
import { tokenFingerprint } from './token-fingerprint';
import { recordSpans } from '../../../test/support/recorded-spans';
import { testClientBudget } from '../../../test/support/client-budget';

const API = 'https://api.github.com';
const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const OTHER_TOKEN = 'ghp_0therT0ken0000000000000000000000000';
const NOW_MS = Date.UTC(2024, 5, 1, 12, 0, 0);
const NOW_S = NOW_MS / 1000;

const app: AppConfig = {
  port: 8000,
  metricsPort: undefined,
  env: 'test',
  version: '1.2.3',
  logLevel: 'info',
};

function github(overrides: Partial<GithubConfig> = {}): GithubConfig {
  return {
    apiUrl: API,
    tokens: [TOKEN],
    timeoutMs: 5000,
    rateLimitReserve: 50,
    maxReposPerAccount: 10000,
    maxConcurrentRequests: 8,
    maxRequestsPerMinute: 900,
    ...overrides,
  };
}

/** The governor's shared state, kept in a Map: no Redis, no LRU timers. */
class MapStore {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.values.get(key) as T | undefined);
  }

  set(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }

  keepLater(key: string, untilMs: number): Promise<void> {
    this.values.set(key, Math.max(untilMs, (this.values.get(key) as number | undefined) ?? 0));
    return Promise.resolve();
  }
}

/** What axios would have sent: the token is in it, as it is in a real error's `config`. */
function requestConfig(): InternalAxiosRequestConfig {
  return {
    url: `${API}/users/octocat/repos`,
    method: 'get',
    headers: new AxiosHeaders({ Authorization: `Bearer ${TOKEN}` }),
  };
}

function response(
  status: number,
  data: string,
  headers: Record<string, string> = {},
): AxiosResponse<string> {
  return {
    status,
    statusText: '',
    data,
    headers: new AxiosHeaders(headers),
    config: requestConfig(),
  };
}

function httpError(
  status: number,
  data = '{"message":"error"}',
  headers: Record<string, string> = {},
): AxiosError {
  const res = response(status, data, headers);
  return new AxiosError(
    `Request failed with status code ${status}`,
    status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
    res.config,
    {},
    res,
  );
}

function networkError(code: string): AxiosError {
  return new AxiosError(`connect ${code} 140.82.121.6:443`, code, requestConfig(), {});
}

const spentBudget = (resetS: number): Record<string, string> => ({
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '0',
  'x-ratelimit-used': '5000',
  'x-ratelimit-reset': String(resetS),
  'x-ratelimit-resource': 'core',
});

type Get = (url: string, config?: AxiosRequestConfig) => Observable<AxiosResponse<string>>;

/**
 * A strict fake: a call nobody arranged is recorded and checked after each test, because the
 * client would otherwise turn the fake's own complaint into a GithubBadGatewayError.
 */
const unexpectedCalls: string[] = [];

function fakeHttp() {
  const get = jest.fn<ReturnType<Get>, Parameters<Get>>((url) => {
    unexpectedCalls.push(url);
    return throwError(() => new Error(`unexpected HTTP call to ${url}`));
  });
  return { get, service: { get } as unknown as HttpService };
}

const CLIENT_UPSTREAM_LIMIT = 3;

function setup(config: Partial<GithubConfig> = {}, service?: HttpService) {
  const http = fakeHttp();
  const githubConfig = github(config);
  const metrics = new MetricsService();
  const clientBudget = testClientBudget(metrics, CLIENT_UPSTREAM_LIMIT);
  const governor = new RateLimitGovernor(
    githubConfig,
    new MapStore() as unknown as CacheStore,
    metrics,
    clientBudget,
  );
  const client = new GithubClient(
    service ?? http.service,
    governor,
    metrics,
    githubConfig,
    app,
    clientBudget,
  );
  const answer = (res: AxiosResponse<string>) => http.get.mockReturnValueOnce(of(res));
  const fail = (error: unknown) => http.get.mockReturnValueOnce(throwError(() => error));
  const sentConfig = (call = 0): AxiosRequestConfig => http.get.mock.calls[call][1] ?? {};
  return { client, http, governor, metrics, clientBudget, answer, fail, sentConfig };
}

/** The backoff between retries, resolved at once: the delays asked for are in its calls. */
function skipBackoff() {
  return jest.spyOn(timers, 'setTimeout').mockResolvedValue(undefined);
}

/** What the client recorded in `github_requests_total` and the duration histogram's sum. */
async function upstreamSamples(metrics: MetricsService) {
  const requests = await metrics.registry.getSingleMetric('github_requests_total')?.get();
  const duration = await metrics.registry.getSingleMetric('github_request_duration_seconds')?.get();
  return {
    requests: requests?.values.map(({ labels, value }) => ({ ...labels, count: value })),
    seconds: duration?.values.find(
      (v) => 'metricName' in v && v.metricName === 'github_request_duration_seconds_sum',
    )?.value,
  };
}

/** Awaits a rejection and hands the error back for closer checks. */
async function rejectionOf(promise: Promise<unknown>): Promise<GithubError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GithubError);
  return error as GithubError;
}

describe(GithubClient.name, () => {
  /** The client's debug lines (one per upstream answer, and /rate_limit failures). */
  let debug: jest.SpiedFunction<Logger['debug']>;

  beforeEach(() => {
    unexpectedCalls.length = 0;
    debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Date, 'now').mockReturnValue(NOW_MS);
    // The shortest backoff between retries: 100 ms, then 200 ms.
    jest.spyOn(Math, 'random').mockReturnValue(0);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    expect(unexpectedCalls).toEqual([]);
  });

  describe('request', () => {
    it('should GET the path under the API root', async () => {
      // Arrange
      const { client, http, answer } = setup();
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos?per_page=100');

      // Assert
      expect(http.get).toHaveBeenCalledTimes(1);
      expect(http.get.mock.calls[0][0]).toBe(`${API}/users/octocat/repos?per_page=100`);
    });

    it('should keep the path prefix of an Enterprise API root', async () => {
      // Arrange
      const { client, http, answer } = setup({ apiUrl: 'https://ghe.example.com/api/v3' });
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(http.get.mock.calls[0][0]).toBe('https://ghe.example.com/api/v3/users/octocat/repos');
    });

    it('should send the User-Agent with our version, the GitHub Accept type and API version', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(sentConfig().headers).toMatchObject({
        'User-Agent': 'github-dashboard-backend/1.2.3',
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2026-03-10',
      });
    });

    it('should send the token as a Bearer authorization', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(sentConfig().headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
    });

    it('should send no Authorization header without a token', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup({ tokens: [] });
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(Object.keys(sentConfig().headers ?? {}).map((h) => h.toLowerCase())).not.toContain(
        'authorization',
      );
    });

    it('should enforce the configured timeout, abort signal and no redirects', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup({ timeoutMs: 1234 });
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      const config = sentConfig();
      expect(config.timeout).toBe(1234);
      expect(config.signal).toBeInstanceOf(AbortSignal);
      expect(config.maxRedirects).toBe(0);
    });

    it('should follow an absolute URL on the API origin, as GitHub gives in Link', async () => {
      // Arrange
      const { client, http, answer } = setup();
      answer(response(200, '[]'));
      const next = `${API}/user/583231/repos?per_page=100&page=2`;

      // Act
      await client.get(next);

      // Assert
      expect(http.get.mock.calls[0][0]).toBe(next);
    });

    it.each([
      'https://evil.example.com/user/583231/repos?page=2',
      'https://api.github.com.evil.example.com/user/583231/repos?page=2',
      'http://api.github.com/user/583231/repos?page=2',
      'https://api.github.com:8443/user/583231/repos?page=2',
    ])('should refuse %s without making a call', async (url) => {
      // Arrange
      const { client, http } = setup();

      // Act
      const result = client.get(url);

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
      expect(http.get).not.toHaveBeenCalled();
    });

    it('should refuse a link that is not a URL without making a call', async () => {
      // Arrange
      const { client, http } = setup();

      // Act
      const error = await rejectionOf(client.get('not a url'));

      // Assert
      expect(error).toBeInstanceOf(GithubBadGatewayError);
      expect(error.cause).toMatchObject({ code: 'ERR_INVALID_URL' });
      expect(http.get).not.toHaveBeenCalled();
    });
  });

  describe('response', () => {
    it('should decode the JSON body and read links, validators and the rate limit', async () => {
      // Arrange
      const { client, governor, answer } = setup();
      answer(
        response(200, '[{"name":"Hello-World"}]', {
          link: `<${API}/user/583231/repos?per_page=100&page=2>; rel="next", <${API}/user/583231/repos?per_page=100&page=3>; rel="last"`,
          etag: 'W/"abc"',
          'last-modified': 'Sat, 01 Jun 2024 10:00:00 GMT',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-used': '1',
          'x-ratelimit-reset': String(NOW_S + 3600),
          'x-ratelimit-resource': 'core',
        }),
      );

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(result).toEqual({
        status: 200,
        body: [{ name: 'Hello-World' }],
        links: {
          next: `${API}/user/583231/repos?per_page=100&page=2`,
          last: `${API}/user/583231/repos?per_page=100&page=3`,
        },
        etag: 'W/"abc"',
        lastModified: 'Sat, 01 Jun 2024 10:00:00 GMT',
        tokenFingerprint: tokenFingerprint(TOKEN),
      });
      expect(governor.budgets()).toEqual([
        {
          fingerprint: tokenFingerprint(TOKEN),
          limit: 5000,
          remaining: 4999,
          reset: NOW_S + 3600,
          estimated: false,
        },
      ]);
    });

    it('should answer no links, validators or rate limit when GitHub sends none', async () => {
      // Arrange
      const { client, governor, answer } = setup({ tokens: [] });
      answer(response(200, '{"login":"octocat"}'));

      // Act
      const result = await client.get('/users/octocat');

      // Assert
      expect(result).toEqual({
        status: 200,
        body: { login: 'octocat' },
        links: {},
        etag: undefined,
        lastModified: undefined,
        tokenFingerprint: 'anonymous',
      });
      expect(governor.budgets()).toEqual([
        { fingerprint: 'anonymous', limit: 60, remaining: 60, reset: 0, estimated: true },
      ]);
    });

    it.each([
      ['HTML', '<html><body>Unicorn!</body></html>'],
      ['truncated JSON', '[{"name":"Hello'],
      ['an empty body', ''],
    ])(
      'should reject %s, once, with a bad gateway that keeps the parse error as cause',
      async (_label, body) => {
        // Arrange
        const { client, http, answer } = setup();
        answer(response(200, body));

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error).toBeInstanceOf(GithubBadGatewayError);
        expect(error.cause).toBeInstanceOf(SyntaxError);
        expect(http.get).toHaveBeenCalledTimes(1);
      },
    );

    it("should revalidate with If-None-Match on the validators' own token", async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(304, ''));

      // Act
      const result = await client.get('/users/octocat/repos', {
        etag: 'W/"abc"',
        tokenFingerprint: tokenFingerprint(TOKEN),
      });

      // Assert
      expect(sentConfig().headers).toMatchObject({
        'If-None-Match': 'W/"abc"',
        Authorization: `Bearer ${TOKEN}`,
      });
      expect(result).toMatchObject({ status: 304, body: undefined, etag: 'W/"abc"' });
    });

    it('should revalidate with If-Modified-Since when there is no ETag', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(304, ''));

      // Act
      const result = await client.get('/users/octocat/repos', {
        lastModified: 'Sat, 01 Jun 2024 10:00:00 GMT',
        tokenFingerprint: tokenFingerprint(TOKEN),
      });

      // Assert
      expect(sentConfig().headers).toMatchObject({
        'If-Modified-Since': 'Sat, 01 Jun 2024 10:00:00 GMT',
      });
      expect(result.lastModified).toBe('Sat, 01 Jun 2024 10:00:00 GMT');
    });

    it('should send no validators that belong to another token', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos', {
        etag: 'W/"abc"',
        tokenFingerprint: 'tok_gone0000',
      });

      // Assert
      expect(sentConfig().headers).not.toHaveProperty('If-None-Match');
    });
  });

  describe('errors', () => {
    it('should map a GitHub 404 to GithubNotFoundError, without retrying', async () => {
      // Arrange
      const { client, http, fail } = setup();
      fail(httpError(404, '{"message":"Not Found"}'));

      // Act
      const result = client.get('/users/nobody/repos');

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubNotFoundError);
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it.each([500, 502])(
      'should map a GitHub %i that persists to GithubBadGatewayError after three attempts',
      async (status) => {
        // Arrange
        const { client, http, fail } = setup();
        const last = httpError(status, 'upstream trouble');
        fail(httpError(status, 'upstream trouble'));
        fail(httpError(status, 'upstream trouble'));
        fail(last);

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error).toBeInstanceOf(GithubBadGatewayError);
        expect(error).not.toBeInstanceOf(GithubForbiddenError);
        expect(error.message).toBe(`GitHub answered ${status}`);
        expect(error.cause).toBe(last);
        expect(http.get).toHaveBeenCalledTimes(3);
      },
    );

    it('should answer the retry when a 5xx passes on the second attempt', async () => {
      // Arrange
      const { client, http, fail, answer } = setup();
      fail(httpError(502, 'upstream trouble'));
      answer(response(200, '[{"name":"a"}]'));

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(result.body).toEqual([{ name: 'a' }]);
      expect(http.get).toHaveBeenCalledTimes(2);
    });

    it('should map a GitHub 401 (revoked token) to GithubBadGatewayError without a token', async () => {
      // Arrange
      const { client, http, fail } = setup({ tokens: [] });
      fail(httpError(401, '{"message":"Bad credentials"}'));

      // Act
      const result = client.get('/users/octocat/repos');

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it('should map a GitHub 401 to GithubBadGatewayError when the unauthenticated retry is refused too', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(httpError(401, '{"message":"Bad credentials"}'));
      fail(httpError(401, '{"message":"Requires authentication"}'));

      // Act
      const result = client.get('/users/octocat/repos');

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
    });

    it('should continue unauthenticated when GitHub rejects the only token (401)', async () => {
      // Arrange
      const { client, http, fail, answer, sentConfig } = setup();
      fail(httpError(401, '{"message":"Bad credentials"}'));
      answer(response(200, '[]'));

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(http.get).toHaveBeenCalledTimes(2);
      expect(sentConfig(0).headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
      expect(sentConfig(1).headers).not.toHaveProperty('Authorization');
      expect(result.tokenFingerprint).toBe('anonymous');
    });

    it('should retry with the next token when GitHub rejects one (401)', async () => {
      // Arrange
      const { client, http, fail, answer, sentConfig } = setup({ tokens: [TOKEN, OTHER_TOKEN] });
      fail(httpError(401, '{"message":"Bad credentials"}'));
      answer(response(200, '[]'));

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(http.get).toHaveBeenCalledTimes(2);
      expect(sentConfig(0).headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
      expect(sentConfig(1).headers).toMatchObject({ Authorization: `Bearer ${OTHER_TOKEN}` });
      expect(result.tokenFingerprint).toBe(tokenFingerprint(OTHER_TOKEN));
    });

    it('should map a 403 that is not a rate limit to GithubForbiddenError (a bad gateway), without retrying', async () => {
      // Arrange
      const { client, http, fail } = setup();
      const original = httpError(
        403,
        '{"message":"Resource not accessible by personal access token"}',
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4000',
          'x-ratelimit-reset': String(NOW_S + 3600),
        },
      );
      fail(original);

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubForbiddenError);
      expect(error).toBeInstanceOf(GithubBadGatewayError);
      expect(error.message).toBe('GitHub refused this token access (403)');
      expect(error.cause).toBe(original);
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it('should map a GitHub 422 to GithubBadGatewayError', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(httpError(422, '{"message":"Validation Failed"}'));

      // Act
      const result = client.get('/users/octocat/repos');

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
    });

    it.each([403, 429])(
      'should map a %i with x-ratelimit-remaining 0 to a primary limit until the reset',
      async (status) => {
        // Arrange
        const { client, fail } = setup();
        fail(
          httpError(
            status,
            '{"message":"API rate limit exceeded for user ID 1."}',
            spentBudget(NOW_S + 1800),
          ),
        );

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error).toBeInstanceOf(GithubRateLimitedError);
        expect(error).toMatchObject({ kind: 'primary', retryAfterSeconds: 1800 });
      },
    );

    it('should wait at least one second when the primary reset is already past', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(httpError(403, '{"message":"API rate limit exceeded"}', spentBudget(NOW_S - 5)));
      // The governor sees the reset has passed and lets the retry through.
      fail(httpError(403, '{"message":"API rate limit exceeded"}', spentBudget(NOW_S - 5)));
      fail(httpError(403, '{"message":"API rate limit exceeded"}', spentBudget(NOW_S - 5)));

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toMatchObject({ kind: 'primary', retryAfterSeconds: 1 });
    });

    it('should retry with the next token when the first one is spent', async () => {
      // Arrange
      const { client, http, fail, answer, sentConfig } = setup({ tokens: [TOKEN, OTHER_TOKEN] });
      fail(httpError(403, '{"message":"API rate limit exceeded"}', spentBudget(NOW_S + 1800)));
      answer(response(200, '[]'));

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(result.status).toBe(200);
      expect(http.get).toHaveBeenCalledTimes(2);
      expect(sentConfig(0).headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
      expect(sentConfig(1).headers).toMatchObject({ Authorization: `Bearer ${OTHER_TOKEN}` });
    });

    it('should make no call once GitHub said the only token is spent', async () => {
      // Arrange
      const { client, http, answer } = setup();
      answer(response(200, '[]', spentBudget(NOW_S + 900)));
      await client.get('/users/octocat/repos');

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect(error).toMatchObject({ kind: 'primary', retryAfterSeconds: 900 });
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it.each([403, 429])(
      'should map a %i with retry-after to a limit of that many seconds',
      async (status) => {
        // Arrange
        const { client, http, fail } = setup();
        fail(
          httpError(
            status,
            '{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}',
            {
              'retry-after': '42',
              'x-ratelimit-limit': '5000',
              'x-ratelimit-remaining': '4900',
              'x-ratelimit-reset': String(NOW_S + 3600),
            },
          ),
        );

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error).toBeInstanceOf(GithubRateLimitedError);
        expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 42 });
        expect(http.get).toHaveBeenCalledTimes(1);
      },
    );

    it('should prefer retry-after over the reset time when both are sent', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(
        httpError(403, '{"message":"API rate limit exceeded"}', {
          'retry-after': '7',
          ...spentBudget(NOW_S + 3600),
        }),
      );

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect((error as GithubRateLimitedError).retryAfterSeconds).toBe(7);
    });

    it.each([403, 429])(
      'should map a %i secondary rate limit message without retry-after to 60 seconds',
      async (status) => {
        // Arrange
        const { client, fail } = setup();
        fail(
          httpError(
            status,
            '{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}',
            {
              'x-ratelimit-limit': '5000',
              'x-ratelimit-remaining': '4900',
              'x-ratelimit-reset': String(NOW_S + 3600),
            },
          ),
        );

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error).toBeInstanceOf(GithubRateLimitedError);
        expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
      },
    );

    it('should make no call while a secondary limit lasts', async () => {
      // Arrange
      const { client, http, fail } = setup();
      fail(httpError(403, '{"message":"You have exceeded a secondary rate limit"}'));
      await rejectionOf(client.get('/users/octocat/repos'));

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it('should map a bare 429 to a secondary limit of 60 seconds', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(httpError(429, ''));

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
    });

    it.each([AxiosError.ECONNABORTED, AxiosError.ETIMEDOUT, AxiosError.ERR_CANCELED])(
      'should map %s to GithubTimeoutError, without retrying',
      async (code) => {
        // Arrange
        const { client, http, fail } = setup();
        fail(networkError(code));

        // Act
        const result = client.get('/users/octocat/repos');

        // Assert
        await expect(result).rejects.toBeInstanceOf(GithubTimeoutError);
        expect(http.get).toHaveBeenCalledTimes(1);
      },
    );

    it("should map axios's CanceledError from the deadline signal to GithubTimeoutError", async () => {
      // Arrange
      const { client, fail } = setup();
      fail(new CanceledError(undefined, requestConfig(), {}));

      // Act
      const result = client.get('/users/octocat/repos');

      // Assert
      await expect(result).rejects.toBeInstanceOf(GithubTimeoutError);
    });

    it.each(['ECONNRESET', 'ECONNREFUSED'])(
      'should map %s that persists to GithubBadGatewayError after three attempts',
      async (code) => {
        // Arrange
        const { client, http, fail } = setup();
        fail(networkError(code));
        fail(networkError(code));
        fail(networkError(code));

        // Act
        const result = client.get('/users/octocat/repos');

        // Assert
        await expect(result).rejects.toBeInstanceOf(GithubBadGatewayError);
        expect(http.get).toHaveBeenCalledTimes(3);
      },
    );

    it('should map an error that is not from axios to GithubBadGatewayError', async () => {
      // Arrange
      const { client, fail } = setup();
      const original = new RangeError('something odd');
      fail(original);

      // Act
      const error = await rejectionOf(client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubBadGatewayError);
      expect(error.cause).toBe(original);
    });

    describe('cause and secrecy', () => {
      const failures: [string, () => unknown][] = [
        ['404', () => httpError(404)],
        ['401', () => httpError(401, '{"message":"Bad credentials"}')],
        ['422', () => httpError(422)],
        ['429 retry-after', () => httpError(429, '', { 'retry-after': '5' })],
        [
          '403 secondary',
          () => httpError(403, '{"message":"You have exceeded a secondary rate limit"}'),
        ],
        ['ECONNABORTED', () => networkError('ECONNABORTED')],
        ['bare 429', () => httpError(429, '')],
        ['403 not a limit', () => httpError(403, '{"message":"Must have admin rights"}')],
      ];

      it.each(failures)('should keep the axios error as cause (%s)', async (_label, make) => {
        // Arrange
        const { client, fail } = setup({ tokens: [] });
        const original = make();
        fail(original);

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.cause).toBe(original);
      });

      it('should keep the last axios error as cause after retries', async () => {
        // Arrange
        const { client, fail } = setup();
        const last = networkError('ECONNRESET');
        fail(httpError(500));
        fail(httpError(502));
        fail(last);

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.cause).toBe(last);
      });

      it('should keep the axios error as cause when the only token is spent', async () => {
        // Arrange
        const { client, fail } = setup();
        const original = httpError(
          403,
          '{"message":"API rate limit exceeded"}',
          spentBudget(NOW_S + 60),
        );
        fail(original);

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.cause).toBe(original);
      });

      it.each([
        ...failures,
        ['403 primary', () => httpError(403, '{"message":"x"}', spentBudget(NOW_S + 60))],
      ])('should not put the token in the message (%s)', async (label, make) => {
        // Arrange
        const { client, fail } = setup();
        fail(make());
        if (label.startsWith('401')) {
          // The rejected token is dropped and the request retried without one.
          fail(make());
        }

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.message).not.toContain(TOKEN);
        expect(String(error)).not.toContain(TOKEN);
      });

      it('should not put the token in the message after retries', async () => {
        // Arrange
        const { client, fail } = setup();
        fail(httpError(500));
        fail(httpError(500));
        fail(httpError(500));

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.message).not.toContain(TOKEN);
      });

      it('should not put the token in the message for invalid JSON', async () => {
        // Arrange
        const { client, answer } = setup();
        answer(response(200, `not json ${TOKEN}`));

        // Act
        const error = await rejectionOf(client.get('/users/octocat/repos'));

        // Assert
        expect(error.message).not.toContain(TOKEN);
      });

      it('should not put the token or the URL in the message for a refused origin', async () => {
        // Arrange
        const { client } = setup();

        // Act
        const error = await rejectionOf(client.get('https://evil.example.com/steal'));

        // Assert
        expect(error.message).not.toContain(TOKEN);
        expect(error.message).not.toContain('evil.example.com');
      });
    });
  });

  describe('messages', () => {
    const messages: [string, (s: ReturnType<typeof setup>) => void, string, string][] = [
      [
        'a 404',
        (s) => s.fail(httpError(404)),
        '/users/nobody',
        'GitHub has no such user or resource',
      ],
      [
        'a 422',
        (s) => s.fail(httpError(422)),
        '/users/octocat',
        'GitHub refused the request (422)',
      ],
      [
        'a retry-after',
        (s) => s.fail(httpError(429, '', { 'retry-after': '30' })),
        '/users/octocat',
        'GitHub asked us to slow down (secondary rate limit)',
      ],
      [
        'a spent budget',
        (s) => s.fail(httpError(403, '{"message":"x"}', spentBudget(NOW_S + 60))),
        '/users/octocat',
        'GitHub rate limit exhausted',
      ],
      [
        'a bare 429',
        (s) => s.fail(httpError(429, '')),
        '/users/octocat',
        'GitHub rate limit reached',
      ],
      [
        'an error not from axios',
        (s) => s.fail(new RangeError('odd')),
        '/users/octocat',
        'GitHub request failed',
      ],
      [
        'a timeout',
        (s) => s.fail(networkError('ETIMEDOUT')),
        '/users/octocat',
        'GitHub did not answer within 5000 ms',
      ],
      [
        'a body that is not JSON',
        (s) => s.answer(response(200, 'nope')),
        '/users/octocat',
        'GitHub answered with a body that is not JSON',
      ],
      [
        'a link that is not a URL',
        () => undefined,
        'not a url',
        'GitHub pointed to something that is not a URL',
      ],
      [
        'a link outside the API',
        () => undefined,
        'https://evil.example.com/users/octocat',
        'GitHub pointed to a URL outside its API; refusing to follow it',
      ],
    ];

    it.each(messages)('should say what happened for %s', async (_label, arrange, path, message) => {
      // Arrange
      const s = setup();
      arrange(s);

      // Act
      const error = await rejectionOf(s.client.get(path));

      // Assert
      expect(error.message).toBe(message);
    });

    it('should say GitHub could not be reached when the connection keeps failing', async () => {
      // Arrange
      const { client, fail } = setup();
      skipBackoff();
      fail(networkError('ECONNRESET'));
      fail(networkError('ECONNRESET'));
      fail(networkError('ECONNRESET'));

      // Act
      const error = await rejectionOf(client.get('/users/octocat'));

      // Assert
      expect(error.message).toBe('GitHub could not be reached or dropped the connection');
    });
  });

  describe("a client's share of the budget", () => {
    /** Awaits the refusal of a request; any other outcome fails the test. */
    async function refusalOf(promise: Promise<unknown>): Promise<unknown> {
      const error: unknown = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ClientUpstreamBudgetError);
      return error;
    }

    /** Runs `task` as the requests of client `ip`, as the onRequest hook does. */
    function asClient<T>(s: ReturnType<typeof setup>, ip: string, task: () => Promise<T>) {
      return new Promise<T>((resolve, reject) =>
        s.clientBudget.runAs(ip, () => void task().then(resolve, reject)),
      );
    }

    it('should refuse, without a call, the first GitHub request of a client whose share is spent', async () => {
      // Arrange
      const s = setup();
      for (let i = 0; i < CLIENT_UPSTREAM_LIMIT; i++) {
        s.answer(response(200, '[]'));
        await asClient(s, '198.51.100.7', () => s.client.get(`/users/u${i}`));
      }

      // Act
      const error = await refusalOf(
        asClient(s, '198.51.100.7', () => s.client.get('/users/one-more')),
      );

      // Assert
      expect(error).toBeInstanceOf(ClientUpstreamBudgetError);
      expect(error).toMatchObject({ status: 429, retryAfterSeconds: 600 });
      expect(s.http.get).toHaveBeenCalledTimes(CLIENT_UPSTREAM_LIMIT);
    });

    it('should count every attempt, and charge no other client for it', async () => {
      // Arrange
      const s = setup();
      skipBackoff();
      s.fail(httpError(502));
      s.fail(httpError(502));
      s.answer(response(200, '[]'));
      await asClient(s, '198.51.100.7', () => s.client.get('/users/flaky'));

      // Act
      const spender = await refusalOf(
        asClient(s, '198.51.100.7', () => s.client.get('/users/next')),
      );
      s.answer(response(200, '[]'));
      const bystander = await asClient(s, '203.0.113.9', () => s.client.get('/users/next'));

      // Assert
      expect(spender).toBeInstanceOf(ClientUpstreamBudgetError);
      expect(bystander.status).toBe(200);
    });

    it('should send every page of a fan-out reserved before the limit, then refuse the next request', async () => {
      // Arrange
      const s = setup();
      const pages = CLIENT_UPSTREAM_LIMIT + 2;

      // Act: one client request reserves more pages than the whole share, then reads them
      const read = await asClient(s, '198.51.100.7', async () => {
        s.governor.admitFanOut(pages);
        const statuses: number[] = [];
        for (let page = 1; page <= pages; page++) {
          s.answer(response(200, '[]'));
          statuses.push((await s.client.get(`/users/big/repos?page=${page}`)).status);
        }
        return statuses;
      });
      const next = await refusalOf(asClient(s, '198.51.100.7', () => s.client.get('/users/x')));

      // Assert
      expect(read).toEqual(new Array(pages).fill(200));
      expect(next).toMatchObject({ status: 429 });
    });

    it('should refuse a fan-out whole, before any call, once the share is spent', async () => {
      // Arrange
      const s = setup();
      s.answer(response(200, '[]'));
      await asClient(s, '198.51.100.7', async () => {
        s.governor.admitFanOut(CLIENT_UPSTREAM_LIMIT);
        return s.client.get('/users/big/repos?page=1');
      });

      // Act: the share is spent (reserved whole by the first fan-out, one of its pages sent)
      const refused = await refusalOf(
        asClient(s, '198.51.100.7', () => Promise.resolve(s.governor.admitFanOut(5))),
      );

      // Assert
      expect(refused).toMatchObject({ status: 429 });
      expect(s.http.get).toHaveBeenCalledTimes(1);
    });

    it('should let requests in parallel start at most one fan-out past the limit', async () => {
      // Arrange: ten requests of one client, each a single request then a fan-out of 4 pages
      const s = setup();
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          asClient(s, '198.51.100.7', async () => {
            s.answer(response(200, '[]'));
            await s.client.get(`/users/u${i}`);
            s.governor.admitFanOut(4);
            return 'fan-out admitted';
          }).catch((error: unknown) => (error as Error).name),
        ),
      );

      // Assert: with a share of 3, three singles spend it before any fan-out can start, or one
      // fan-out starts on the last unit; never more
      const charged = outcomes.filter((o) => o === 'fan-out admitted').length;
      expect(charged).toBeLessThanOrEqual(1);
      expect(outcomes.filter((o) => o === 'ClientUpstreamBudgetError').length).toBeGreaterThan(0);
    });

    it("should charge no one for the service's own requests (no client's context)", async () => {
      // Arrange
      const s = setup();
      for (let i = 0; i <= CLIENT_UPSTREAM_LIMIT; i++) {
        s.answer(response(200, '[]'));
      }

      // Act
      for (let i = 0; i <= CLIENT_UPSTREAM_LIMIT; i++) {
        await s.client.get(`/users/u${i}`);
      }

      // Assert
      expect(s.http.get).toHaveBeenCalledTimes(CLIENT_UPSTREAM_LIMIT + 1);
    });
  });

  describe('pacing (GITHUB_MAX_REQUESTS_PER_MINUTE)', () => {
    it("should hold a request past the minute's allowance until its slot, then send it", async () => {
      // Arrange
      const s = setup({ maxRequestsPerMinute: 2, timeoutMs: 120_000 });
      const sleep = skipBackoff();
      [1, 2, 3].forEach(() => s.answer(response(200, '[]')));

      // Act
      for (let i = 0; i < 3; i++) {
        await s.client.get(`/users/u${i}`);
      }

      // Assert
      expect(s.http.get).toHaveBeenCalledTimes(3);
      const waits = sleep.mock.calls.map(([ms]) => ms as number);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(59_000);
      expect(waits[0]).toBeLessThanOrEqual(60_000);
    });

    it('should answer like a secondary limit, without a call, when the slot is further than a request may take', async () => {
      // Arrange
      const s = setup({ maxRequestsPerMinute: 1, timeoutMs: 5000 });
      s.answer(response(200, '[]'));
      await s.client.get('/users/first');

      // Act
      const error = await rejectionOf(s.client.get('/users/second'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect(error).toMatchObject({ kind: 'secondary' });
      expect(s.http.get).toHaveBeenCalledTimes(1);
    });
  });

  describe('budget and retries', () => {
    /** A first answer that leaves the token exactly at its reserve (50 of 5000). */
    function atReserve(s: ReturnType<typeof setup>): Promise<unknown> {
      s.answer(
        response(200, '[]', {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '50',
          'x-ratelimit-reset': String(NOW_S + 3600),
        }),
      );
      return s.client.get('/users/octocat/repos');
    }

    it.each<[string, { etag?: string; lastModified?: string }]>([
      ['an ETag', { etag: 'W/"abc"' }],
      ['a Last-Modified date', { lastModified: 'Sat, 01 Jun 2024 10:00:00 GMT' }],
    ])('should let a revalidation with %s use the reserve', async (_label, validators) => {
      // Arrange
      const s = setup();
      await atReserve(s);
      s.answer(response(304, ''));

      // Act
      const result = await s.client.get('/users/octocat/repos', {
        ...validators,
        tokenFingerprint: tokenFingerprint(TOKEN),
      });

      // Assert
      expect(result.status).toBe(304);
      expect(s.http.get).toHaveBeenCalledTimes(2);
    });

    it('should refuse a request without validators that would spend the reserve, making no call', async () => {
      // Arrange
      const s = setup();
      await atReserve(s);

      // Act
      const error = await rejectionOf(s.client.get('/users/octocat/repos'));

      // Assert
      expect(error).toBeInstanceOf(GithubRateLimitedError);
      expect(s.http.get).toHaveBeenCalledTimes(1);
    });

    it('should send validators on their own token, not on the one with the most budget', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup({ tokens: [TOKEN, OTHER_TOKEN] });
      answer(response(304, ''));

      // Act
      await client.get('/users/octocat/repos', {
        etag: 'W/"abc"',
        tokenFingerprint: tokenFingerprint(OTHER_TOKEN),
      });

      // Assert
      expect(sentConfig().headers).toMatchObject({
        Authorization: `Bearer ${OTHER_TOKEN}`,
        'If-None-Match': 'W/"abc"',
      });
    });

    it('should send no If-Modified-Since without validators', async () => {
      // Arrange
      const { client, answer, sentConfig } = setup();
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(sentConfig().headers).not.toHaveProperty('If-Modified-Since');
      expect(sentConfig().headers).not.toHaveProperty('If-None-Match');
    });

    it('should back off 100 ms, then 200 ms, each with up to 100 ms of jitter', async () => {
      // Arrange
      const { client, fail, answer } = setup();
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      const backoff = skipBackoff();
      fail(httpError(502));
      fail(httpError(502));
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(backoff.mock.calls.map(([ms]) => ms)).toEqual([150, 250]);
    });

    it('should retry a 5xx that carries retry-after, not read it as a rate limit', async () => {
      // Arrange
      const { client, http, fail, answer } = setup();
      skipBackoff();
      fail(httpError(503, 'upstream trouble', { 'retry-after': '5' }));
      answer(response(200, '[]'));

      // Act
      const result = await client.get('/users/octocat/repos');

      // Assert
      expect(result.status).toBe(200);
      expect(http.get).toHaveBeenCalledTimes(2);
    });

    it('should keep using the token after a 404', async () => {
      // Arrange
      const { client, fail, answer, sentConfig } = setup();
      fail(httpError(404));
      answer(response(200, '[]'));
      await rejectionOf(client.get('/users/nobody'));

      // Act
      await client.get('/users/octocat');

      // Assert
      expect(sentConfig(1).headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
    });

    it('should make no call while the pause of a bare 429 lasts', async () => {
      // Arrange
      const { client, http, fail } = setup();
      fail(httpError(429, ''));
      await rejectionOf(client.get('/users/octocat'));

      // Act
      const error = await rejectionOf(client.get('/users/octocat'));

      // Assert
      expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
      expect(http.get).toHaveBeenCalledTimes(1);
    });

    it('should not retry a secondary limit, even one that asks for no wait (retry-after: 0)', async () => {
      // Arrange
      const { client, http, fail } = setup();
      const original = httpError(429, '', { 'retry-after': '0' });
      fail(original);

      // Act
      const error = await rejectionOf(client.get('/users/octocat'));

      // Assert
      expect(error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 0 });
      expect(error.cause).toBe(original);
      expect(http.get).toHaveBeenCalledTimes(1);
    });
  });

  describe('observation', () => {
    const REMAINING_4999 = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(NOW_S + 3600),
    };

    it('should log one debug line and record one metric sample per answer, by templated path', async () => {
      // Arrange
      const { client, metrics, answer } = setup();
      answer(response(200, '[]', REMAINING_4999));
      jest.spyOn(performance, 'now').mockReturnValueOnce(1000).mockReturnValueOnce(1250);

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(debug).toHaveBeenCalledWith(
        {
          method: 'GET',
          route: '/users/:username/repos',
          status: 200,
          ms: 250,
          token: tokenFingerprint(TOKEN),
          remaining: 4999,
        },
        'GitHub request',
      );
      expect(await upstreamSamples(metrics)).toEqual({
        requests: [{ route: '/users/:username/repos', status: '200', count: 1 }],
        seconds: 0.25,
      });
    });

    it('should log and count a request GitHub never answered as status error', async () => {
      // Arrange
      const { client, metrics, fail } = setup();
      fail(networkError('ETIMEDOUT'));

      // Act
      await rejectionOf(client.get('/users/octocat'));

      // Assert
      expect(debug).toHaveBeenCalledWith(
        expect.objectContaining({
          route: '/users/:username',
          status: 'error',
          remaining: undefined,
        }),
        'GitHub request',
      );
      expect((await upstreamSamples(metrics)).requests).toEqual([
        { route: '/users/:username', status: 'error', count: 1 },
      ]);
    });

    describe('deprecation notices', () => {
      const DEPRECATED = {
        deprecation: '@1773273600',
        sunset: 'Fri, 10 Mar 2028 00:00:00 GMT',
        'x-github-api-version-selected': '2022-11-28',
      };
      const deprecatedSamples = async (metrics: MetricsService) =>
        (
          await metrics.registry.getSingleMetric('github_deprecated_answers_total')?.get()
        )?.values.map(({ labels, value }) => ({ ...labels, count: value }));
      const warnings = () =>
        jest
          .mocked(Logger.prototype.warn)
          .mock.calls.filter(([, message]) => String(message).includes('deprecation notice'));

      it('should count every answer with Deprecation or Sunset by templated path, and warn once per route', async () => {
        // Arrange
        const { client, metrics, answer, fail } = setup();
        answer(response(200, '[]', DEPRECATED));
        answer(response(200, '[]', DEPRECATED));
        answer(response(200, '{}', { sunset: DEPRECATED.sunset }));
        fail(httpError(404, '{"message":"Not Found"}', { deprecation: DEPRECATED.deprecation }));

        // Act
        await client.get('/users/octocat/repos');
        await client.get('/users/other/repos?page=2');
        await client.get('/users/octocat');
        await rejectionOf(client.get('/repos/octocat/gone'));

        // Assert
        expect(await deprecatedSamples(metrics)).toEqual([
          { route: '/users/:username/repos', count: 2 },
          { route: '/users/:username', count: 1 },
          { route: '/repos/:owner/:repo', count: 1 },
        ]);
        expect(warnings()).toEqual([
          [
            {
              route: '/users/:username/repos',
              requestedVersion: '2026-03-10',
              selectedVersion: '2022-11-28',
              deprecation: '@1773273600',
              sunset: 'Fri, 10 Mar 2028 00:00:00 GMT',
            },
            expect.stringContaining('once per route'),
          ],
          [
            expect.objectContaining({ route: '/users/:username', sunset: DEPRECATED.sunset }),
            expect.any(String),
          ],
          [
            expect.objectContaining({ route: '/repos/:owner/:repo', deprecation: '@1773273600' }),
            expect.any(String),
          ],
        ]);
        expect(JSON.stringify(warnings())).not.toContain(TOKEN);
      });

      it('should neither count nor warn for an answer without them', async () => {
        // Arrange
        const { client, metrics, answer } = setup();
        answer(response(200, '[]', { 'x-github-api-version-selected': '2026-03-10' }));

        // Act
        await client.get('/users/octocat/repos');

        // Assert
        expect(await deprecatedSamples(metrics)).toEqual([]);
        expect(warnings()).toEqual([]);
      });

      it('should cut a header value longer than a date in the log line', async () => {
        // Arrange
        const { client, answer } = setup();
        answer(response(200, '[]', { deprecation: 'x'.repeat(5000) }));

        // Act
        await client.get('/users/octocat/repos');

        // Assert
        expect(warnings()[0][0]).toMatchObject({ deprecation: 'x'.repeat(200) });
      });
    });

    it('should name the route without the path prefix of an Enterprise API root', async () => {
      // Arrange
      const { client, answer } = setup({ apiUrl: 'https://ghe.example.com/api/v3' });
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat/repos');

      // Assert
      expect(debug).toHaveBeenCalledWith(
        expect.objectContaining({ route: '/users/:username/repos' }),
        'GitHub request',
      );
    });
  });

  describe('tracing', () => {
    let spans: ReturnType<typeof recordSpans>;

    beforeEach(() => {
      spans = recordSpans();
    });

    afterEach(async () => {
      await spans.stop();
    });

    it.each([
      [API, 'api.github.com', 443],
      ['http://ghe.example.com/api/v3', 'ghe.example.com', 80],
      ['https://ghe.example.com:8443/api/v3', 'ghe.example.com', 8443],
    ])(
      'should send each request to %s in a CLIENT span named by its templated path',
      async (apiUrl, address, port) => {
        // Arrange
        const { client, answer } = setup({ apiUrl });
        answer(response(200, '[]'));

        // Act
        await client.get('/users/octocat/repos');

        // Assert
        const [span] = await spans.finished();
        expect(span.name).toBe('GET /users/:username/repos');
        expect(span.kind).toBe(SpanKind.CLIENT);
        expect(span.attributes).toEqual({
          'http.request.method': 'GET',
          'url.template': '/users/:username/repos',
          'server.address': address,
          'server.port': port,
          'github.token.fingerprint': tokenFingerprint(TOKEN),
          'http.response.status_code': 200,
        });
      },
    );

    it("should mark a span failed with GitHub's status when it answered an error", async () => {
      // Arrange
      const { client, fail } = setup();
      fail(httpError(404));

      // Act
      await rejectionOf(client.get('/users/nobody'));

      // Assert
      const [span] = await spans.finished();
      expect(span.attributes).toMatchObject({
        'http.response.status_code': 404,
        'error.type': '404',
      });
    });

    it('should mark a span failed with the network error code, and no status, when GitHub never answered', async () => {
      // Arrange
      const { client, fail } = setup();
      fail(networkError('ETIMEDOUT'));

      // Act
      const error = await rejectionOf(client.get('/users/octocat'));

      // Assert
      expect(error).toBeInstanceOf(GithubTimeoutError);
      const [span] = await spans.finished();
      expect(span.attributes['error.type']).toBe('ETIMEDOUT');
      expect(span.attributes).not.toHaveProperty('http.response.status_code');
    });

    it.each<[string, () => unknown, string]>([
      ['an axios error without a code', () => new AxiosError('socket hang up'), 'AxiosError'],
      ['an error of another class', () => new RangeError('odd'), 'RangeError'],
      ['something that is not an Error', () => 'odd', 'Error'],
    ])('should name the error type of %s', async (_label, make, type) => {
      // Arrange
      const { client, fail, answer } = setup();
      skipBackoff();
      fail(make());
      answer(response(200, '[]'));

      // Act
      await client.get('/users/octocat').catch(() => undefined);

      // Assert
      expect((await spans.finished())[0].attributes['error.type']).toBe(type);
    });

    it('should name the error type of a body that is not JSON by our error class', async () => {
      // Arrange
      const { client, answer } = setup();
      answer(response(200, 'nope'));

      // Act
      await rejectionOf(client.get('/users/octocat'));

      // Assert
      const [span] = await spans.finished();
      expect(span.attributes).toMatchObject({
        'http.response.status_code': 200,
        'error.type': 'GithubBadGatewayError',
      });
    });
  });

  describe('over a real socket', () => {
    let server: Server;
    let apiUrl: string;

    beforeAll(async () => {
      server = createServer((req, res) => {
        const status = Number(/answer-(\d+)/.exec(req.url ?? '')?.[1]);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 304 ? undefined : `{"status":${status}}`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('should decode a 200 body', async () => {
      // Arrange
      const { client } = setup({ apiUrl }, new HttpService());

      // Act
      const result = await client.get('/users/answer-200');

      // Assert
      expect(result).toMatchObject({ status: 200, body: { status: 200 } });
    });

    it('should answer a 304 as not modified', async () => {
      // Arrange
      const { client } = setup({ apiUrl }, new HttpService());

      // Act
      const result = await client.get('/users/answer-304', {
        etag: 'W/"abc"',
        tokenFingerprint: tokenFingerprint(TOKEN),
      });

      // Assert
      expect(result).toMatchObject({ status: 304, body: undefined, etag: 'W/"abc"' });
    });

    it.each([
      [300, GithubBadGatewayError],
      [404, GithubNotFoundError],
    ])('should reject a %i', async (status, type) => {
      // Arrange
      const { client } = setup({ apiUrl }, new HttpService());

      // Act
      const error = await rejectionOf(client.get(`/users/answer-${status}`));

      // Assert
      expect(error).toBeInstanceOf(type);
    });
  });

  describe('refreshBudget', () => {
    const RATE_LIMIT_BODY = JSON.stringify({
      resources: { core: { limit: 5000, used: 679, remaining: 4321, reset: NOW_S + 600 } },
    });
    const ESTIMATE = {
      fingerprint: tokenFingerprint(TOKEN),
      limit: 5000,
      remaining: 5000,
      reset: 0,
      estimated: true,
    };
    const couldNotRead = () =>
      debug.mock.calls.filter(([, message]) => message === 'Could not read /rate_limit');

    it("should record the core budget of GitHub's /rate_limit, sent with the token", async () => {
      // Arrange
      const { client, http, governor, answer, sentConfig } = setup();
      answer(response(200, RATE_LIMIT_BODY));

      // Act
      await client.refreshBudget(tokenFingerprint(TOKEN));

      // Assert
      expect(http.get.mock.calls[0][0]).toBe(`${API}/rate_limit`);
      expect(sentConfig().headers).toMatchObject({ Authorization: `Bearer ${TOKEN}` });
      expect(governor.budgets()).toEqual([
        { ...ESTIMATE, remaining: 4321, reset: NOW_S + 600, estimated: false },
      ]);
      expect(couldNotRead()).toEqual([]);
    });

    it.each([
      ['null', 'null'],
      ['no resources', '{}'],
      ['no core', '{"resources":{}}'],
      ['no limit', `{"resources":{"core":{"remaining":1,"reset":${NOW_S + 600}}}}`],
      ['no remaining', `{"resources":{"core":{"limit":5000,"reset":${NOW_S + 600}}}}`],
      ['no reset', '{"resources":{"core":{"limit":5000,"remaining":1}}}'],
      [
        'a text limit',
        `{"resources":{"core":{"limit":"5000","remaining":1,"reset":${NOW_S + 600}}}}`,
      ],
    ])('should keep the estimate when the body has %s', async (_label, body) => {
      // Arrange
      const { client, governor, answer } = setup();
      answer(response(200, body));

      // Act
      await client.refreshBudget(tokenFingerprint(TOKEN));

      // Assert
      expect(governor.budgets()).toEqual([ESTIMATE]);
      expect(couldNotRead()).toEqual([]);
    });

    it.each([
      ['an axios error', () => networkError('ECONNRESET'), 'AxiosError'],
      ['something that is not an Error', () => 'odd', 'unknown'],
    ])('should log %s at debug, once, and not throw', async (_label, make, name) => {
      // Arrange
      const { client, http, governor, fail } = setup();
      fail(make());

      // Act
      await client.refreshBudget(tokenFingerprint(TOKEN));

      // Assert
      expect(couldNotRead()).toEqual([
        [{ token: tokenFingerprint(TOKEN), error: name }, 'Could not read /rate_limit'],
      ]);
      expect(http.get).toHaveBeenCalledTimes(1);
      expect(governor.budgets()).toEqual([ESTIMATE]);
    });

    it.each([
      ['while a secondary limit pauses', tokenFingerprint(TOKEN), 60],
      ['for a credential it does not know', 'tok_unknown00', 0],
    ])('should make no call %s', async (_label, fingerprint, pauseSeconds) => {
      // Arrange
      const { client, http, governor } = setup();
      governor.pause(pauseSeconds);

      // Act
      await client.refreshBudget(fingerprint);

      // Assert
      expect(http.get).not.toHaveBeenCalled();
      expect(couldNotRead()).toEqual([]);
    });
  });
});
