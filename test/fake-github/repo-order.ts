import { GithubRepoJson } from './github-json';

/**
 * The order GitHub lists repositories in before paginating: `sort` = full_name | created |
 * updated | pushed, `direction` asc by default for full_name and desc otherwise.
 */
export function orderRepos(
  repos: readonly GithubRepoJson[],
  query: URLSearchParams,
  defaultSort: string,
): GithubRepoJson[] {
  const sort = query.get('sort') ?? defaultSort;
  const field = ({ created: 'created_at', updated: 'updated_at', pushed: 'pushed_at' } as const)[
    sort as 'created'
  ];
  const direction = query.get('direction') ?? (field ? 'desc' : 'asc');
  const sign = direction === 'desc' ? -1 : 1;
  const key = (repo: GithubRepoJson): string =>
    field ? (repo[field] ?? '') : repo.full_name.toLowerCase();
  return [...repos].sort((a, b) => sign * key(a).localeCompare(key(b)));
}
