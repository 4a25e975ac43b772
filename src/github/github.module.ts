import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { GithubClient } from './github-client.service';
import { GithubController } from './github.controller';
import { GithubService } from './github.service';
import { RepoPagesFetcher } from './repo-pages.fetcher';

@Module({
  imports: [HttpModule],
  controllers: [GithubController],
  providers: [GithubService, RepoPagesFetcher, GithubClient],
})
export class GithubModule {}
