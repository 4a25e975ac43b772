import { Controller, Get, Headers, HttpCode, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiProblemResponses, Problem } from '../common/api-problem-responses.decorator';
import {
  HttpCacheResponder,
  type ReplyLike,
  wantsRevalidation,
} from '../common/http-cache/http-cache.responder';
import { ListReposQuery } from './dto/list-repos.query';
import { RateLimitResponse } from './dto/rate-limit.response';
import { RepoListResponse } from './dto/repo.response';
import { UsernameParams } from './dto/username.params';
import { GithubService } from './github.service';
import { ourPageLinks } from './our-page-links';
import { RateLimitService } from './rate-limit.service';
import { RepoListingOptions } from './repo-listing';

@ApiTags('github')
@ApiExtraModels(Problem)
@Controller('github')
export class GithubController {
  constructor(
    private readonly github: GithubService,
    private readonly responder: HttpCacheResponder,
    private readonly rateLimits: RateLimitService,
  ) {}

  @Get('rate-limit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GitHub budget per token',
    description:
      "From the rate-limit headers already seen, or GitHub's free `/rate_limit`; spends no budget.",
  })
  @ApiOkResponse({ type: RateLimitResponse })
  async rateLimit(): Promise<RateLimitResponse> {
    const budgets = await this.rateLimits.budgets();
    return {
      tokens: budgets.map((b) => ({
        fingerprint: b.fingerprint,
        limit: b.limit,
        remaining: b.remaining,
        used: b.limit - b.remaining,
        resetAt: b.reset > 0 ? new Date(b.reset * 1000).toISOString() : null,
        estimated: b.estimated,
      })),
    };
  }

  @Get('repos/:username')
  @HttpCode(200)
  @ApiOperation({
    summary: "A user's public repositories",
    description:
      'Every page is fetched from GitHub (or the cache); sorting and filtering apply across all repositories, then the page is cut. ' +
      'A `Link` header names first/prev/next/last pages. Send `Cache-Control: no-cache` to revalidate with GitHub now.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag from an earlier answer: 304 if unchanged',
  })
  @ApiHeader({
    name: 'Cache-Control',
    required: false,
    description: '`no-cache` revalidates with GitHub before answering',
  })
  @ApiOkResponse({
    type: RepoListResponse,
    headers: {
      ETag: { description: 'Weak validator over the data', schema: { type: 'string' } },
      'X-Cache': { description: 'HIT, MISS, STALE or REVALIDATED', schema: { type: 'string' } },
      Link: { description: 'Our own first/prev/next/last pages', schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified since the ETag in If-None-Match' })
  @ApiProblemResponses(400, 404, 502, 503, 504)
  async listRepos(
    @Param() { username }: UsernameParams,
    @Query() query: ListReposQuery,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<string> {
    const options: RepoListingOptions = {
      sort: query.sort ?? 'stars',
      direction: query.direction,
      language: query.language,
      includeForks: query.includeForks ?? true,
      page: query.page ?? 1,
      perPage: query.perPage ?? 30,
    };
    const result = await this.github.listUserRepos(username, options, {
      revalidate: wantsRevalidation(headers),
    });
    const link = ourPageLinks(`/github/repos/${username}`, query, result.listing);
    if (link) {
      reply.header('link', link);
    }
    return this.responder.respond(headers, reply, result.listing, result, (listing) => ({
      username,
      total: listing.total,
      page: listing.page,
      perPage: listing.perPage,
      repos: listing.repos,
    }));
  }
}
