import { ProblemError } from '../../common/problem-error';

/**
 * One client has caused its CLIENT_UPSTREAM_LIMIT GitHub requests in this window. Only what
 * needs GitHub is refused: cached answers, fresh or stale, are still served.
 */
export class ClientUpstreamBudgetError extends ProblemError {
  override readonly name = 'ClientUpstreamBudgetError';
  readonly status = 429;
  readonly title = "This client's share of the GitHub budget is used up";
  readonly slug = 'client-upstream-budget';

  constructor(
    limit: number,
    windowSeconds: number,
    override readonly retryAfterSeconds: number,
  ) {
    super(
      `This client has caused ${limit} GitHub requests in ${windowSeconds} s, its share of the ` +
        `GitHub budget every client shares; cached data is still served. Retry after ${retryAfterSeconds} s.`,
    );
  }
}
