import type { components } from '@octokit/openapi-types';
import { GithubBadGatewayError } from '../api/github-errors';
import { Profile } from '../accounts/profile.model';

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

/** Maps GitHub's `/users/{username}` body, refusing anything that is not an account. */
export function toProfile(body: unknown): Profile {
  // What GitHub documents; typed only to name its fields, each is still checked before use.
  const account = body as Partial<components['schemas']['public-user']> | null;
  if (
    typeof account !== 'object' ||
    account === null ||
    typeof account.login !== 'string' ||
    typeof account.html_url !== 'string'
  ) {
    throw new GithubBadGatewayError('GitHub answered with something that is not an account');
  }
  return {
    login: account.login,
    name: text(account.name),
    avatarUrl: typeof account.avatar_url === 'string' ? account.avatar_url : '',
    url: account.html_url,
    type: account.type === 'Organization' ? 'Organization' : 'User',
    bio: text(account.bio),
    company: text(account.company),
    blog: text(account.blog),
    location: text(account.location),
    publicRepos: count(account.public_repos),
    followers: count(account.followers),
    following: count(account.following),
    createdAt: typeof account.created_at === 'string' ? account.created_at : '',
  };
}
