import { Module } from '@nestjs/common';
import { GithubUpstreamModule } from '../upstream/github-upstream.module';
import { RateLimitController } from './rate-limit.controller';
import { RateLimitService } from './rate-limit.service';

/** What is left of each token's GitHub budget, without spending any. */
@Module({
  imports: [GithubUpstreamModule],
  controllers: [RateLimitController],
  providers: [RateLimitService],
})
export class RateLimitModule {}
