import type {
  AccountHistory,
  HistoryPoint,
  Profile,
  Repo,
  RepoDetails,
  RepoPage,
  StarHistory,
  Summary,
} from '../api/types';

export const NOW = new Date('2026-11-26T12:00:00Z');

export function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    login: 'octocat',
    name: 'The Octocat',
    avatarUrl: 'https://avatars.githubusercontent.com/u/583231?v=4',
    url: 'https://github.com/octocat',
    type: 'User',
    bio: 'Mascot of a code host.',
    company: '@github',
    blog: 'github.blog',
    location: 'San Francisco',
    publicRepos: 75,
    followers: 21_500,
    following: 9,
    createdAt: '2011-01-25T18:44:36Z',
    ...overrides,
  };
}

export function repo(n: number, overrides: Partial<Repo> = {}): Repo {
  return {
    name: `repo-${n}`,
    fullName: `octocat/repo-${n}`,
    description: `Repository number ${n}`,
    language: n % 3 === 0 ? null : n % 3 === 1 ? 'TypeScript' : 'Go',
    stars: 1000 - n,
    forks: 100 - n,
    url: `https://github.com/octocat/repo-${n}`,
    fork: n % 10 === 0,
    archived: false,
    topics: [],
    openIssues: 1,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2026-11-20T00:00:00Z',
    pushedAt: '2026-11-20T00:00:00Z',
    ...overrides,
  };
}

export function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    profile: profile(),
    totals: {
      repos: 75,
      stars: 12_345,
      forks: 678,
      openIssues: 75,
      sources: 68,
      forked: 7,
      archived: 2,
    },
    languages: [
      { language: 'TypeScript', repos: 30, stars: 9000, share: 30 / 68 },
      { language: 'Go', repos: 25, stars: 3000, share: 25 / 68 },
      { language: null, repos: 13, stars: 345, share: 13 / 68 },
    ],
    topRepos: [1, 2, 3, 4, 5].map((n) => repo(n)),
    recentlyPushed: [1, 2, 3, 4, 5].map((n) => repo(n)),
    complete: true,
    publicRepos: 75,
    coverage: 'all 75 repositories',
    fetchedAt: NOW.toISOString(),
    ...overrides,
  };
}

/** The page the list route would cut for these parameters (75 repositories in all). */
export function repoPage(url: URL, total = 75): RepoPage {
  const page = Number(url.searchParams.get('page') ?? 1);
  const perPage = Number(url.searchParams.get('perPage') ?? 30);
  const first = (page - 1) * perPage;
  const count = Math.max(0, Math.min(perPage, total - first));
  return {
    username: 'octocat',
    total,
    page,
    perPage,
    repos: Array.from({ length: count }, (_, i) => repo(first + i + 1)),
    complete: true,
    publicRepos: total,
    coverage: `all ${total} repositories`,
    fetchedAt: NOW.toISOString(),
  };
}

/** `days` recorded days ending on NOW's day: stars grow by 5 a day, followers by 2. */
export function accountHistory(days = 5, login = 'octocat'): AccountHistory {
  const points: HistoryPoint[] = Array.from({ length: days }, (_, i) => ({
    date: dayBefore(NOW, days - 1 - i),
    followers: 21_500 - 2 * (days - 1 - i),
    following: 9,
    publicRepos: 75,
    stars: 12_345 - 5 * (days - 1 - i),
    forks: 678,
  }));
  return { login, since: points[0]?.date ?? null, points, fetchedAt: NOW.toISOString() };
}

/** The star history of a repository as read from GitHub's stargazer list (the default). */
export function starHistory(overrides: Partial<StarHistory> = {}): StarHistory {
  return {
    fullName: 'octocat/repo-1',
    stars: 999,
    source: 'stargazers',
    exact: true,
    interval: 'day',
    since: '2020-01-02',
    points: [
      { date: '2020-01-02', stars: 1 },
      { date: '2023-06-30', stars: 400 },
      { date: dayBefore(NOW, 0), stars: 999 },
    ],
    fetchedAt: NOW.toISOString(),
    ...overrides,
  };
}

export function repoDetails(overrides: Partial<RepoDetails> = {}): RepoDetails {
  const name = overrides.name ?? 'repo-1';
  return {
    name,
    fullName: `octocat/${name}`,
    description: 'Repository number 1',
    language: 'TypeScript',
    stars: 999,
    forks: 99,
    url: `https://github.com/octocat/${name}`,
    fork: false,
    archived: false,
    topics: ['api', 'dashboard'],
    openIssues: 4,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2026-11-20T00:00:00Z',
    pushedAt: '2026-11-19T00:00:00Z',
    defaultBranch: 'main',
    license: { spdxId: 'MIT', name: 'MIT License' },
    homepage: null,
    languages: [
      { language: 'TypeScript', bytes: 1_200_000, share: 0.8 },
      { language: 'Shell', bytes: 300_000, share: 0.2 },
    ],
    fetchedAt: NOW.toISOString(),
    ...overrides,
  };
}

/** The UTC day `n` days before `date`, YYYY-MM-DD. */
export function dayBefore(date: Date, n: number): string {
  return new Date(date.getTime() - n * 86_400_000).toISOString().slice(0, 10);
}
