import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { GithubClient } from './github-client.service';
import { GithubPageCache } from './github-page-cache';
import { GithubResultCache } from './github-result-cache';
import { InstallationTokens } from '../app-auth/installation-tokens';
import { RateLimitGovernor } from './rate-limit-governor';

/**
 * GitHub itself: the only module that talks HTTP to it (through `HttpService`), with the
 * rate-limit governor and its token pool, the GitHub App's installation tokens (bought outside
 * `HttpService`, by @octokit/auth-app), the page cache (ETag revalidation) and the result cache
 * that reads GitHub's failures. Every other GitHub module builds on what it exports.
 */
@Module({
  imports: [HttpModule],
  providers: [
    GithubClient,
    RateLimitGovernor,
    GithubPageCache,
    GithubResultCache,
    InstallationTokens,
  ],
  exports: [GithubClient, RateLimitGovernor, GithubPageCache, GithubResultCache],
})
export class GithubUpstreamModule {}
