import { registerAs } from '@nestjs/config';
import { IsOptional, IsUrl, Matches } from 'class-validator';
import { OptionalIntegerEnv, validateEnv } from './validate-env';

class GithubEnvironment {
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'GITHUB_API_URL must be an http(s) URL such as https://api.github.com' },
  )
  GITHUB_API_URL?: string;

  // Tokens are opaque; the rule only keeps whitespace and quotes (a pasted-in mistake) out.
  @IsOptional()
  @Matches(/^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*$/, {
    message:
      'GITHUB_TOKEN must be a GitHub token (letters, digits, underscores) or a comma list of them',
  })
  GITHUB_TOKEN?: string;

  @OptionalIntegerEnv('GITHUB_TIMEOUT_MS', 100, 120000)
  GITHUB_TIMEOUT_MS?: number;

  @OptionalIntegerEnv('GITHUB_RATE_LIMIT_RESERVE', 0, 1000)
  GITHUB_RATE_LIMIT_RESERVE?: number;
}

export const githubConfig = registerAs('github', () => {
  const env = validateEnv(GithubEnvironment);
  return {
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    tokens: env.GITHUB_TOKEN ? env.GITHUB_TOKEN.split(',') : [],
    timeoutMs: env.GITHUB_TIMEOUT_MS ?? 10000,
    /** Requests per token held back for conditional revalidations, which cost nothing on a 304. */
    rateLimitReserve: env.GITHUB_RATE_LIMIT_RESERVE ?? 50,
  };
});

export type GithubConfig = ReturnType<typeof githubConfig>;
