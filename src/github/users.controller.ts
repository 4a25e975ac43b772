import { Controller, Get, Headers, HttpCode, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiProblemResponses, Problem } from '../common/api-problem-responses.decorator';
import { NoQuery } from '../common/no-query';
import { ApiCachedRoute } from '../common/http-cache/api-cached-route.decorator';
import {
  HttpCacheResponder,
  type ReplyLike,
  wantsRevalidation,
} from '../common/http-cache/http-cache.responder';
import { ProfileWithFetchedAt } from './dto/profile.response';
import { SummaryResponse } from './dto/summary.response';
import { UsernameParams } from './dto/username.params';
import { ProfileService } from './profile.service';
import { SummaryService } from './summary.service';

@ApiTags('users')
@ApiExtraModels(Problem)
@Controller('github/users')
export class UsersController {
  constructor(
    private readonly profiles: ProfileService,
    private readonly summaries: SummaryService,
    private readonly responder: HttpCacheResponder,
  ) {}

  @Get(':username')
  @HttpCode(200)
  @ApiOperation({ summary: 'A profile (user or organisation)' })
  @ApiCachedRoute(ProfileWithFetchedAt)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  async getProfile(
    @Param() { username }: UsernameParams,
    @Query() _query: NoQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Buffer | undefined> {
    const result = await this.profiles.getProfile(username, {
      revalidate: wantsRevalidation(headers),
    });
    return this.responder.respond(headers, reply, result.data, result, (profile) => profile);
  }

  @Get(':username/summary')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The dashboard in one call',
    description:
      'Profile, totals, language breakdown, top and recently pushed repositories, computed from the complete repository list. ' +
      'Costs exactly the upstream calls of the profile and the repository pages, none when both are cached.',
  })
  @ApiCachedRoute(SummaryResponse)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  async getSummary(
    @Param() { username }: UsernameParams,
    @Query() _query: NoQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Buffer | undefined> {
    const result = await this.summaries.getSummary(username, {
      revalidate: wantsRevalidation(headers),
    });
    return this.responder.respond(headers, reply, result.data, result, (summary) => summary);
  }
}
