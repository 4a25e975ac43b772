import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { RepoParams } from '../../github/accounts/github-params';
import { historyCsv } from '../answers/history-csv';
import { ApiHistoryUnavailable } from '../storage/history-unavailable.error';
import { StarHistory } from './star-history.model';
import { StarHistoryQuery } from './star-history.query';
import { StarHistoryWithFetchedAt } from './star-history.response';
import { StarHistoryService } from './star-history.service';

@ApiTags('history')
@ApiExtraModels(Problem)
@Controller('github/repos')
export class StarHistoryController {
  constructor(private readonly history: StarHistoryService) {}

  @Get(':owner/:repo/star-history')
  @ApiOperation({
    summary: "A repository's stars over time, ending today",
    description:
      "Rebuilt from GitHub's stargazer list where this service's token may read it (every page up to STAR_HISTORY_MAX_PAGES, else pages sampled evenly), " +
      'merged with the days this service recorded; where GitHub refuses the list, the recorded days alone (`source: snapshots`).',
  })
  @CachedRoute(StarHistoryWithFetchedAt, {
    csv: (history: StarHistory) => historyCsv(['date', 'stars'], history.points),
    csvExample: 'date,stars\r\n2019-03-02,1\r\n2026-07-01,1420\r\n',
  })
  @ApiProblemResponses(400, 404, 429, 502, 504)
  @ApiHistoryUnavailable()
  getStarHistory(
    @Param() { owner, repo }: RepoParams,
    @Query() { interval }: StarHistoryQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<StarHistory>> {
    return this.history.view(owner, repo, { revalidate, interval });
  }
}
