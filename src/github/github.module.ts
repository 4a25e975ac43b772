import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { HttpCacheResponder } from '../common/http-cache/http-cache.responder';
import { GithubPageCache } from './cache/github-page-cache';
import { ResultCache } from './cache/result-cache';
import { GithubClient } from './github-client.service';
import { GithubService } from './github.service';
import { OrgsController } from './orgs.controller';
import { ProfileService } from './profile.service';
import { RateLimitController } from './rate-limit.controller';
import { RateLimitGovernor } from './rate-limit-governor';
import { RateLimitService } from './rate-limit.service';
import { RepoDetailsService } from './repo-details.service';
import { RepoListResponder } from './repo-list.responder';
import { RepoPagesFetcher } from './repo-pages.fetcher';
import { ReposController } from './repos.controller';
import { SummaryService } from './summary.service';
import { UsersController } from './users.controller';

@Module({
  imports: [HttpModule],
  controllers: [RateLimitController, ReposController, UsersController, OrgsController],
  providers: [
    GithubService,
    ProfileService,
    SummaryService,
    RepoDetailsService,
    RepoPagesFetcher,
    GithubPageCache,
    ResultCache,
    GithubClient,
    RateLimitGovernor,
    RateLimitService,
    HttpCacheResponder,
    RepoListResponder,
  ],
})
export class GithubModule {}
