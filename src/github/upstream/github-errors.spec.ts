import { ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter } from '../../common/problem-details.filter';
import {
  GithubBadGatewayError,
  GithubError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from './github-errors';

/** What the shared problem filter sends for one error: status, headers and body. */
function problemFor(error: GithubError): {
  status?: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const sent: { status?: number; headers: Record<string, string>; body: string } = {
    headers: {},
    body: '',
  };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return reply;
    },
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({ url: '/github/repos/octocat' }),
      getResponse: () => reply,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(error, host);
  return { ...sent, body: JSON.parse(sent.body) as Record<string, unknown> };
}

describe(GithubError.name, () => {
  it.each<[GithubError, number, string, string]>([
    [new GithubNotFoundError('GitHub has no such user or resource'), 404, 'not-found', 'Not Found'],
    [new GithubBadGatewayError('GitHub answered 500'), 502, 'upstream-failure', 'Bad Gateway'],
    [new GithubTimeoutError('late'), 504, 'upstream-timeout', 'Gateway Timeout'],
  ])('should make %p a %i problem with no Retry-After', (error, status, slug, title) => {
    // Act
    const problem = problemFor(error);

    // Assert
    expect(problem.status).toBe(status);
    expect(problem.headers['retry-after']).toBeUndefined();
    expect(problem.body).toEqual({
      type: `urn:github-dashboard:problem:${slug}`,
      title,
      status,
      detail: error.message,
      instance: '/github/repos/octocat',
    });
  });

  it('should make a rate limit a 503 with Retry-After and retryAfter', () => {
    // Act
    const problem = problemFor(
      new GithubRateLimitedError('GitHub rate limit exhausted', 1800, 'primary'),
    );

    // Assert
    expect(problem.status).toBe(503);
    expect(problem.headers['retry-after']).toBe('1800');
    expect(problem.body).toMatchObject({
      type: 'urn:github-dashboard:problem:rate-limited',
      title: 'GitHub rate limit reached',
      retryAfter: 1800,
    });
  });
});
