import { accountUrls } from './account-urls';
import {
  GITHUB_API_ORIGIN,
  GithubAccountJson,
  GithubOwnerJson,
  GithubRepoJson,
} from './github-json';
import { generateRepos } from './repo-generator';

export interface Account {
  profile: GithubAccountJson;
  repos: GithubRepoJson[];
}

/** Ids start high so they never look like small counters a test might confuse with counts. */
const FIRST_ACCOUNT_ID = 583_231;

/** The users and organisations the fake knows, found by login (case-insensitive, as on GitHub) or id. */
export class Accounts {
  private readonly byLogin = new Map<string, Account>();
  private readonly byId = new Map<number, Account>();
  private nextId = FIRST_ACCOUNT_ID;

  add(
    login: string,
    type: GithubOwnerJson['type'],
    repos: number | GithubRepoJson[],
  ): GithubRepoJson[] {
    const existing = this.byLogin.get(login.toLowerCase());
    const id = existing?.profile.id ?? this.nextId++;
    const owner = ownerJson(login, id, type);
    const list = typeof repos === 'number' ? generateRepos(owner, repos) : repos;
    const account: Account = { profile: profileJson(owner, list.length), repos: list };
    this.byLogin.set(login.toLowerCase(), account);
    this.byId.set(id, account);
    return list;
  }

  findByLogin(login: string): Account | undefined {
    return this.byLogin.get(login.toLowerCase());
  }

  findById(id: number): Account | undefined {
    return this.byId.get(id);
  }

  /** A repository by owner and name, both case-insensitive as on GitHub. */
  findRepo(owner: string, name: string): GithubRepoJson | undefined {
    const lower = name.toLowerCase();
    return this.findByLogin(owner)?.repos.find((repo) => repo.name.toLowerCase() === lower);
  }

  /** A repository by its numeric id (`/repositories/:id/...`, where GitHub's `Link` URLs point). */
  findRepoById(id: number): GithubRepoJson | undefined {
    for (const account of this.byId.values()) {
      const repo = account.repos.find((candidate) => candidate.id === id);
      if (repo) {
        return repo;
      }
    }
    return undefined;
  }
}

function ownerJson(login: string, id: number, type: GithubOwnerJson['type']): GithubOwnerJson {
  return {
    login,
    id,
    node_id: `U_fake${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${GITHUB_API_ORIGIN}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /users/{login}` as GitHub answers it for anyone but the account itself: `public-user`. */
function profileJson(owner: GithubOwnerJson, publicRepos: number): GithubAccountJson {
  return {
    login: owner.login,
    id: owner.id,
    node_id: owner.node_id,
    avatar_url: owner.avatar_url,
    gravatar_id: owner.gravatar_id,
    ...accountUrls(owner.login),
    type: owner.type,
    user_view_type: owner.user_view_type,
    site_admin: owner.site_admin,
    name: owner.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: publicRepos,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2011-01-25T18:44:36Z',
    updated_at: '2025-01-01T00:00:00Z',
  };
}
