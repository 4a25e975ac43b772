/**
 * The JSON shapes GitHub's REST API answers with, as far as the fake serves them. Field names and
 * nullability follow GitHub's documented schemas so that the service's mapper meets real data.
 */

export interface GithubOwnerJson {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  type: 'User' | 'Organization';
  user_view_type: 'public';
  site_admin: boolean;
}

export interface GithubRepoJson {
  id: number;
  node_id: string;
  name: string;
  full_name: string;
  private: boolean;
  owner: GithubOwnerJson;
  html_url: string;
  description: string | null;
  fork: boolean;
  url: string;
  homepage: string | null;
  size: number;
  stargazers_count: number;
  watchers_count: number;
  language: string | null;
  has_issues: boolean;
  forks_count: number;
  archived: boolean;
  disabled: boolean;
  open_issues_count: number;
  license: { key: string; name: string; spdx_id: string } | null;
  topics: string[];
  visibility: 'public';
  default_branch: string;
  forks: number;
  open_issues: number;
  watchers: number;
  created_at: string;
  updated_at: string;
  pushed_at: string | null;
}

export interface GithubAccountJson extends GithubOwnerJson {
  name: string | null;
  company: string | null;
  blog: string;
  location: string | null;
  email: string | null;
  bio: string | null;
  public_repos: number;
  public_gists: number;
  followers: number;
  following: number;
  created_at: string;
  updated_at: string;
}

/** The `documentation_url` GitHub sends with errors that have no more specific page. */
export const GITHUB_DOCS_URL = 'https://docs.github.com/rest';
/** Where GitHub's own bodies point for API resources; only `Link` headers point at the fake. */
export const GITHUB_API_ORIGIN = 'https://api.github.com';
