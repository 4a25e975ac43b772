import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { MemoryBudget } from '../../cache/memory-budget';
import { onEveryServe } from '../../cache/request-record';
import { CachedResult, CacheStatus, FreshnessRequest } from '../../cache/result-cache';
import { RepoListService } from '../repositories/repo-list.service';
import { ProfileService } from '../profiles/profile.service';
import { AccountFreshData } from '../accounts/account-fresh-data';
import { DashboardSummary, summarize } from './summary';

/** The worst of two cache outcomes decides what the combined answer reports. */
const STATUS_RANK: Record<CacheStatus, number> = { HIT: 0, REVALIDATED: 1, MISS: 2, STALE: 3 };

/**
 * The dashboard in one call. It costs exactly the upstream calls of the profile and the
 * repository pages (none when both are cached); the numbers are computed once per pair of
 * cached snapshots.
 */
@Injectable()
export class SummaryService {
  private readonly summaries: LRUCache<string, DashboardSummary>;

  constructor(
    private readonly profiles: ProfileService,
    private readonly repos: RepoListService,
    budget: MemoryBudget,
    private readonly fresh: AccountFreshData,
  ) {
    this.summaries = budget.create('summaries');
  }

  /** A summary a client asked for: the account is worth watching, on every answer (edge hits too). */
  async view(
    username: string,
    freshness: FreshnessRequest,
  ): Promise<CachedResult<DashboardSummary>> {
    const result = await this.getSummary(username, freshness);
    const owner = { kind: 'user', login: result.data.profile.login } as const;
    onEveryServe(() => this.fresh.publish({ kind: 'viewed', owner }));
    return result;
  }

  async getSummary(
    username: string,
    freshness: FreshnessRequest = {},
  ): Promise<CachedResult<DashboardSummary>> {
    const [profile, repos] = await Promise.all([
      this.profiles.getProfile(username, freshness),
      this.repos.ownerRepos({ kind: 'user', login: username }, freshness),
    ]);
    const key = `${username.toLowerCase()}@${profile.fetchedAt}/${repos.fetchedAt}`;
    let summary = this.summaries.get(key);
    if (!summary) {
      summary = summarize(profile.data, repos.data.repos, repos.data);
      this.summaries.set(key, summary);
    }
    return {
      data: summary,
      // The answer is as old as its older part.
      fetchedAt: Math.min(profile.fetchedAt, repos.fetchedAt),
      status:
        STATUS_RANK[profile.status] >= STATUS_RANK[repos.status] ? profile.status : repos.status,
    };
  }
}
