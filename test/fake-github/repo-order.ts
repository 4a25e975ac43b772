import { GithubRepoJson } from './github-json';

type DateField = 'created_at' | 'updated_at' | 'pushed_at';
const DATE_FIELDS: Record<string, DateField | undefined> = {
  created: 'created_at',
  updated: 'updated_at',
  pushed: 'pushed_at',
};

/** The same order `a.localeCompare(b)` gives, without building a collator per comparison. */
const collator = new Intl.Collator();

/**
 * Ordered lists per repository list (the array an account holds) and order. A 100,000-repository
 * account is sorted once per order, not on every page request; an account replaced by `addUser`
 * gets a new array and so a fresh memo. Keyed weakly, so a dropped account takes its lists along.
 */
const memo = new WeakMap<readonly GithubRepoJson[], Map<string, Ordered>>();

interface Ordered {
  /** The list's length when it was sorted: a list grown in place is sorted again. */
  length: number;
  repos: readonly GithubRepoJson[];
}

/**
 * The order GitHub lists repositories in before paginating: `sort` = full_name | created |
 * updated | pushed, `direction` asc by default for full_name and desc otherwise. Never-pushed
 * repositories (`pushed_at: null`) sort as the empty string: last when descending. The result is
 * shared between requests: do not change it.
 */
export function orderRepos(
  repos: readonly GithubRepoJson[],
  query: URLSearchParams,
  defaultSort: string,
): readonly GithubRepoJson[] {
  const sort = query.get('sort') ?? defaultSort;
  const field = DATE_FIELDS[sort];
  const direction = query.get('direction') ?? (field ? 'desc' : 'asc');
  const descending = direction === 'desc';
  const key = `${field ?? 'full_name'} ${descending ? 'desc' : 'asc'}`;
  let lists = memo.get(repos);
  if (!lists) {
    lists = new Map();
    memo.set(repos, lists);
  }
  const known = lists.get(key);
  if (known && known.length === repos.length) {
    return known.repos;
  }
  const ordered = { length: repos.length, repos: sorted(repos, field, descending) };
  lists.set(key, ordered);
  return ordered.repos;
}

/** A stable sort on keys computed once per repository (not twice per comparison). */
function sorted(
  repos: readonly GithubRepoJson[],
  field: DateField | undefined,
  descending: boolean,
): GithubRepoJson[] {
  const sign = descending ? -1 : 1;
  const keyed = repos.map((repo) => ({
    repo,
    key: field ? (repo[field] ?? '') : repo.full_name.toLowerCase(),
  }));
  // GitHub's timestamps share one fixed-width format: code-unit order is time order.
  const compare = field
    ? (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
    : collator.compare;
  keyed.sort((a, b) => sign * compare(a.key, b.key));
  return keyed.map(({ repo }) => repo);
}
