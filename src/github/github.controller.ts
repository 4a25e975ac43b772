import { Controller, Get, HttpCode, Param, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, Problem } from '../common/api-problem-responses.decorator';
import { ListReposQuery } from './dto/list-repos.query';
import { RepoListResponse } from './dto/repo.response';
import { UsernameParams } from './dto/username.params';
import { GithubService } from './github.service';
import { ourPageLinks } from './our-page-links';

/** Works on Fastify's reply and Express's response alike. */
interface HeaderSink {
  header(name: string, value: string): unknown;
}

@ApiTags('github')
@ApiExtraModels(Problem)
@Controller('github')
export class GithubController {
  constructor(private readonly github: GithubService) {}

  @Get('repos/:username')
  @HttpCode(200)
  @ApiOperation({
    summary: "A user's public repositories",
    description:
      'Every page is fetched from GitHub; sorting and filtering apply across all repositories, then the page is cut. A `Link` header names first/prev/next/last pages.',
  })
  @ApiOkResponse({ type: RepoListResponse })
  @ApiProblemResponses(400, 404, 502, 503, 504)
  async listRepos(
    @Param() { username }: UsernameParams,
    @Query() query: ListReposQuery,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): Promise<RepoListResponse> {
    const page = await this.github.listUserRepos(username, {
      sort: query.sort ?? 'stars',
      direction: query.direction,
      language: query.language,
      includeForks: query.includeForks ?? true,
      page: query.page ?? 1,
      perPage: query.perPage ?? 30,
    });
    const link = ourPageLinks(`/github/repos/${username}`, query, page);
    if (link) {
      reply.header('link', link);
    }
    return {
      username,
      total: page.total,
      page: page.page,
      perPage: page.perPage,
      repos: page.repos,
    };
  }
}
