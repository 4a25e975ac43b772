import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { OrgParams } from '../accounts/github-params';
import { ListReposQuery } from './dto/list-repos.query';
import { RepoListResponse } from './dto/repo.response';
import { LIST_ROUTE } from './list-headers';
import { RepoListPage, RepoListService } from './repo-list.service';

@ApiTags('organisations')
@ApiExtraModels(Problem)
@Controller('github/orgs')
export class OrgsController {
  constructor(private readonly lists: RepoListService) {}

  @Get(':org/repos')
  @ApiOperation({
    summary: "An organisation's public repositories",
    description: 'Same query parameters, body and `Link` header as `GET /github/repos/{username}`.',
  })
  @CachedRoute(RepoListResponse, LIST_ROUTE)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  listOrgRepos(
    @Param() { org }: OrgParams,
    @Query() query: ListReposQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<RepoListPage>> {
    return this.lists.viewPage({ kind: 'org', login: org }, query, { revalidate });
  }
}
