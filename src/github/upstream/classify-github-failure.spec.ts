import { AxiosError, AxiosHeaders, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { classifyGithubFailure, FailedAttempt, GithubFailure } from './classify-github-failure';
import {
  GithubBadGatewayError,
  GithubForbiddenError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from '../api/github-errors';

const WITH_TOKEN: FailedAttempt = { timeoutMs: 10_000, withToken: true };
const ANONYMOUS: FailedAttempt = { timeoutMs: 10_000, withToken: false };

function httpError(status: number, data = '{"message":"error"}', headers = {}): AxiosError {
  const config: InternalAxiosRequestConfig = { headers: new AxiosHeaders() };
  const response: AxiosResponse<string> = {
    status,
    statusText: '',
    data,
    headers: new AxiosHeaders(headers),
    config,
  };
  return new AxiosError(`Request failed with status code ${status}`, 'ERR', config, {}, response);
}

function networkError(code: string): AxiosError {
  return new AxiosError(`connect ${code} 140.82.121.6:443`, code);
}

/** The decision without its error, to compare in one assertion. */
function decision({ error, ...rest }: GithubFailure) {
  return { ...rest, name: error.name, message: error.message };
}

describe(classifyGithubFailure.name, () => {
  it('should keep one of our own errors as it is, without a retry', () => {
    const own = new GithubBadGatewayError('GitHub answered with a body that is not JSON');

    const failure = classifyGithubFailure(own, WITH_TOKEN);

    expect(failure).toEqual({ error: own, dropToken: false, retry: 'no' });
  });

  it('should advise a retry while budget is left for our own primary-limit error', () => {
    const own = new GithubRateLimitedError('spent', 30, 'primary');

    expect(classifyGithubFailure(own, WITH_TOKEN).retry).toBe('if-budget-left');
  });

  it('should not retry our own secondary-limit error (the pacer refusing a request)', () => {
    const own = new GithubRateLimitedError('too fast', 30, 'secondary');

    expect(classifyGithubFailure(own, WITH_TOKEN).retry).toBe('no');
  });

  it('should map something that is not axios to a bad gateway with it as cause', () => {
    const thrown = new TypeError('boom');

    const failure = classifyGithubFailure(thrown, WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubBadGatewayError);
    expect(failure.error.cause).toBe(thrown);
    expect(decision(failure)).toMatchObject({ retry: 'no', message: 'GitHub request failed' });
  });

  it('should map a GitHub 404 to not found, without a retry', () => {
    const failure = classifyGithubFailure(httpError(404), WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubNotFoundError);
    expect(decision(failure)).toEqual({
      dropToken: false,
      retry: 'no',
      name: 'GithubNotFoundError',
      message: 'GitHub has no such user or resource',
    });
  });

  it('should drop the token and retry when GitHub refuses it with a 401', () => {
    const cause = httpError(401);

    const failure = classifyGithubFailure(cause, WITH_TOKEN);

    expect(failure.error.cause).toBe(cause);
    expect(decision(failure)).toEqual({
      dropToken: true,
      retry: 'yes',
      name: 'GithubBadGatewayError',
      message: 'GitHub refused the request (401)',
    });
  });

  it('should neither drop nor retry on a 401 to an anonymous request', () => {
    const failure = classifyGithubFailure(httpError(401), ANONYMOUS);

    expect(decision(failure)).toEqual({
      dropToken: false,
      retry: 'no',
      name: 'GithubBadGatewayError',
      message: 'GitHub refused the request (401)',
    });
  });

  it('should pause for retry-after on a 403 that names one (secondary limit)', () => {
    const failure = classifyGithubFailure(httpError(403, '{}', { 'retry-after': '42' }), ANONYMOUS);

    expect(failure.error).toBeInstanceOf(GithubRateLimitedError);
    expect(failure.error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 42 });
    expect(decision(failure)).toMatchObject({ pauseSeconds: 42, retry: 'no', dropToken: false });
  });

  it('should pause a minute on a secondary limit that names no wait', () => {
    const body = '{"message":"You have exceeded a secondary rate limit."}';

    const failure = classifyGithubFailure(httpError(403, body), WITH_TOKEN);

    expect(failure.error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
    expect(decision(failure)).toMatchObject({
      pauseSeconds: 60,
      retry: 'no',
      message: 'GitHub asked us to slow down (secondary rate limit)',
    });
  });

  it('should read a spent budget as a primary limit until its reset, without a pause', () => {
    const resetS = Math.floor(Date.now() / 1000) + 120;
    const headers = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetS),
    };

    const failure = classifyGithubFailure(httpError(403, '{}', headers), WITH_TOKEN);

    expect(failure.error).toMatchObject({
      kind: 'primary',
      message: 'GitHub rate limit exhausted',
    });
    expect((failure.error as GithubRateLimitedError).retryAfterSeconds).toBeGreaterThan(100);
    expect(failure.pauseSeconds).toBeUndefined();
    expect(failure.retry).toBe('if-budget-left');
  });

  it('should read a 403 that speaks of a rate limit as a secondary limit of a minute', () => {
    const body = '{"message":"API rate limit exceeded"}';

    const failure = classifyGithubFailure(httpError(403, body), WITH_TOKEN);

    expect(failure.error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
    expect(decision(failure)).toMatchObject({
      pauseSeconds: 60,
      retry: 'no',
      message: 'GitHub rate limit reached',
    });
  });

  it('should read a bare 429 as a secondary limit of a minute', () => {
    const failure = classifyGithubFailure(httpError(429, ''), WITH_TOKEN);

    expect(failure.error).toMatchObject({ kind: 'secondary', retryAfterSeconds: 60 });
    expect(failure.pauseSeconds).toBe(60);
  });

  it('should map a 403 that is no rate limit to forbidden, pausing nothing', () => {
    const body = '{"message":"Must have push access to view repository collaborators."}';

    const failure = classifyGithubFailure(httpError(403, body), WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubForbiddenError);
    expect(decision(failure)).toEqual({
      dropToken: false,
      retry: 'no',
      name: 'GithubForbiddenError',
      message: 'GitHub refused this token access (403)',
    });
  });

  it.each([500, 502, 503])('should map a GitHub %i to a bad gateway worth a retry', (status) => {
    const failure = classifyGithubFailure(httpError(status), WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubBadGatewayError);
    expect(decision(failure)).toMatchObject({ retry: 'yes', message: `GitHub answered ${status}` });
  });

  it.each([400, 422])('should map a GitHub %i to a bad gateway without a retry', (status) => {
    const failure = classifyGithubFailure(httpError(status), WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubBadGatewayError);
    expect(decision(failure)).toMatchObject({
      retry: 'no',
      message: `GitHub refused the request (${status})`,
    });
  });

  it.each(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED'])(
    'should map %s to a timeout naming the deadline, without a retry',
    (code) => {
      const cause = networkError(code);

      const failure = classifyGithubFailure(cause, { timeoutMs: 2_500, withToken: true });

      expect(failure.error).toBeInstanceOf(GithubTimeoutError);
      expect(failure.error.cause).toBe(cause);
      expect(decision(failure)).toMatchObject({
        retry: 'no',
        message: 'GitHub did not answer within 2500 ms',
      });
    },
  );

  it('should map a dropped connection to a bad gateway worth a retry', () => {
    const failure = classifyGithubFailure(networkError('ECONNRESET'), WITH_TOKEN);

    expect(failure.error).toBeInstanceOf(GithubBadGatewayError);
    expect(decision(failure)).toMatchObject({
      dropToken: false,
      retry: 'yes',
      message: 'GitHub could not be reached or dropped the connection',
    });
  });
});
