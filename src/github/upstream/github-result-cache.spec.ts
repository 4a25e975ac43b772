import {
  GithubBadGatewayError,
  GithubNotFoundError,
  GithubRateLimitedError,
  GithubTimeoutError,
} from './github-errors';
import { GITHUB_LOAD_FAILURES } from './github-result-cache';

describe('GITHUB_LOAD_FAILURES', () => {
  it('should read only a GitHub 404 as not found', () => {
    expect(GITHUB_LOAD_FAILURES.isNotFound(new GithubNotFoundError('gone'))).toBe(true);
    expect(GITHUB_LOAD_FAILURES.isNotFound(new GithubBadGatewayError('502'))).toBe(false);
    expect(GITHUB_LOAD_FAILURES.isNotFound(new Error('other'))).toBe(false);
  });

  it('should answer a remembered not-found as a GitHub 404', () => {
    const error = GITHUB_LOAD_FAILURES.notFound();

    expect(error).toBeInstanceOf(GithubNotFoundError);
    expect(error.message).toBe('GitHub has no such user or resource');
  });

  it.each([
    ['a rate limit', new GithubRateLimitedError('spent', 60, 'primary'), true],
    ['a 5xx', new GithubBadGatewayError('502'), true],
    ['a timeout', new GithubTimeoutError('slow'), true],
    ['an error of ours', new TypeError('bug'), false],
  ])('should let the last good value stand in for %s: %s', (_case, error, expected) => {
    expect(GITHUB_LOAD_FAILURES.canServeStale(error)).toBe(expected);
  });
});
