import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { NoQuery } from '../../common/no-query';
import { UsernameParams } from '../accounts/github-params';
import type { Profile } from '../accounts/profile.model';
import { ProfileWithFetchedAt } from './dto/profile.response';
import { ProfileService } from './profile.service';

@ApiTags('users')
@ApiExtraModels(Problem)
@Controller('github/users')
export class ProfilesController {
  constructor(private readonly profiles: ProfileService) {}

  @Get(':username')
  @ApiOperation({ summary: 'A profile (user or organisation)' })
  @CachedRoute(ProfileWithFetchedAt)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  getProfile(
    @Param() { username }: UsernameParams,
    @Query() _query: NoQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<Profile>> {
    return this.profiles.view(username, { revalidate });
  }
}
