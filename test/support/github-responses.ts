import { GithubResponse } from '../../src/github/upstream/github-client.service';

/** GitHub's 200 as the client hands it on, for unit specs: ETag `"v1"`, from token `tok_a`. */
export function githubOk(body: unknown, extra: Partial<GithubResponse> = {}): GithubResponse {
  return { status: 200, body, links: {}, etag: '"v1"', tokenFingerprint: 'tok_a', ...extra };
}

/** GitHub's 304 as the client hands it on, for unit specs: no body, ETag `"v1"`, token `tok_a`. */
export function githubNotModified(extra: Partial<GithubResponse> = {}): GithubResponse {
  return {
    status: 304,
    body: undefined,
    links: {},
    etag: '"v1"',
    tokenFingerprint: 'tok_a',
    ...extra,
  };
}
