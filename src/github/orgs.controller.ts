import { Controller, Get, Headers, HttpCode, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiProblemResponses, Problem } from '../common/api-problem-responses.decorator';
import { ApiCachedRoute } from '../common/http-cache/api-cached-route.decorator';
import { type ReplyLike, wantsRevalidation } from '../common/http-cache/http-cache.responder';
import { ListReposQuery, toListingOptions } from './dto/list-repos.query';
import { RepoListResponse } from './dto/repo.response';
import { OrgParams } from './dto/username.params';
import { GithubService } from './github.service';
import { RepoListResponder } from './repo-list.responder';

@ApiTags('organisations')
@ApiExtraModels(Problem)
@Controller('github/orgs')
export class OrgsController {
  constructor(
    private readonly github: GithubService,
    private readonly lists: RepoListResponder,
  ) {}

  @Get(':org/repos')
  @HttpCode(200)
  @ApiOperation({
    summary: "An organisation's public repositories",
    description: 'Same query parameters, body and `Link` header as `GET /github/repos/{username}`.',
  })
  @ApiCachedRoute(RepoListResponse, {
    Link: 'Our own first/prev/next/last pages',
    'X-Repos-Complete':
      '`false` when the account has more repositories than one request reads (GITHUB_MAX_REPOS_PER_ACCOUNT): the answer covers the most recently pushed ones',
  })
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  async listOrgRepos(
    @Param() { org }: OrgParams,
    @Query() query: ListReposQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Buffer | undefined> {
    const result = await this.github.listRepos(
      { kind: 'org', login: org },
      toListingOptions(query),
      {
        revalidate: wantsRevalidation(headers),
      },
    );
    return this.lists.respond(headers, reply, `/github/orgs/${org}/repos`, org, query, result);
  }
}
