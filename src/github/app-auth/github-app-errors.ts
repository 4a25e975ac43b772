import { GithubError } from '../api/github-errors';

/**
 * GitHub refused the App itself (a 401 on its JWT: a wrong or revoked private key, a wrong App id)
 * and no other credential is left. Nothing that needs GitHub can be answered until an operator
 * fixes the key; cached answers still are.
 */
export class GithubAppRefusedError extends GithubError {
  override readonly name = 'GithubAppRefusedError';
  readonly status = 503;
  readonly title = 'GitHub refused the service credentials';
  readonly slug = 'github-credentials-refused';
}

/** The installation is gone (uninstalled, suspended): GitHub answers 404 or 403 for its tokens. */
export class GithubInstallationGoneError extends Error {
  override readonly name = 'GithubInstallationGoneError';

  constructor(
    readonly installationId: number,
    options?: ErrorOptions,
  ) {
    super(`GitHub App installation ${installationId} is gone or suspended`, options);
  }
}
