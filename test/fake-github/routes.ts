import { Account, Accounts } from './accounts';
import { ApiVersion } from './api-versions';
import { GithubRepoJson } from './github-json';
import { paginate } from './pagination';
import { orderRepos } from './repo-order';
import { toWireFullRepo, toWireRepo } from './repo-wire';
import { stargazerHistoryPage } from './stargazer-history';
import { stargazerPage } from './stargazer-pages';
import { Stargazers } from './stargazers';

/**
 * What a route found; the server adds GitHub's headers, the ETag and the rate limit. A 403 or
 * 422 body is GitHub's error, sent without ETag like a 404.
 */
export interface Answer {
  status: 200 | 403 | 404 | 422;
  body: unknown;
  link?: string;
  lastModified?: string;
  /** What this answer adds to GitHub's usual headers (a media type's `x-github-media-type`). */
  headers?: Record<string, string>;
}

export interface RouteContext {
  accounts: Accounts;
  stargazers: Stargazers;
  /** Origin for absolute `Link` URLs, e.g. `http://127.0.0.1:40123`. */
  origin: string;
  /** The request's `Accept` and `Authorization` headers, for routes whose answer depends on them. */
  accept?: string;
  authorization?: string;
  /** The API version the request is served in: the shape of what it answers. */
  apiVersion: ApiVersion;
}

type Handler = (params: string[], query: URLSearchParams, context: RouteContext) => Answer;

const NOT_FOUND: Answer = { status: 404, body: undefined };
const SEGMENT = '([^/]+)';

/** The endpoints the fake serves, matched against the decoded path without its query. */
const ROUTES: [RegExp, Handler][] = [
  [route(`/users/${SEGMENT}`), ([login], _q, { accounts }) => profile(accounts.findByLogin(login))],
  [
    route(`/users/${SEGMENT}/repos`),
    ([login], query, context) =>
      repoList(context.accounts.findByLogin(login), query, context, 'user'),
  ],
  [
    route(`/user/(\\d+)/repos`),
    ([id], query, context) =>
      repoList(context.accounts.findById(Number(id)), query, context, 'user'),
  ],
  [
    route(`/orgs/${SEGMENT}/repos`),
    ([org], query, context) =>
      repoList(organisation(context.accounts.findByLogin(org)), query, context, 'org'),
  ],
  [
    route(`/organizations/(\\d+)/repos`),
    ([id], query, context) =>
      repoList(organisation(context.accounts.findById(Number(id))), query, context, 'org'),
  ],
  [
    route(`/repos/${SEGMENT}/${SEGMENT}`),
    ([owner, name], _q, { accounts, apiVersion }) =>
      single(findRepo(accounts, owner, name), apiVersion),
  ],
  [
    route(`/repos/${SEGMENT}/${SEGMENT}/languages`),
    ([owner, name], _q, { accounts }) => languages(findRepo(accounts, owner, name)),
  ],
  [
    route(`/repos/${SEGMENT}/${SEGMENT}/stargazers`),
    ([owner, name], query, context) =>
      stargazerPage(findRepo(context.accounts, owner, name), query, context),
  ],
  [
    route(`/repositories/(\\d+)/stargazers`),
    ([id], query, context) =>
      stargazerPage(context.accounts.findRepoById(Number(id)), query, context),
  ],
  [
    route(`/repos/${SEGMENT}/${SEGMENT}/stargazers/history`),
    ([owner, name], query, context) =>
      stargazerHistoryPage(findRepo(context.accounts, owner, name), query, context),
  ],
  [
    route(`/repositories/(\\d+)/stargazers/history`),
    ([id], query, context) =>
      stargazerHistoryPage(context.accounts.findRepoById(Number(id)), query, context),
  ],
];

export function answer(path: string, query: URLSearchParams, context: RouteContext): Answer {
  for (const [pattern, handle] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      return handle(match.slice(1), query, context);
    }
  }
  return NOT_FOUND;
}

function route(source: string): RegExp {
  return new RegExp(`^${source}/?$`);
}

function profile(account: Account | undefined): Answer {
  return account
    ? { status: 200, body: account.profile, lastModified: httpDate(account.profile.updated_at) }
    : NOT_FOUND;
}

function organisation(account: Account | undefined): Account | undefined {
  return account?.profile.type === 'Organization' ? account : undefined;
}

/** `type=member` lists repositories the user only collaborates on: the fake has none. */
function repoList(
  account: Account | undefined,
  query: URLSearchParams,
  context: RouteContext,
  kind: 'user' | 'org',
): Answer {
  if (!account) {
    return NOT_FOUND;
  }
  const repos =
    query.get('type') === 'member'
      ? []
      : orderRepos(account.repos, query, kind === 'org' ? 'created' : 'full_name');
  // As on GitHub, page links use the numeric id, not the login the caller asked with, and stay in
  // the namespace asked: an organisation listed as a user (/users/:org/repos) pages through
  // /user/:id/repos, in that route's default order (full_name), not /organizations/:id (created).
  const linkBase = `${context.origin}/${kind === 'org' ? 'organizations' : 'user'}/${account.profile.id}/repos`;
  const page = paginate(repos, query, linkBase);
  return {
    status: 200,
    body: page.items.map((repo) => toWireRepo(repo, context.apiVersion)),
    link: page.link,
    lastModified: latestUpdate(page.items) ?? httpDate(account.profile.updated_at),
  };
}

function findRepo(accounts: Accounts, owner: string, name: string): GithubRepoJson | undefined {
  return accounts.findRepo(owner, name);
}

function single(repo: GithubRepoJson | undefined, apiVersion: ApiVersion): Answer {
  return repo
    ? {
        status: 200,
        body: toWireFullRepo(repo, apiVersion),
        lastModified: httpDate(repo.updated_at),
      }
    : NOT_FOUND;
}

/** Bytes per language; derived from the repository so it is stable. */
function languages(repo: GithubRepoJson | undefined): Answer {
  if (!repo) {
    return NOT_FOUND;
  }
  const body: Record<string, number> =
    repo.language === null ? {} : { [repo.language]: repo.size * 100 + 1 };
  if (repo.language !== null && repo.language !== 'Shell') {
    body.Shell = repo.size + 1;
  }
  return { status: 200, body, lastModified: httpDate(repo.updated_at) };
}

function latestUpdate(repos: readonly GithubRepoJson[]): string | undefined {
  const latest = repos.reduce<string | undefined>(
    (max, repo) => (max === undefined || repo.updated_at > max ? repo.updated_at : max),
    undefined,
  );
  return latest === undefined ? undefined : httpDate(latest);
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
