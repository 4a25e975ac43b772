import { Module } from '@nestjs/common';
import { ProfilesModule } from './profiles/profiles.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RepositoriesModule } from './repositories/repositories.module';
import { SummaryModule } from './summary/summary.module';
import { GithubUpstreamModule } from './upstream/github-upstream.module';

/**
 * The GitHub feature's entry point: the upstream (client, governor, GitHub's caches) and one
 * module per kind of answer built on it.
 */
@Module({
  imports: [
    GithubUpstreamModule,
    RepositoriesModule,
    ProfilesModule,
    SummaryModule,
    RateLimitModule,
  ],
})
export class GithubModule {}
