import { accountUrls } from './account-urls';
import { GITHUB_DOCS_URL, GithubRepoJson } from './github-json';

/** How GitHub refuses a stargazer list to anyone but collaborators (July 2026 onwards). */
export type StargazerRestriction = 'forbidden' | 'empty';

export interface StargazerOptions {
  /** When each stargazer starred the repository, ISO 8601 date-times, oldest first. */
  starredAt: string[];
  /**
   * The tokens (bare, as in `Bearer <token>`: `'ghp_owner'`) of the repository's admins and
   * collaborators: only they may list the stargazers. Default none.
   */
  collaborators?: string[];
  /**
   * What everyone else gets: `forbidden` (403, the default) or `empty` (200 with `[]`, as GitHub
   * answers some restricted lists).
   */
  restriction?: StargazerRestriction;
}

/** One repository's stargazers as stored: users are derived from the position when served. */
export interface StargazerList {
  starredAt: readonly string[];
  collaborators: ReadonlySet<string>;
  restriction: StargazerRestriction;
}

/** GitHub lists at most 400 pages of stargazers and answers 422 past that. */
export const MAX_STARGAZER_PAGES = 400;

/** GitHub's message for a page past the last listable one. */
export const PAGINATION_LIMITED: { message: string; documentation_url: string; status: string } = {
  message:
    'In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.',
  documentation_url: 'https://docs.github.com/v3/#pagination',
  status: '422',
};

/** GitHub's refusal of a restricted stargazer list: a permission 403, not a rate limit. */
export const STARGAZERS_FORBIDDEN: { message: string; documentation_url: string; status: string } =
  {
    message: 'Must have push access to view repository stargazers.',
    documentation_url: `${GITHUB_DOCS_URL}/activity/starring#list-stargazers`,
    status: '403',
  };

/** Stargazer ids start far from account and repository ids. */
const FIRST_STARGAZER_ID = 71_000_000;

/**
 * The stargazer lists the fake was given, by repository object: replacing an account (`addUser`)
 * replaces its repositories and so forgets their lists, as their counts are regenerated too.
 */
export class Stargazers {
  private readonly byRepo = new WeakMap<GithubRepoJson, StargazerList>();

  /** Stores the list and sets the repository's star counts to its length. */
  set(repo: GithubRepoJson, options: StargazerOptions): void {
    const starredAt = [...options.starredAt];
    for (let i = 1; i < starredAt.length; i++) {
      if (Date.parse(starredAt[i]) < Date.parse(starredAt[i - 1])) {
        throw new Error(
          `setStargazers(${repo.full_name}): starredAt must be oldest first (${starredAt[i - 1]} before ${starredAt[i]})`,
        );
      }
    }
    const invalid = starredAt.find((at) => Number.isNaN(Date.parse(at)));
    if (invalid !== undefined) {
      throw new Error(`setStargazers(${repo.full_name}): ${invalid} is not a date-time`);
    }
    this.byRepo.set(repo, {
      starredAt,
      collaborators: new Set(options.collaborators ?? []),
      restriction: options.restriction ?? 'forbidden',
    });
    repo.stargazers_count = starredAt.length;
    repo.watchers_count = starredAt.length;
    repo.watchers = starredAt.length;
  }

  /** The list of a repository; a repository never given one has none, listable by nobody. */
  of(repo: GithubRepoJson): StargazerList {
    return (
      this.byRepo.get(repo) ?? {
        starredAt: [],
        collaborators: new Set(),
        restriction: 'forbidden',
      }
    );
  }
}

/** The `simple-user` of the stargazer at `index` (0-based, oldest first), the same for every repository. */
export function stargazerUser(index: number): Record<string, unknown> {
  const id = FIRST_STARGAZER_ID + index;
  const login = `stargazer-${index + 1}`;
  const { url, html_url, ...urls } = accountUrls(login);
  return {
    login,
    id,
    node_id: `U_fakestar${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url,
    ...urls,
    type: 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `Accept: application/vnd.github.star+json` (or its `v3` form) asks for `starred_at`. */
export function wantsStarredAt(accept: string | undefined): boolean {
  return /application\/vnd\.github(\.v3)?\.star\+json/i.test(accept ?? '');
}

/** `Bearer ghp_x` or `token ghp_x` → `ghp_x`. */
export function bareToken(authorization: string | undefined): string | undefined {
  return authorization?.replace(/^(bearer|token)\s+/i, '').trim() || undefined;
}
