import type { TokenBudget } from '../../github/upstream/rate-limit-governor';

/** Pages of repositories GitHub lists per request. */
export const REPOS_PER_PAGE = 100;

/**
 * The GitHub requests the refresher may plan in one round: `share` of what every credential has
 * left above its reserve, less what earlier rounds planned in the same rate-limit window
 * (`plannedBefore`; added back first, since the budgets left already lack it), so that short
 * intervals do not take `share` of the remainder again and again. The reserve is the governor's rule (GITHUB_RATE_LIMIT_RESERVE, at most
 * a tenth of the limit), repeated here because budgets() reports what is left, not the floor.
 * A credential whose window has reset counts its whole limit again, as the governor does.
 */
export function refreshAllowance(
  budgets: readonly TokenBudget[],
  reserveSetting: number,
  share: number,
  nowMs: number,
  plannedBefore = 0,
): number {
  const spare = budgets.reduce((total, budget) => {
    const reserve = Math.min(reserveSetting, Math.floor(budget.limit / 10));
    const left =
      budget.reset * 1000 <= nowMs && !budget.estimated ? budget.limit : budget.remaining;
    return total + Math.max(0, left - reserve);
  }, 0);
  return Math.max(0, Math.floor((spare + plannedBefore) * share) - plannedBefore);
}

/** What refreshing an account costs at most: its profile and every page of its list (one at least). */
export function refreshCost(publicRepos: number | undefined): number {
  return 1 + Math.max(1, Math.ceil((publicRepos ?? 0) / REPOS_PER_PAGE));
}
