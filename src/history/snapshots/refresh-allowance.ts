/** Pages of repositories GitHub lists per request. */
export const REPOS_PER_PAGE = 100;

/**
 * The GitHub requests the refresher may plan in one round: `share` of the governor's spare budget
 * (what is left above every credential's reserve), less what earlier rounds planned in the same
 * rate-limit window (`plannedBefore`; added back first, since the spare budget already lacks it),
 * so that short intervals do not take `share` of the remainder again and again.
 */
export function refreshAllowance(spare: number, share: number, plannedBefore = 0): number {
  return Math.max(0, Math.floor((spare + plannedBefore) * share) - plannedBefore);
}

/** What refreshing an account costs at most: its profile and every page of its list (one at least). */
export function refreshCost(publicRepos: number | undefined): number {
  return 1 + Math.max(1, Math.ceil((publicRepos ?? 0) / REPOS_PER_PAGE));
}
