import type { Profile } from '../../github/accounts/profile.model';
import type { Repo } from '../../github/accounts/repo.model';

/** An account's numbers on one day; a half that was not seen fresh that day is left out. */
export interface AccountSnapshot {
  login: string;
  day: string;
  profile?: Pick<Profile, 'followers' | 'following' | 'publicRepos'>;
  /** The summary's `totals.stars` and `totals.forks`: every listed repository, forks included. */
  totals?: { stars: number; forks: number };
  repos: RepoSnapshot[];
}

export interface RepoSnapshot {
  /** `owner/name`, lower case. */
  fullName: string;
  stars: number;
  forks: number;
  openIssues: number;
}

/** The snapshot of an account from what is known of it (either half may be missing). */
export function accountSnapshot(
  login: string,
  day: string,
  profile: Profile | undefined,
  repos: readonly Repo[] | undefined,
): AccountSnapshot {
  return {
    login: login.toLowerCase(),
    day,
    ...(profile
      ? {
          profile: {
            followers: profile.followers,
            following: profile.following,
            publicRepos: profile.publicRepos,
          },
        }
      : {}),
    ...(repos
      ? {
          totals: {
            stars: repos.reduce((total, repo) => total + repo.stars, 0),
            forks: repos.reduce((total, repo) => total + repo.forks, 0),
          },
        }
      : {}),
    repos: (repos ?? []).map(repoSnapshot),
  };
}

export function repoSnapshot(
  repo: Pick<Repo, 'fullName' | 'stars' | 'forks' | 'openIssues'>,
): RepoSnapshot {
  return {
    fullName: repo.fullName.toLowerCase(),
    stars: repo.stars,
    forks: repo.forks,
    openIssues: repo.openIssues,
  };
}
