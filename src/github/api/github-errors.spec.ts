import { ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter } from '../../common/problem-details.filter';
import {
  GithubBadGatewayError,
  GithubError,
  GithubForbiddenError,
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
  // Classes, not instances: each error is built while its test runs, not while Jest collects it.
  it.each<[number, string, string, new (message: string) => GithubError]>([
    [404, 'not-found', 'Not Found', GithubNotFoundError],
    [502, 'upstream-failure', 'Bad Gateway', GithubBadGatewayError],
    [504, 'upstream-timeout', 'Gateway Timeout', GithubTimeoutError],
    [502, 'upstream-failure', 'Bad Gateway', GithubForbiddenError],
  ])('should make a %i %s problem, with no Retry-After', (status, slug, title, ErrorClass) => {
    // Arrange
    const error = new ErrorClass('GitHub said no');

    // Act
    const problem = problemFor(error);

    // Assert
    expect(error.name).toBe(ErrorClass.name);
    expect(String(error)).toBe(`${ErrorClass.name}: GitHub said no`);
    expect(problem.status).toBe(status);
    expect(problem.headers['retry-after']).toBeUndefined();
    expect(problem.body).toEqual({
      type: `urn:github-dashboard:problem:${slug}`,
      title,
      status,
      detail: 'GitHub said no',
      instance: '/github/repos/octocat',
    });
  });

  it('should make a rate limit a 503 with Retry-After and retryAfter', () => {
    // Arrange
    const error = new GithubRateLimitedError('GitHub rate limit exhausted', 1800, 'primary');

    // Act
    const problem = problemFor(error);

    // Assert
    expect(error.name).toBe('GithubRateLimitedError');
    expect(problem.status).toBe(503);
    expect(problem.headers['retry-after']).toBe('1800');
    expect(problem.body).toMatchObject({
      type: 'urn:github-dashboard:problem:rate-limited',
      title: 'GitHub rate limit reached',
      retryAfter: 1800,
    });
  });
});
