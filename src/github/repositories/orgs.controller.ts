import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedAnswer } from '../../cache/http/cached-answer';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { OrgParams } from '../accounts/github-params';
import { ListReposQuery } from './dto/list-repos.query';
import { RepoListResponse } from './dto/repo.response';
import { LIST_HEADERS } from './list-headers';
import { RepoListService } from './repo-list.service';

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
  @CachedRoute(RepoListResponse, LIST_HEADERS)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  listOrgRepos(
    @Param() { org }: OrgParams,
    @Query() query: ListReposQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedAnswer<RepoListResponse>> {
    return this.lists.answer({ kind: 'org', login: org }, `/github/orgs/${org}/repos`, query, {
      revalidate,
    });
  }
}
