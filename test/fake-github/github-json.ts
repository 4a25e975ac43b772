import type { components } from '@octokit/openapi-types';

/**
 * The JSON shapes the fake stores, as picks of GitHub's own schemas (@octokit/openapi-types,
 * generated from the description test/fake-github-contract.e2e-spec.ts checks the answers
 * against). Where the fake always sends what a schema leaves optional or wider, the type says so.
 */
type Schemas = components['schemas'];

/** What the fake fixes about every account: JSON ids are numbers, accounts are public. */
interface FakeAccountFacts {
  id: number;
  gravatar_id: string;
  type: 'User' | 'Organization';
  user_view_type: 'public';
}

/** A repository's `owner` as stored; the other `*_url` fields are added when serialized (repo-wire.ts). */
export type GithubOwnerJson = Pick<
  Schemas['simple-user'],
  'login' | 'node_id' | 'avatar_url' | 'url' | 'html_url' | 'site_admin'
> &
  FakeAccountFacts;

/**
 * A repository as stored: the fields of `full-repository` a list item (`minimal-repository`)
 * carries too; the `*_url` fields and constant flags are added when serialized (repo-wire.ts).
 */
export type GithubRepoJson = Pick<
  Schemas['full-repository'],
  | 'node_id'
  | 'name'
  | 'full_name'
  | 'private'
  | 'html_url'
  | 'description'
  | 'fork'
  | 'url'
  | 'homepage'
  | 'size'
  | 'stargazers_count'
  | 'watchers_count'
  | 'language'
  | 'has_issues'
  | 'forks_count'
  | 'archived'
  | 'disabled'
  | 'open_issues_count'
  | 'default_branch'
  | 'forks'
  | 'open_issues'
  | 'watchers'
  | 'created_at'
  | 'updated_at'
> & {
  id: number;
  owner: GithubOwnerJson;
  /** Null for a repository never pushed to (`minimal-repository` says so; `full-repository` does not). */
  pushed_at: string | null;
  /** The `url` and `node_id` GitHub adds are derived from the key when serialized. */
  license: Pick<NonNullable<Schemas['nullable-license-simple']>, 'key' | 'name' | 'spdx_id'> | null;
  topics: string[];
  visibility: 'public';
};

/** `GET /users/{login}` as anyone but the account itself sees it: `public-user`, without a plan. */
export type GithubAccountJson = Required<
  Pick<
    Schemas['public-user'],
    | 'login'
    | 'node_id'
    | 'avatar_url'
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
    | 'site_admin'
    | 'name'
    | 'company'
    | 'blog'
    | 'location'
    | 'email'
    | 'hireable'
    | 'bio'
    | 'twitter_username'
    | 'public_repos'
    | 'public_gists'
    | 'followers'
    | 'following'
    | 'created_at'
    | 'updated_at'
  >
> &
  FakeAccountFacts;

/** The `documentation_url` GitHub sends with errors that have no more specific page. */
export const GITHUB_DOCS_URL = 'https://docs.github.com/rest';
/** Where GitHub's own bodies point for API resources; only `Link` headers point at the fake. */
export const GITHUB_API_ORIGIN = 'https://api.github.com';
