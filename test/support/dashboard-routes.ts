import { FakeGithub } from '../fake-github';

/**
 * Every route that reads GitHub data, with what a failure test needs: our path for an account, the
 * upstream path prefix that account's requests start with (to make only them fail), and how to
 * create the account in the fake so that, without a planned failure, the route would answer 200.
 */
export interface DashboardRoute {
  name: string;
  /** Short and unique: part of the logins made for this route. */
  slug: string;
  /** Creates the account (and whatever the route reads) and returns our path for it. */
  arrange(gh: FakeGithub, login: string): string;
  /** Our path for an account, known to the fake or not. */
  pathFor(login: string): string;
  /** Every upstream request the route makes for `login` starts with this. */
  upstreamPrefix(login: string): string;
}

export const PROFILE_ROUTE: DashboardRoute = {
  name: 'GET /github/users/:username',
  slug: 'prof',
  arrange(gh, login) {
    gh.addUser(login, 3);
    return this.pathFor(login);
  },
  pathFor: (login) => `/github/users/${login}`,
  upstreamPrefix: (login) => `/users/${login}`,
};

export const SUMMARY_ROUTE: DashboardRoute = {
  name: 'GET /github/users/:username/summary',
  slug: 'summ',
  arrange(gh, login) {
    gh.addUser(login, 3);
    return this.pathFor(login);
  },
  pathFor: (login) => `/github/users/${login}/summary`,
  // Both the profile and the repository list.
  upstreamPrefix: (login) => `/users/${login}`,
};

export const ORG_REPOS_ROUTE: DashboardRoute = {
  name: 'GET /github/orgs/:org/repos',
  slug: 'org',
  arrange(gh, login) {
    gh.addOrg(login, 3);
    return this.pathFor(login);
  },
  pathFor: (login) => `/github/orgs/${login}/repos`,
  upstreamPrefix: (login) => `/orgs/${login}/`,
};

export const REPO_ROUTE: DashboardRoute = {
  name: 'GET /github/repos/:owner/:repo',
  slug: 'repo',
  arrange(gh, login) {
    const [repo] = gh.addUser(login, 3);
    return `/github/repos/${login}/${repo.name}`;
  },
  pathFor: (login) => `/github/repos/${login}/some-repo`,
  // Both the repository and its languages.
  upstreamPrefix: (login) => `/repos/${login}/`,
};

export const USER_REPOS_ROUTE: DashboardRoute = {
  name: 'GET /github/repos/:username',
  slug: 'list',
  arrange(gh, login) {
    gh.addUser(login, 3);
    return this.pathFor(login);
  },
  pathFor: (login) => `/github/repos/${login}`,
  upstreamPrefix: (login) => `/users/${login}/`,
};

export const DASHBOARD_ROUTES: DashboardRoute[] = [
  PROFILE_ROUTE,
  SUMMARY_ROUTE,
  ORG_REPOS_ROUTE,
  REPO_ROUTE,
  USER_REPOS_ROUTE,
];

/**
 * A login unique to one route and one case: the service serves its last good copy when GitHub
 * fails, so an account any other case fetched would hide the failure under test.
 */
export function loginFor(route: DashboardRoute, tag: string): string {
  return `${route.slug}-${tag}-case`;
}
