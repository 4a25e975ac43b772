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
import { ListReposQuery, toListingOptions } from './dto/list-repos.query';
import { RepoDetailsResponse } from './dto/repo-details.response';
import { RepoListResponse } from './dto/repo.response';
import { RepoParams, UsernameParams } from './dto/username.params';
import { GithubService } from './github.service';
import { RepoDetailsService } from './repo-details.service';
import { RepoListResponder } from './repo-list.responder';

@ApiTags('repositories')
@ApiExtraModels(Problem)
@Controller('github/repos')
export class ReposController {
  constructor(
    private readonly github: GithubService,
    private readonly details: RepoDetailsService,
    private readonly lists: RepoListResponder,
    private readonly responder: HttpCacheResponder,
  ) {}

  @Get(':username')
  @HttpCode(200)
  @ApiOperation({
    summary: "A user's public repositories",
    description:
      'Every page is fetched from GitHub (or the cache); sorting and filtering apply across all repositories, then the page is cut. ' +
      'A `Link` header names first/prev/next/last pages. Send `Cache-Control: no-cache` to revalidate with GitHub now.',
  })
  @ApiCachedRoute(RepoListResponse, {
    Link: 'Our own first/prev/next/last pages',
    'X-Repos-Complete':
      '`false` when the account has more repositories than one request reads (GITHUB_MAX_REPOS_PER_ACCOUNT): the answer covers the most recently pushed ones',
  })
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  async listUserRepos(
    @Param() { username }: UsernameParams,
    @Query() query: ListReposQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Buffer | undefined> {
    const result = await this.github.listRepos(
      { kind: 'user', login: username },
      toListingOptions(query),
      {
        revalidate: wantsRevalidation(headers),
      },
    );
    return this.lists.respond(headers, reply, `/github/repos/${username}`, username, query, result);
  }

  @Get(':owner/:repo')
  @HttpCode(200)
  @ApiOperation({
    summary: 'One repository',
    description:
      'Our repository shape plus the language breakdown (bytes and share), default branch, license and homepage.',
  })
  @ApiCachedRoute(RepoDetailsResponse)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  async getRepo(
    @Param() { owner, repo }: RepoParams,
    @Query() _query: NoQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<Buffer | undefined> {
    const result = await this.details.getRepo(owner, repo, {
      revalidate: wantsRevalidation(headers),
    });
    return this.responder.respond(headers, reply, result.data, result, (details) => details);
  }
}
