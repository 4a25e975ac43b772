import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedRoute } from '../../cache/http/cached-route.decorator';
import { Revalidate } from '../../cache/http/revalidate.decorator';
import type { CachedResult } from '../../cache/result-cache';
import { ApiProblemResponses, Problem } from '../../common/api-problem-responses.decorator';
import { NoQuery } from '../../common/no-query';
import { RepoParams, UsernameParams } from '../accounts/github-params';
import { ListReposQuery } from './dto/list-repos.query';
import { RepoDetailsResponse } from './dto/repo-details.response';
import { RepoListResponse } from './dto/repo.response';
import { LIST_ROUTE } from './list-headers';
import { RepoDetailsService } from './repo-details.service';
import { RepoListPage, RepoListService } from './repo-list.service';
import { RepoDetails } from './dto/repo-details.model';

@ApiTags('repositories')
@ApiExtraModels(Problem)
@Controller('github/repos')
export class ReposController {
  constructor(
    private readonly lists: RepoListService,
    private readonly details: RepoDetailsService,
  ) {}

  @Get(':username')
  @ApiOperation({
    summary: "A user's public repositories",
    description:
      'Every page is fetched from GitHub (or the cache); sorting and filtering apply across all repositories, then the page is cut. ' +
      'A `Link` header names first/prev/next/last pages. Send `Cache-Control: no-cache` to revalidate with GitHub now.',
  })
  @CachedRoute(RepoListResponse, LIST_ROUTE)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  listUserRepos(
    @Param() { username }: UsernameParams,
    @Query() query: ListReposQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<RepoListPage>> {
    return this.lists.viewPage({ kind: 'user', login: username }, query, { revalidate });
  }

  @Get(':owner/:repo')
  @ApiOperation({
    summary: 'One repository',
    description:
      'Our repository shape plus the language breakdown (bytes and share), default branch, license and homepage.',
  })
  @CachedRoute(RepoDetailsResponse)
  @ApiProblemResponses(400, 404, 429, 502, 503, 504)
  getRepo(
    @Param() { owner, repo }: RepoParams,
    @Query() _query: NoQuery,
    @Revalidate() revalidate: boolean,
  ): Promise<CachedResult<RepoDetails>> {
    return this.details.getRepo(owner, repo, { revalidate });
  }
}
