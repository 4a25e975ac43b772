/** The keys a client may sort a repository list by (`?sort=`), in the order the API documents. */
export const REPO_SORTS = ['stars', 'forks', 'name', 'updated', 'pushed', 'created'] as const;
export type RepoSort = (typeof REPO_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** What a client asked of a repository list, defaults applied (`toListingOptions`). */
export interface RepoListingOptions {
  sort: RepoSort;
  direction?: SortDirection;
  /** Case-insensitive language, or `none` for repositories without one. */
  language?: string;
  includeForks: boolean;
  page: number;
  perPage: number;
}
