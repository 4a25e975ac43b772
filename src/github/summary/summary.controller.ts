import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { NoQuery } from '../../common/no-query';
import { UsernameParams } from '../accounts/github-params';
import { SummaryResponse } from './dto/summary.response';
import { DashboardSummary } from './summary';
import { SummaryService } from './summary.service';

@ApiTags('users')
@ApiExtraModels(Problem)
@Controller('github/users')
export class SummaryController {
  constructor(private readonly summaries: SummaryService) {}

  @Get(':username/summary')
  @ApiOperation({
    summary: 'The dashboard in one call',
    description:
      'Profile, totals, language breakdown, top and recently pushed repositories, computed from the complete repository list. ' +
      'Costs exactly the upstream calls of the profile and the repository pages, none when both are cached.',
  })
  @CachedRoute(SummaryResponse)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  getSummary(
    @Param() { username }: UsernameParams,
    @Query() _query: NoQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<DashboardSummary>> {
    return this.summaries.view(username, { revalidate });
  }
}
