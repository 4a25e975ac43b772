import { registerAs } from '@nestjs/config';
import { IsOptional, IsUrl, Validate } from 'class-validator';
import { GithubTokensRule } from './github-token-rule';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

export class GithubEnvironment {
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'GITHUB_API_URL must be an http(s) URL such as https://api.github.com' },
  )
  GITHUB_API_URL?: string;

  // Tokens are opaque and their formats change (installation tokens became ~520-character JWTs
  // in 2026): the rule keeps out only what no token has, a pasted-in mistake.
  @IsOptional()
  @Validate(GithubTokensRule)
  GITHUB_TOKEN?: string;

  @OptionalIntegerEnv('GITHUB_TIMEOUT_MS', 100, 120000)
  GITHUB_TIMEOUT_MS?: number;

  @OptionalIntegerEnv('GITHUB_RATE_LIMIT_RESERVE', 0, 1000)
  GITHUB_RATE_LIMIT_RESERVE?: number;

  // At least one page of 100; at most 1,000 pages, a fifth of a token's hourly budget.
  @OptionalIntegerEnv('GITHUB_MAX_REPOS_PER_ACCOUNT', 100, 100000)
  GITHUB_MAX_REPOS_PER_ACCOUNT?: number;

  // GitHub's secondary limit allows 100 concurrent requests; memory for bodies in flight is the real bound.
  @OptionalIntegerEnv('GITHUB_MAX_CONCURRENT_REQUESTS', 1, 100)
  GITHUB_MAX_CONCURRENT_REQUESTS?: number;

  // GitHub's secondary limit: 900 points a minute per REST endpoint (a GET is one point). Above
  // 900 only for a GitHub Enterprise Server with other limits, or a fake GitHub under load tests.
  @OptionalIntegerEnv('GITHUB_MAX_REQUESTS_PER_MINUTE', 1, 1_000_000)
  GITHUB_MAX_REQUESTS_PER_MINUTE?: number;
}

export const githubConfig = registerAs('github', () => {
  const env = validateEnv(GithubEnvironment);
  return {
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    tokens: env.GITHUB_TOKEN ? env.GITHUB_TOKEN.split(',') : [],
    timeoutMs: env.GITHUB_TIMEOUT_MS ?? 10000,
    /** Requests per token held back for conditional revalidations, which cost nothing on a 304. */
    rateLimitReserve: env.GITHUB_RATE_LIMIT_RESERVE ?? 50,
    /** Repositories one request may read of an account: past it the answer is partial (`complete: false`). */
    maxReposPerAccount: env.GITHUB_MAX_REPOS_PER_ACCOUNT ?? 10000,
    /**
     * GitHub requests in flight in this process. Each page of 100 repositories is ~0.5 MB of JSON
     * and a few MB while it is parsed and mapped: this bounds that transient memory, whatever
     * number of cold accounts is asked for at once.
     */
    maxConcurrentRequests: env.GITHUB_MAX_CONCURRENT_REQUESTS ?? 8,
    /**
     * GitHub requests per token per minute, all endpoints together: GitHub's secondary limit is 900
     * per endpoint, so counting every endpoint against it stays under it whatever the mix.
     * Requests past it wait for the next slot (up to GITHUB_TIMEOUT_MS) instead of being sent.
     */
    maxRequestsPerMinute: env.GITHUB_MAX_REQUESTS_PER_MINUTE ?? 900,
  };
});

export type GithubConfig = ReturnType<typeof githubConfig>;
