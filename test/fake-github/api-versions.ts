import { IncomingMessage } from 'node:http';

/** The REST API versions GitHub serves ("API versions" in its docs), oldest first. */
export const API_VERSIONS = ['2022-11-28', '2026-03-10'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** What GitHub serves a request that names no version in `X-GitHub-Api-Version`. */
export const DEFAULT_API_VERSION: ApiVersion = '2022-11-28';

/** What an answer looks like in each version: only what differs between them. */
interface VersionShape {
  /** Headers on every answer served in the version. */
  headers: Readonly<Record<string, string>>;
  /** Repository fields the version no longer sends. */
  removedRepoFields: readonly string[];
  /** Whether `GET /rate_limit` still repeats `resources.core` as a top-level `rate`. */
  rateLimitHasRate: boolean;
}

/**
 * 2022-11-28 is deprecated since 2026-03-12, when 2026-03-10 was announced (`Deprecation`, RFC
 * 9745: `@` and epoch seconds), and stops on 2028-03-10 (`Sunset`, RFC 8594: an HTTP date).
 * 2026-03-10 drops `rate` from `/rate_limit` and three fields from repositories.
 */
const SHAPES: Record<ApiVersion, VersionShape> = {
  '2022-11-28': {
    headers: {
      'x-github-api-version-selected': '2022-11-28',
      deprecation: '@1773273600',
      sunset: 'Fri, 10 Mar 2028 00:00:00 GMT',
    },
    removedRepoFields: [],
    rateLimitHasRate: true,
  },
  '2026-03-10': {
    headers: { 'x-github-api-version-selected': '2026-03-10' },
    removedRepoFields: ['has_downloads', 'master_branch', 'use_squash_pr_title_as_default'],
    rateLimitHasRate: false,
  },
};

/**
 * The version a request is served in: the one it names, GitHub's default when it names none, or
 * undefined when it names one GitHub does not serve (answered with a 400).
 */
export function apiVersionOf(req: IncomingMessage): ApiVersion | undefined {
  const asked = req.headers['x-github-api-version'];
  if (asked === undefined) {
    return DEFAULT_API_VERSION;
  }
  return API_VERSIONS.find((version) => version === asked);
}

export function apiVersionShape(version: ApiVersion): VersionShape {
  return SHAPES[version];
}
