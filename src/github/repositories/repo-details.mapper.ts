import type { components } from '@octokit/openapi-types';
import { GithubBadGatewayError } from '../api/github-errors';
import { toRepoPage } from './repo.mapper';
import { LanguageBytes, RepoDetails } from './dto/repo-details.model';

/** The parts of GitHub's `/repos/{owner}/{repo}` beyond the list fields. */
export function toRepoDetails(repoBody: unknown, languages: LanguageBytes[]): RepoDetails {
  const [repo] = toRepoPage([repoBody]);
  // What GitHub documents; typed only to name its fields, each is still checked before use.
  const body = repoBody as Partial<components['schemas']['full-repository']>;
  const license = body.license;
  return {
    ...repo.toJSON(),
    defaultBranch: typeof body.default_branch === 'string' ? body.default_branch : 'main',
    license:
      license && typeof license.name === 'string'
        ? {
            spdxId:
              typeof license.spdx_id === 'string' && license.spdx_id !== 'NOASSERTION'
                ? license.spdx_id
                : null,
            name: license.name,
          }
        : null,
    homepage: typeof body.homepage === 'string' && body.homepage !== '' ? body.homepage : null,
    languages,
  };
}

/** GitHub's `/languages` body (`{"TypeScript": 12345, ...}`) as entries with shares, largest first. */
export function toLanguageBytes(body: unknown): LanguageBytes[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GithubBadGatewayError(
      'GitHub answered with something that is not a language breakdown',
    );
  }
  const entries = Object.entries(body).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= 0,
  );
  const total = entries.reduce((sum, [, bytes]) => sum + bytes, 0);
  return entries
    .map(([language, bytes]) => ({ language, bytes, share: total > 0 ? bytes / total : 0 }))
    .sort((a, b) => b.bytes - a.bytes || a.language.localeCompare(b.language));
}
