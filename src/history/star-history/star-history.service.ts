import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { sql } from 'kysely';
import { keepAtTheEdgeWhile } from '../../cache/request-record';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { historyConfig } from '../../config/history.config';
import { toRepoDetails } from '../../github/repositories/repo-details.mapper';
import { RepoDetails } from '../../github/repositories/dto/repo-details.model';
import { GithubPageCache } from '../../github/upstream/github-page-cache';
import { GithubForbiddenError, GithubNotFoundError } from '../../github/api/github-errors';
import { Clock } from '../../common/clock';
import { HistoryResultCache } from '../answers/history-result-cache';
import { repoSnapshot } from '../storage/account-snapshot';
import { writeRepoSnapshots } from '../storage/snapshot-writer';
import { HistoryDatabase } from '../storage/history-database';
import { coarsen, curveFromDays, withLosses } from './star-curve';
import { lossesByDay, StarEventDay } from './star-losses';
import { StargazerHistoryPages } from './stargazer-history-pages';
import { StargazerPages } from './stargazer-pages';
import { planStargazerPages } from './stargazer-plan';
import { accumulateByDay, mergeStarPoints, samplePoints, StarPoint } from './star-points';
import { StarHistory, StarHistoryInterval } from './star-history.model';
import { starsGivenByDay } from './weekly-history';

/** What the stargazer list gave: undefined when this token may not read it. */
interface Retroactive {
  points: StarPoint[];
  exact: boolean;
  /** Stars given per day and still held (an exact list only). */
  givenByDay?: Map<string, number>;
}

export interface StarHistoryOptions extends FreshnessRequest {
  interval?: StarHistoryInterval;
}

/**
 * A repository's star history, from the first source that answers: GitHub's weekly star history
 * (any public repository, any token); where GitHub has no such endpoint (404: GitHub Enterprise
 * Server), the stargazer list for a collaborator's token; else the days this service recorded.
 * The days recorded back to back also give the stars lost (star-losses.ts).
 */
@Injectable()
export class StarHistoryService {
  private readonly logger = new Logger(StarHistoryService.name);

  constructor(
    @Inject(historyConfig.KEY) private readonly config: ConfigType<typeof historyConfig>,
    private readonly pages: GithubPageCache,
    private readonly weekly: StargazerHistoryPages,
    private readonly stargazers: StargazerPages,
    private readonly database: HistoryDatabase,
    private readonly results: HistoryResultCache,
    private readonly clock: Clock,
  ) {}

  async view(
    owner: string,
    name: string,
    { interval = 'day', ...freshness }: StarHistoryOptions,
  ): Promise<CachedResult<StarHistory>> {
    const today = this.clock.today();
    // The history ends today: tomorrow, the same URL names another day's history.
    keepAtTheEdgeWhile(() => this.clock.today() === today);
    const key = `history:stars:${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}:${today}`;
    // One cached day-by-day history per repository and day; coarser intervals are cut from it.
    const result = await this.results.get<StarHistory>(
      key,
      async (previous) => {
        const history = await this.build(owner, name, today);
        return {
          data: history,
          notModified:
            previous !== undefined && JSON.stringify(previous) === JSON.stringify(history),
        };
      },
      freshness,
    );
    const history: StarHistory =
      interval === 'day'
        ? result.data
        : { ...result.data, interval, points: coarsen(result.data.points, interval, today) };
    return { ...result, data: history };
  }

  private async build(owner: string, name: string, today: string): Promise<StarHistory> {
    // GitHub's 404 for an unknown repository.
    const repo = await this.repository(owner, name);
    const fullName = repo.fullName.toLowerCase();
    this.record(today, repo);
    const [weeks, stored, events] = await Promise.all([
      this.weeklyHistory(owner, name),
      this.recorded(fullName),
      this.starEvents(fullName),
    ]);
    // Today's total is the one just read (its row is written in the background).
    const recorded = [
      ...stored.filter((point) => point.date < today),
      { date: today, stars: repo.stars },
    ];
    const base = { fullName: repo.fullName, stars: repo.stars, interval: 'day' as const };
    if (weeks !== undefined) {
      const givenByDay = starsGivenByDay(weeks, today);
      const counted = [...givenByDay.values()].reduce((sum, count) => sum + count, 0);
      const exact = counted === repo.stars;
      if (!exact) {
        this.logger.warn(
          { repository: repo.fullName, counted, stargazersCount: repo.stars },
          "GitHub's weekly star history does not add up to the repository's stargazers_count",
        );
      }
      const points = curveFromDays(
        givenByDay,
        lossesByDay(recorded, givenByDay, events),
        today,
        repo.stars,
      );
      return { ...base, source: 'history', exact, since: points[0].date, points };
    }
    const retroactive = await this.retroactive(owner, name, repo.stars);
    const points = withLosses(
      mergeStarPoints(
        retroactive?.points ?? [],
        recorded,
        today,
        repo.stars,
        // A sampled list is an estimate between its samples; a recorded day is an exact count.
        !retroactive?.exact,
      ),
      lossesByDay(recorded, retroactive?.givenByDay ?? new Map(), events),
    );
    return {
      ...base,
      source: retroactive ? 'stargazers' : 'snapshots',
      exact: retroactive?.exact ?? false,
      since: points[0].date,
      points,
    };
  }

  /**
   * The repository alone (one request; its languages are not needed here), through the page
   * cache the repository route uses too: its `stargazers_count` and `full_name`.
   */
  private async repository(owner: string, name: string): Promise<RepoDetails> {
    const path = `/repos/${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}`;
    return (await this.pages.fetch(path, (body) => toRepoDetails(body, []))).page.data;
  }

  /** GitHub's weekly history; undefined where GitHub has none (404) or refuses it (403). */
  private async weeklyHistory(owner: string, name: string) {
    try {
      return await this.weekly.readAll(owner, name);
    } catch (error) {
      if (error instanceof GithubNotFoundError || error instanceof GithubForbiddenError) {
        this.logger.debug(
          { repository: `${owner}/${name}`, error: String(error) },
          'No weekly star history from GitHub: falling back to the stargazer list',
        );
        return undefined;
      }
      throw error;
    }
  }

  private async retroactive(
    owner: string,
    name: string,
    stars: number,
  ): Promise<Retroactive | undefined> {
    const plan = planStargazerPages(stars, this.config.starHistoryMaxPages);
    if (plan.pages.length === 0) {
      return { points: [], exact: true, givenByDay: new Map() };
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
      const starredAt = pages.flatMap((page) => page.starredAt);
      const givenByDay = new Map<string, number>();
      for (const at of starredAt) {
        givenByDay.set(at.slice(0, 10), (givenByDay.get(at.slice(0, 10)) ?? 0) + 1);
      }
      return { points: accumulateByDay(starredAt), exact: true, givenByDay };
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

  /** Exact star events per day (written from the `star` webhook), where there are any. */
  private starEvents(fullName: string): Promise<StarEventDay[]> {
    return this.database.run((db) =>
      db
        .selectFrom('repo_star_events')
        .select([
          sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'),
          sql<number>`count(*) FILTER (WHERE action = 'created')::int`.as('starred'),
          sql<number>`count(*) FILTER (WHERE action = 'deleted')::int`.as('unstarred'),
        ])
        .where('full_name', '=', fullName)
        .groupBy('day')
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
