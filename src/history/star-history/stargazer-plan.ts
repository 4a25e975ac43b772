/** Stargazers per page: GitHub's maximum `per_page`. */
export const STARGAZERS_PER_PAGE = 100;
/** GitHub lists at most 400 pages of stargazers and answers 422 past that. */
export const MAX_LISTABLE_PAGES = 400;

export interface StargazerPlan {
  /** Pages to read, ascending, 1-based; never past the last listable page. */
  pages: number[];
  /** Every page of the list is read: the history is exact. */
  exact: boolean;
}

/**
 * Which stargazer pages to read for a repository with `stars` stars, within `maxPages` requests:
 * all of them when the list fits, else `maxPages` pages spread evenly from the first to the last
 * listable one (both included).
 */
export function planStargazerPages(stars: number, maxPages: number): StargazerPlan {
  const total = Math.ceil(Math.max(0, stars) / STARGAZERS_PER_PAGE);
  const listable = Math.min(total, MAX_LISTABLE_PAGES);
  if (listable === 0) {
    return { pages: [], exact: true };
  }
  if (total <= maxPages) {
    return { pages: range(1, total), exact: true };
  }
  const budget = Math.max(2, Math.min(maxPages, listable));
  const pages = new Set<number>();
  for (let i = 0; i < budget; i++) {
    pages.add(1 + Math.round((i * (listable - 1)) / (budget - 1)));
  }
  return { pages: [...pages].sort((a, b) => a - b), exact: false };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
