import { Injectable } from '@nestjs/common';
import { onEveryServe } from '../../cache/request-record';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { AccountFreshData } from '../accounts/account-fresh-data';
import { GithubPageCache } from '../upstream/github-page-cache';
import { GithubResultCache } from '../upstream/github-result-cache';
import { toProfile } from './profile.mapper';
import { Profile } from '../accounts/profile.model';
import type { RepoOwner } from '../accounts/repo-owner';

/** Account profiles (users and organisations), cached like every other result. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly results: GithubResultCache,
    private readonly fresh: AccountFreshData,
  ) {}

  /** A profile a client asked for: the account is worth watching, on every answer (edge hits too). */
  async view(username: string, freshness: FreshnessRequest): Promise<CachedResult<Profile>> {
    const result = await this.getProfile(username, freshness);
    const owner = ownerOf(result.data);
    onEveryServe(() => this.fresh.publish({ kind: 'viewed', owner }));
    return result;
  }

  getProfile(username: string, freshness: FreshnessRequest = {}): Promise<CachedResult<Profile>> {
    const login = encodeURIComponent(username.toLowerCase());
    return this.results.get(
      `gh:profile:${login}`,
      async () => {
        const fetched = await this.pages.fetch(`/users/${login}`, toProfile);
        this.fresh.publish({ kind: 'profile', profile: fetched.page.data });
        return { data: fetched.page.data, notModified: fetched.notModified };
      },
      freshness,
    );
  }

  /** The last profile GitHub gave us, however old, without asking GitHub again. */
  lastKnownProfile(username: string): Promise<Profile | undefined> {
    return this.results.lastKnown<Profile>(
      `gh:profile:${encodeURIComponent(username.toLowerCase())}`,
    );
  }
}

/** Whose repository list goes with a profile: organisations list theirs under /orgs. */
export function ownerOf(profile: Profile): RepoOwner {
  return { kind: profile.type === 'Organization' ? 'org' : 'user', login: profile.login };
}
