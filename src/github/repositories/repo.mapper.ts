import type { components } from '@octokit/openapi-types';
import { GithubBadGatewayError } from '../api/github-errors';
import { Repo } from '../accounts/repo.model';
import { sharedStrings, StoredRepo } from '../accounts/stored-repo';

type MinimalRepository = components['schemas']['minimal-repository'];

/**
 * The fields we read from one item of GitHub's `/users/{username}/repos`. GitHub's description
 * leaves the counts and dates optional (the dates nullable); GitHub sends them on every list
 * item, and we cannot rank or date a repository without them, so a page lacking them is refused.
 */
type GithubRepoPayload = Pick<
  MinimalRepository,
  | 'name'
  | 'full_name'
  | 'description'
  | 'language'
  | 'html_url'
  | 'fork'
  | 'archived'
  | 'topics'
  | 'open_issues_count'
  | 'pushed_at'
> & {
  [K in 'stargazers_count' | 'forks_count' | 'created_at' | 'updated_at']-?: NonNullable<
    MinimalRepository[K]
  >;
};

function isRepoPayload(value: unknown): value is GithubRepoPayload {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const repo = value as Record<string, unknown>;
  return (
    typeof repo.name === 'string' &&
    typeof repo.full_name === 'string' &&
    typeof repo.html_url === 'string' &&
    typeof repo.stargazers_count === 'number' &&
    typeof repo.forks_count === 'number' &&
    typeof repo.created_at === 'string' &&
    typeof repo.updated_at === 'string' &&
    (repo.language === null || repo.language === undefined || typeof repo.language === 'string') &&
    (repo.description === null ||
      repo.description === undefined ||
      typeof repo.description === 'string') &&
    (repo.pushed_at === null || repo.pushed_at === undefined || typeof repo.pushed_at === 'string')
  );
}

export function toRepo(payload: GithubRepoPayload): Repo {
  return {
    name: payload.name,
    fullName: payload.full_name,
    description: payload.description ?? null,
    language: payload.language ?? null,
    stars: payload.stargazers_count,
    forks: payload.forks_count,
    url: payload.html_url,
    fork: payload.fork === true,
    archived: payload.archived === true,
    topics: Array.isArray(payload.topics)
      ? payload.topics.filter((t) => typeof t === 'string')
      : [],
    openIssues: typeof payload.open_issues_count === 'number' ? payload.open_issues_count : 0,
    createdAt: payload.created_at,
    updatedAt: payload.updated_at,
    pushedAt: payload.pushed_at ?? null,
  };
}

/**
 * Maps one page of GitHub's repository list to the stored form, refusing anything that is not
 * one. GitHub's ~5 kB objects become garbage here: nothing keeps a reference to them.
 */
export function toRepoPage(body: unknown): StoredRepo[] {
  if (!Array.isArray(body) || !body.every(isRepoPayload)) {
    throw new GithubBadGatewayError('GitHub answered with something that is not a repository list');
  }
  try {
    return body.map((payload) => StoredRepo.from(toRepo(payload), sharedStrings));
  } catch (error) {
    throw new GithubBadGatewayError('GitHub sent a repository with an unreadable date', {
      cause: error,
    });
  }
}
