import { REPO_SORTS, type RepoQuery, type RepoSort, type SortDirection } from './api/types';

/** What the address bar holds: a dashboard can be linked to, reloaded and walked with Back. */
export interface DashboardLocation {
  user: string | null;
  /** A repository of `user` shown in the repository view (`?user=octocat&repo=Hello-World`). */
  repo: string | null;
  /** The table's options, kept while a repository is shown so Back finds the table as it was. */
  query: RepoQuery;
}

export const PER_PAGE_CHOICES = [10, 30, 100] as const;

export const DEFAULT_QUERY: RepoQuery = {
  sort: 'stars',
  direction: 'desc',
  includeForks: true,
  page: 1,
  perPage: 30,
};

/** GitHub's rule for logins, the same the API validates with. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function isValidLogin(value: string): boolean {
  return LOGIN.test(value);
}

/** GitHub's repository names: up to 100 letters, digits, `.`, `-` and `_`; never `.` or `..`. */
const REPO_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

export function isValidRepoName(value: string): boolean {
  return REPO_NAME.test(value);
}

/** The API's default direction: ascending for names, descending for counts and dates. */
export function defaultDirection(sort: RepoSort): SortDirection {
  return sort === 'name' ? 'asc' : 'desc';
}

/** Reads `?user=octocat&sort=name&page=2`; anything unknown or invalid falls back to the default. */
export function readLocation(search: string): DashboardLocation {
  const params = new URLSearchParams(search);
  const user = params.get('user')?.trim() ?? '';
  const repo = params.get('repo')?.trim() ?? '';
  const sort = (REPO_SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as RepoSort)
    : DEFAULT_QUERY.sort;
  const direction = params.get('direction');
  const language = params.get('language')?.trim();
  const perPage = Number(params.get('perPage'));
  return {
    user: user === '' ? null : user,
    repo: user !== '' && isValidRepoName(repo) ? repo : null,
    query: {
      sort,
      direction: direction === 'asc' || direction === 'desc' ? direction : defaultDirection(sort),
      language: language ? language.slice(0, 64) : undefined,
      includeForks: params.get('forks') !== 'exclude',
      page: positiveInteger(params.get('page'), 1),
      perPage: (PER_PAGE_CHOICES as readonly number[]).includes(perPage)
        ? perPage
        : DEFAULT_QUERY.perPage,
    },
  };
}

/** The search string for a location, defaults left out so shared links stay short. */
export function writeLocation({ user, repo, query }: DashboardLocation): string {
  const params = new URLSearchParams();
  if (user) {
    params.set('user', user);
    if (repo) {
      params.set('repo', repo);
    }
  }
  if (query.sort !== DEFAULT_QUERY.sort) {
    params.set('sort', query.sort);
  }
  if (query.direction !== defaultDirection(query.sort)) {
    params.set('direction', query.direction);
  }
  if (query.language !== undefined) {
    params.set('language', query.language);
  }
  if (!query.includeForks) {
    params.set('forks', 'exclude');
  }
  if (query.page !== 1) {
    params.set('page', String(query.page));
  }
  if (query.perPage !== DEFAULT_QUERY.perPage) {
    params.set('perPage', String(query.perPage));
  }
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}

function positiveInteger(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : fallback;
}
