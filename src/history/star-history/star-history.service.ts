import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { sql } from 'kysely';
import { CachedAnswer, cachedAnswer } from '../../cache/http/cached-answer';
import { FreshnessRequest } from '../../cache/result-cache';
import { historyConfig } from '../../config/history.config';
import { RepoDetailsService } from '../../github/repositories/repo-details.service';
import { GithubForbiddenError } from '../../github/upstream/github-errors';
import { Clock } from '../clock';
import { historyCsv } from '../history-csv';
import { HistoryResultCache } from '../history-result-cache';
import { repoSnapshot } from '../snapshots/account-snapshot';
import { writeRepoSnapshots } from '../snapshots/snapshot-writer';
import { HistoryDatabase } from '../storage/history-database';
import { StargazerPages } from './stargazer-pages';
import { planStargazerPages } from './stargazer-plan';
import { accumulateByDay, mergeStarPoints, samplePoints, StarPoint } from './star-points';
import { StarHistory } from './star-history.model';
import { StarHistoryWithFetchedAt } from './star-history.response';

/** What the stargazer list gave: undefined when this token may not read it. */
interface Retroactive {
  points: StarPoint[];
  exact: boolean;
}

/**
 * A repository's star history: rebuilt from GitHub's stargazer list where this service's token
 * may read it (every page when it fits in STAR_HISTORY_MAX_PAGES, else pages sampled evenly),
 * merged with the stars this service recorded; only the recorded days where the list is refused.
 */
@Injectable()
export class StarHistoryService {
  private readonly logger = new Logger(StarHistoryService.name);

  constructor(
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
    private readonly repos: RepoDetailsService,
    private readonly stargazers: StargazerPages,
    private readonly database: HistoryDatabase,
    private readonly results: HistoryResultCache,
    private readonly clock: Clock,
  ) {}

  async answer(
    owner: string,
    name: string,
    freshness: FreshnessRequest,
  ): Promise<CachedAnswer<StarHistoryWithFetchedAt>> {
    const today = this.clock.today();
    const key = `history:stars:${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}:${today}`;
    const result = await this.results.get<StarHistory>(
      key,
      async (previous) => {
        const history = await this.build(owner, name, today, freshness);
        return {
          data: history,
          notModified:
            previous !== undefined && JSON.stringify(previous) === JSON.stringify(history),
        };
      },
      freshness,
    );
    return cachedAnswer<StarHistory, StarHistoryWithFetchedAt>(
      result,
      (history) => history,
      undefined,
      (history) => historyCsv(['date', 'stars'], history.points),
    );
  }

  private async build(
    owner: string,
    name: string,
    today: string,
    freshness: FreshnessRequest,
  ): Promise<StarHistory> {
    // GitHub's 404 for an unknown repository; the details are cached like the repository route's.
    const repo = (await this.repos.getRepo(owner, name, freshness)).data;
    const fullName = repo.fullName.toLowerCase();
    this.record(today, repo);
    const [retroactive, recorded] = await Promise.all([
      this.retroactive(owner, name, repo.stars),
      this.recorded(fullName),
    ]);
    const points = mergeStarPoints(
      retroactive?.points ?? [],
      recorded,
      today,
      repo.stars,
      // A sampled list is an estimate between its samples; a recorded day is an exact count.
      !retroactive?.exact,
    );
    return {
      fullName: repo.fullName,
      stars: repo.stars,
      source: retroactive ? 'stargazers' : 'snapshots',
      exact: retroactive?.exact ?? false,
      since: points[0].date,
      points,
    };
  }

  private async retroactive(
    owner: string,
    name: string,
    stars: number,
  ): Promise<Retroactive | undefined> {
    const plan = planStargazerPages(stars, this.config.starHistoryMaxPages);
    if (plan.pages.length === 0) {
      return { points: [], exact: true };
    }
    let first;
    try {
      first = await this.stargazers.read(owner, name, 1);
    } catch (error) {
      if (error instanceof GithubForbiddenError) {
        return undefined;
      }
      throw error;
    }
    if (first.starredAt.length === 0) {
      // GitHub's other way of refusing: an empty list for a repository with stars.
      return undefined;
    }
    const rest = await this.stargazers.readMany(owner, name, plan.pages.slice(1));
    const pages = [first, ...rest];
    if (plan.exact) {
      return { points: accumulateByDay(pages.flatMap((page) => page.starredAt)), exact: true };
    }
    return { points: samplePoints(pages), exact: false };
  }

  private recorded(fullName: string): Promise<StarPoint[]> {
    return this.database.run((db) =>
      db
        .selectFrom('repo_snapshots')
        .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'), 'stars'])
        .where('full_name', '=', fullName)
        .orderBy('day')
        .execute(),
    );
  }

  /** Today's snapshot of the repository, written in the background (a failure costs nothing here). */
  private record(today: string, repo: Parameters<typeof repoSnapshot>[0]): void {
    void this.database
      .run((db) => writeRepoSnapshots(db, today, [repoSnapshot(repo)]))
      .catch((error: unknown) =>
        this.logger.debug({ error: String(error) }, 'Could not record the repository snapshot'),
      );
  }
}
