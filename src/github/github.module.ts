import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { HttpCacheResponder } from '../common/http-cache/http-cache.responder';
import { GithubPageCache } from './cache/github-page-cache';
import { ResultCache } from './cache/result-cache';
import { GithubClient } from './github-client.service';
import { GithubController } from './github.controller';
import { GithubService } from './github.service';
import { RateLimitGovernor } from './rate-limit-governor';
import { RateLimitService } from './rate-limit.service';
import { RepoPagesFetcher } from './repo-pages.fetcher';

@Module({
  imports: [HttpModule],
  controllers: [GithubController],
  providers: [
    GithubService,
    RepoPagesFetcher,
    GithubPageCache,
    ResultCache,
    GithubClient,
    RateLimitGovernor,
    RateLimitService,
    HttpCacheResponder,
  ],
})
export class GithubModule {}
