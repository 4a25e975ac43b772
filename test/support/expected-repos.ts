import type { Repo } from '../../src/github/accounts/repo.model';
import { GithubRepoJson } from '../fake-github';

/** A repository as the service must show it: the service's own model (its type only). */
export type ApiRepo = Repo;

export type Sort = 'stars' | 'forks' | 'name' | 'updated' | 'pushed' | 'created';

export interface ExpectedListing {
  sort?: Sort;
  direction?: 'asc' | 'desc';
  language?: string;
  includeForks?: boolean;
}

/**
 * The mapping and ordering the service promises, written independently of src/ (sharing its code
 * would let a bug agree with itself). The contract, from the README and the OpenAPI description:
 * default sort stars; default direction desc, asc for name; names compare case-insensitively;
 * missing values (never pushed) go last in either direction; ties break on the full name, A to Z.
 */
export function toApiRepo(repo: GithubRepoJson): ApiRepo {
  return {
    name: repo.name,
    fullName: repo.full_name,
    description: repo.description,
    language: repo.language,
    stars: repo.stargazers_count,
    forks: repo.forks_count,
    url: repo.html_url,
    fork: repo.fork,
    archived: repo.archived,
    topics: repo.topics,
    openIssues: repo.open_issues_count,
    createdAt: repo.created_at,
    updatedAt: repo.updated_at,
    pushedAt: repo.pushed_at,
  };
}

export function expectedListing(
  repos: readonly GithubRepoJson[],
  options: ExpectedListing = {},
): ApiRepo[] {
  const sort = options.sort ?? 'stars';
  const descending = (options.direction ?? (sort === 'name' ? 'asc' : 'desc')) === 'desc';
  const wanted = options.language?.toLowerCase();
  const kept = repos.filter(
    (repo) =>
      (options.includeForks !== false || !repo.fork) &&
      (wanted === undefined ||
        (wanted === 'none' ? repo.language === null : repo.language?.toLowerCase() === wanted)),
  );
  const keyed = kept.map((repo) => ({
    repo,
    key: sortKey(repo, sort),
    tie: repo.full_name.toLowerCase(),
  }));
  keyed.sort((a, b) => {
    if (a.key !== b.key) {
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      const ascending = a.key < b.key ? -1 : 1;
      return descending ? -ascending : ascending;
    }
    return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
  });
  return keyed.map(({ repo }) => toApiRepo(repo));
}

function sortKey(repo: GithubRepoJson, sort: Sort): number | string | null {
  switch (sort) {
    case 'stars':
      return repo.stargazers_count;
    case 'forks':
      return repo.forks_count;
    case 'name':
      return repo.name.toLowerCase();
    case 'updated':
      return Date.parse(repo.updated_at);
    case 'pushed':
      return repo.pushed_at === null ? null : Date.parse(repo.pushed_at);
    case 'created':
      return Date.parse(repo.created_at);
  }
}
