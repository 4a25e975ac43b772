import { ProblemError } from '../../common/problem-error';

/**
 * What can go wrong upstream, in our own terms. The GitHub client throws only these (with the
 * original error as `cause`); as problem errors, the problem-details filter turns each into a
 * status and a body.
 */
export abstract class GithubError extends ProblemError {}

export class GithubNotFoundError extends GithubError {
  override readonly name = 'GithubNotFoundError';
  readonly status = 404;
  readonly title = 'Not Found';
  readonly slug = 'not-found';
}

/** Primary or secondary rate limit: nothing more may be asked of GitHub for `retryAfterSeconds`. */
export class GithubRateLimitedError extends GithubError {
  override readonly name = 'GithubRateLimitedError';
  readonly status = 503;
  readonly title = 'GitHub rate limit reached';
  readonly slug = 'rate-limited';

  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
    readonly kind: 'primary' | 'secondary',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** GitHub answered with a 5xx, garbage, an unexpected status, or dropped the connection. */
export class GithubBadGatewayError extends GithubError {
  override readonly name: string = 'GithubBadGatewayError';
  readonly status = 502;
  readonly title = 'Bad Gateway';
  readonly slug = 'upstream-failure';
}

export class GithubTimeoutError extends GithubError {
  override readonly name = 'GithubTimeoutError';
  readonly status = 504;
  readonly title = 'Gateway Timeout';
  readonly slug = 'upstream-timeout';
}

/**
 * A 403 that is not a rate limit: this token may not read the resource (since July 2026, a
 * repository's stargazer list for anyone but its admins and collaborators). Still a 502 where a
 * route does not expect it; never pauses the governor or slows anything else.
 */
export class GithubForbiddenError extends GithubBadGatewayError {
  override readonly name: string = 'GithubForbiddenError';
}
