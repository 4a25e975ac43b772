import type { components } from '@octokit/openapi-types';
import { GITHUB_API_ORIGIN } from './github-json';

type AccountUrls = Pick<
  components['schemas']['simple-user'],
  | 'url'
  | 'html_url'
  | 'followers_url'
  | 'following_url'
  | 'gists_url'
  | 'starred_url'
  | 'subscriptions_url'
  | 'organizations_url'
  | 'repos_url'
  | 'events_url'
  | 'received_events_url'
>;

/**
 * The hypermedia URLs GitHub puts in every account object, in its order: in a profile
 * (`/users/{login}`) and in a repository's `owner`.
 */
export function accountUrls(login: string): AccountUrls {
  const api = `${GITHUB_API_ORIGIN}/users/${login}`;
  return {
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
  };
}
