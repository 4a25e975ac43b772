import { Injectable } from '@nestjs/common';
import { GithubPageCache } from './cache/github-page-cache';
import { CachedResult, ResultCache } from './cache/result-cache';
import { FreshnessRequest } from './github.service';
import { toProfile } from './profile.mapper';
import { Profile } from './profile.model';

/** Account profiles (users and organisations), cached like every other result. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly pages: GithubPageCache,
    private readonly results: ResultCache,
  ) {}

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
