import { Injectable } from '@nestjs/common';
import { GithubClient } from '../upstream/github-client.service';
import { RateLimitGovernor, TokenBudget } from '../upstream/rate-limit-governor';

/** Reports each token's primary budget without spending any. */
@Injectable()
export class RateLimitService {
  constructor(
    private readonly governor: RateLimitGovernor,
    private readonly client: GithubClient,
  ) {}

  async budgets(): Promise<TokenBudget[]> {
    // Headers seen on earlier answers are enough; only never-seen credentials cost a (free) call.
    await Promise.all(
      this.governor.unknownBudgets().map((c) => this.client.refreshBudget(c.fingerprint)),
    );
    return this.governor.budgets();
  }
}
