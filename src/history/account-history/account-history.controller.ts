import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { UsernameParams } from '../../github/accounts/github-params';
import { historyCsv } from '../answers/history-csv';
import { ApiHistoryUnavailable } from '../storage/history-unavailable.error';
import { AccountHistory } from './account-history.model';
import { AccountHistoryQuery } from './account-history.query';
import { AccountHistoryWithFetchedAt } from './account-history.response';
import { AccountHistoryService } from './account-history.service';

@ApiTags('history')
@ApiExtraModels(Problem)
@Controller('github/users')
export class AccountHistoryController {
  constructor(private readonly history: AccountHistoryService) {}

  @Get(':username/history')
  @ApiOperation({
    summary: "An account's growth, one point per UTC day recorded",
    description:
      'Followers, following, public repositories, stars and forks as this service recorded them (GitHub keeps no such history). ' +
      'The last `days` (default 90), or `from`..`to`. Viewing an account keeps it recorded daily for HISTORY_WATCH_DAYS.',
  })
  @CachedRoute(AccountHistoryWithFetchedAt, {
    csv: (history: AccountHistory) =>
      historyCsv(
        ['date', 'followers', 'following', 'publicRepos', 'stars', 'forks'],
        history.points,
      ),
    csvExample:
      'date,followers,following,publicRepos,stars,forks\r\n2026-07-01,21000,9,8,1420,1300\r\n',
  })
  @ApiProblemResponses(400, 404, 429, 502, 504)
  @ApiHistoryUnavailable()
  getHistory(
    @Param() { username }: UsernameParams,
    @Query() query: AccountHistoryQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<AccountHistory>> {
    return this.history.view(username, query, { revalidate });
  }
}
