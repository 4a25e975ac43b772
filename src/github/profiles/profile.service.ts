import { Injectable } from '@nestjs/common';
import { CachedAnswer, cachedAnswer } from '../../cache/http/cached-answer';
import { CachedResult, FreshnessRequest } from '../../cache/result-cache';
import { GithubPageCache } from '../upstream/github-page-cache';
import { GithubResultCache } from '../upstream/github-result-cache';
import { ProfileWithFetchedAt } from './dto/profile.response';
import { toProfile } from './profile.mapper';
import { Profile } from './profile.model';

/** Account profiles (users and organisations), cached like every other result. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly results: GithubResultCache,
  ) {}

  async answer(
    username: string,
    freshness: FreshnessRequest,
  ): Promise<CachedAnswer<ProfileWithFetchedAt>> {
    return cachedAnswer(await this.getProfile(username, freshness), (profile) => profile);
  }

  getProfile(username: string, freshness: FreshnessRequest = {}): Promise<CachedResult<Profile>> {
    const login = encodeURIComponent(username.toLowerCase());
    return this.results.get(
      `gh:profile:${login}`,
      async () => {
        const fetched = await this.pages.fetch(`/users/${login}`, toProfile);
        return { data: fetched.page.data, notModified: fetched.notModified };
      },
      freshness,
    );
  }
}
