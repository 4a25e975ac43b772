import { AxiosError, AxiosResponse, isAxiosError } from 'axios';
import {
  GithubBadGatewayError,
  GithubError,
  GithubForbiddenError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from '../api/github-errors';
import { readRateLimit, readRetryAfter, secondsUntil } from './rate-limit-headers';

/** GitHub's advice when a secondary limit names no wait: at least a minute. */
export const SECONDARY_LIMIT_DEFAULT_WAIT_SECONDS = 60;

/** What the request that failed was sent with. */
export interface FailedAttempt {
  /** The deadline it had, named in a timeout's message. */
  timeoutMs: number;
  /** It carried a token (not an anonymous request): a 401 then means that token is dead. */
  withToken: boolean;
}

/**
 * Whether another attempt may succeed: `yes` (5xx, a dropped connection, a refused token while
 * others remain), `if-budget-left` (a primary limit: only if another token still has budget, so
 * that with one token the answer keeps GitHub's own response as its cause), or `no`.
 */
export type RetryAdvice = 'yes' | 'if-budget-left' | 'no';

/** One failed GitHub request, read: our error, what the governor must do, and whether to retry. */
export interface GithubFailure {
  error: GithubError;
  /** GitHub refused the token (401): the governor drops it. */
  dropToken: boolean;
  /** GitHub asked us to slow down (a secondary limit): the governor pauses every token this long. */
  pauseSeconds?: number;
  retry: RetryAdvice;
}

/**
 * Turns whatever a GitHub request threw (an axios error with or without GitHub's answer, one of our
 * own errors, anything else) into our error with the original as `cause`, and says what it means
 * for the governor and for a retry. Pure: the client applies the decision.
 */
export function classifyGithubFailure(error: unknown, attempt: FailedAttempt): GithubFailure {
  if (error instanceof GithubError) {
    const primaryLimit = error instanceof GithubRateLimitedError && error.kind === 'primary';
    return { error, dropToken: false, retry: primaryLimit ? 'if-budget-left' : 'no' };
  }
  if (!isAxiosError(error)) {
    return failure(new GithubBadGatewayError('GitHub request failed', { cause: error }), 'no');
  }
  if (error.response) {
    return fromStatus(error.response, error, attempt);
  }
  if (isTimeout(error)) {
    // A second try would double the wait.
    const message = `GitHub did not answer within ${attempt.timeoutMs} ms`;
    return failure(new GithubTimeoutError(message, { cause: error }), 'no');
  }
  const message = 'GitHub could not be reached or dropped the connection';
  return failure(new GithubBadGatewayError(message, { cause: error }), 'yes');
}

function fromStatus(
  response: AxiosResponse,
  cause: AxiosError,
  attempt: FailedAttempt,
): GithubFailure {
  const { status } = response;
  if (status === 404) {
    return failure(new GithubNotFoundError('GitHub has no such user or resource', { cause }), 'no');
  }
  if (status === 401 && attempt.withToken) {
    // The token is dead and is dropped; another one may serve.
    const refused = new GithubBadGatewayError('GitHub refused the request (401)', { cause });
    return { error: refused, dropToken: true, retry: 'yes' };
  }
  if (status === 403 || status === 429) {
    const limited = asRateLimit(response, cause);
    if (limited) {
      return limited;
    }
  }
  if (status === 403) {
    // Not a rate limit (checked above): this token may not read the resource. Nothing pauses.
    const forbidden = new GithubForbiddenError('GitHub refused this token access (403)', { cause });
    return failure(forbidden, 'no');
  }
  if (status >= 500) {
    return failure(new GithubBadGatewayError(`GitHub answered ${status}`, { cause }), 'yes');
  }
  // An anonymous 401, 403 without a limit, 422...: our request or credentials are wrong, which the
  // client cannot fix; report the gateway failure without detail.
  return failure(
    new GithubBadGatewayError(`GitHub refused the request (${status})`, { cause }),
    'no',
  );
}

/** GitHub's documented order: `retry-after`, then `x-ratelimit-reset`, else at least a minute. */
function asRateLimit(response: AxiosResponse, cause: AxiosError): GithubFailure | undefined {
  const headers = response.headers;
  const retryAfter = readRetryAfter(headers);
  const rateLimit = readRateLimit(headers);
  const message = typeof response.data === 'string' ? response.data.toLowerCase() : '';
  if (retryAfter !== undefined || message.includes('secondary rate limit')) {
    const seconds = retryAfter ?? SECONDARY_LIMIT_DEFAULT_WAIT_SECONDS;
    const error = new GithubRateLimitedError(
      'GitHub asked us to slow down (secondary rate limit)',
      seconds,
      'secondary',
      { cause },
    );
    return { error, dropToken: false, pauseSeconds: seconds, retry: 'no' };
  }
  if (rateLimit?.remaining === 0) {
    // Only this token is spent (the governor rests it from the headers); others may still serve.
    const error = new GithubRateLimitedError(
      'GitHub rate limit exhausted',
      secondsUntil(rateLimit.reset),
      'primary',
      { cause },
    );
    return failure(error, 'if-budget-left');
  }
  if (message.includes('rate limit') || response.status === 429) {
    const seconds = SECONDARY_LIMIT_DEFAULT_WAIT_SECONDS;
    const error = new GithubRateLimitedError('GitHub rate limit reached', seconds, 'secondary', {
      cause,
    });
    return { error, dropToken: false, pauseSeconds: seconds, retry: 'no' };
  }
  return undefined;
}

function failure(error: GithubError, retry: RetryAdvice): GithubFailure {
  return { error, dropToken: false, retry };
}

function isTimeout(error: AxiosError): boolean {
  return (
    error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT' || error.code === 'ERR_CANCELED'
  );
}
