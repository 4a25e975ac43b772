/** The fake GitHub's public surface; see README.md in this folder. */
export { FakeGithub } from './fake-github';
export type { FakeGithubOptions, RecordedRequest } from './fake-github';
export type { FailureMode, FailurePlan } from './failure-plans';
export type { GithubAccountJson, GithubOwnerJson, GithubRepoJson } from './github-json';
export type { RateLimitSetting, RateLimitState } from './rate-limit-budgets';
export type { StargazerOptions, StargazerRestriction } from './stargazers';
