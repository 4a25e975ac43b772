import { Profile } from '../accounts/profile.model';
import { Repo } from '../accounts/repo.model';
import { summarize } from './summary';

const PROFILE: Profile = {
  login: 'octocat',
  name: 'The Octocat',
  avatarUrl: 'https://avatars.githubusercontent.com/u/583231?v=4',
  url: 'https://github.com/octocat',
  type: 'User',
  bio: null,
  company: '@github',
  blog: 'https://github.blog',
  location: 'San Francisco',
  publicRepos: 8,
  followers: 21000,
  following: 9,
  createdAt: '2011-01-25T18:44:36Z',
};

function repo(name: string, overrides: Partial<Repo> = {}): Repo {
  return {
    name,
    fullName: `octocat/${name}`,
    description: null,
    language: 'TypeScript',
    stars: 0,
    forks: 0,
    url: `https://github.com/octocat/${name}`,
    fork: false,
    archived: false,
    topics: [],
    openIssues: 0,
    createdAt: '2020-01-01T00:00:00Z',
    updatedAt: '2020-01-01T00:00:00Z',
    pushedAt: '2020-01-01T00:00:00Z',
    ...overrides,
  };
}

const names = (repos: Repo[]): string[] => repos.map((r) => r.name);

describe(summarize.name, () => {
  it('should pass the profile through unchanged', () => {
    // Act
    const summary = summarize(PROFILE, [repo('a')]);

    // Assert
    expect(summary.profile).toEqual(PROFILE);
  });

  it('should total every repository, forks and archived ones included', () => {
    // Arrange
    const repos = [
      repo('source', { stars: 10, forks: 2, openIssues: 3 }),
      repo('archived', { stars: 5, forks: 1, openIssues: 0, archived: true }),
      repo('fork', { stars: 7, forks: 4, openIssues: 1, fork: true }),
      repo('archived-fork', { stars: 1, forks: 0, openIssues: 6, fork: true, archived: true }),
    ];

    // Act
    const { totals } = summarize(PROFILE, repos);

    // Assert
    expect(totals).toEqual({
      repos: 4,
      stars: 23,
      forks: 7,
      openIssues: 10,
      sources: 2,
      forked: 2,
      archived: 2,
    });
  });

  it('should answer zeros and empty lists for an account without repositories', () => {
    // Act
    const summary = summarize(PROFILE, []);

    // Assert
    expect(summary).toEqual({
      profile: PROFILE,
      totals: { repos: 0, stars: 0, forks: 0, openIssues: 0, sources: 0, forked: 0, archived: 0 },
      languages: [],
      topRepos: [],
      recentlyPushed: [],
      complete: true,
      publicRepos: 0,
      coverage: 'all 0 repositories',
    });
  });

  it("should carry a partial list's coverage through unchanged", () => {
    // Act
    const summary = summarize(PROFILE, [repo('a')], {
      complete: false,
      publicRepos: 104_326,
      coverage: 'first 1 of 104,326 repositories, most recently pushed first',
    });

    // Assert
    expect(summary.totals.repos).toBe(1);
    expect(summary).toMatchObject({ complete: false, publicRepos: 104_326 });
    expect(summary.coverage).toBe('first 1 of 104,326 repositories, most recently pushed first');
  });

  it('should break languages down with repositories, stars and share', () => {
    // Arrange
    const repos = [
      repo('ts-1', { language: 'TypeScript', stars: 3 }),
      repo('ts-2', { language: 'TypeScript', stars: 4 }),
      repo('go-1', { language: 'Go', stars: 100 }),
      repo('plain', { language: null, stars: 2 }),
    ];

    // Act
    const { languages } = summarize(PROFILE, repos);

    // Assert
    expect(languages).toEqual([
      { language: 'TypeScript', repos: 2, stars: 7, share: 0.5 },
      { language: 'Go', repos: 1, stars: 100, share: 0.25 },
      { language: null, repos: 1, stars: 2, share: 0.25 },
    ]);
  });

  it('should count repositories without a language under null, not drop them', () => {
    // Arrange
    const repos = [repo('a', { language: null }), repo('b', { language: null }), repo('c')];

    // Act
    const { languages } = summarize(PROFILE, repos);

    // Assert
    expect(languages[0]).toEqual({ language: null, repos: 2, stars: 0, share: 2 / 3 });
    expect(languages.reduce((total, l) => total + l.repos, 0)).toBe(3);
  });

  it('should leave forks out of the language breakdown and its shares', () => {
    // Arrange
    const repos = [
      repo('own-ts', { language: 'TypeScript', stars: 1 }),
      repo('own-go', { language: 'Go', stars: 2 }),
      repo('forked-rust-1', { language: 'Rust', fork: true, stars: 50 }),
      repo('forked-rust-2', { language: 'Rust', fork: true, stars: 50 }),
      repo('forked-ts', { language: 'TypeScript', fork: true, stars: 50 }),
    ];

    // Act
    const { languages } = summarize(PROFILE, repos);

    // Assert
    expect(languages).toEqual([
      { language: 'Go', repos: 1, stars: 2, share: 0.5 },
      { language: 'TypeScript', repos: 1, stars: 1, share: 0.5 },
    ]);
  });

  it('should answer no languages when every repository is a fork', () => {
    // Act
    const { languages, totals } = summarize(PROFILE, [repo('f', { fork: true })]);

    // Assert
    expect(languages).toEqual([]);
    expect(totals).toMatchObject({ repos: 1, sources: 0, forked: 1 });
  });

  it('should give shares that sum to 1', () => {
    // Arrange
    const langs = ['TypeScript', 'Go', 'Rust', null, 'C++', 'Shell', 'HTML'];
    const repos = Array.from({ length: 37 }, (_, i) =>
      repo(`r-${i}`, { language: langs[(i * i) % langs.length] }),
    );

    // Act
    const { languages } = summarize(PROFILE, repos);

    // Assert
    expect(languages.reduce((total, l) => total + l.share, 0)).toBeCloseTo(1, 12);
    for (const l of languages) {
      expect(l.share).toBe(l.repos / 37);
    }
  });

  it('should sort languages by repositories, then stars, then name', () => {
    // Arrange
    const repos = [
      repo('go-1', { language: 'Go', stars: 1 }),
      repo('rust-1', { language: 'Rust', stars: 9 }),
      repo('ts-1', { language: 'TypeScript' }),
      repo('ts-2', { language: 'TypeScript' }),
      repo('ts-3', { language: 'TypeScript' }),
      repo('c-1', { language: 'C', stars: 1 }),
      repo('py-1', { language: 'Python', stars: 9 }),
    ];

    // Act
    const { languages } = summarize(PROFILE, repos);

    // Assert
    expect(languages.map((l) => l.language)).toEqual(['TypeScript', 'Python', 'Rust', 'C', 'Go']);
  });

  it('should list the five most starred repositories, forks included, most first', () => {
    // Arrange
    const repos = [1, 50, 7, 300, 2, 99, 42, 0].map((stars, i) =>
      repo(`r-${i}`, { stars, fork: i === 3 }),
    );

    // Act
    const { topRepos } = summarize(PROFILE, repos);

    // Assert
    expect(topRepos.map((r) => r.stars)).toEqual([300, 99, 50, 42, 7]);
    expect(topRepos[0]).toEqual(repos[3]);
  });

  it('should break ties in stars on the full name, A to Z', () => {
    // Arrange
    const repos = ['delta', 'Alpha', 'charlie', 'bravo', 'echo', 'foxtrot'].map((name) =>
      repo(name, { stars: 5 }),
    );

    // Act
    const { topRepos } = summarize(PROFILE, repos);

    // Assert
    expect(names(topRepos)).toEqual(['Alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('should list the five most recently pushed repositories, newest first', () => {
    // Arrange
    const repos = [
      repo('jan', { pushedAt: '2024-01-10T00:00:00Z' }),
      repo('jun', { pushedAt: '2024-06-10T00:00:00Z' }),
      repo('mar', { pushedAt: '2024-03-10T00:00:00Z' }),
      repo('dec-2023', { pushedAt: '2023-12-10T00:00:00Z' }),
      repo('sep', { pushedAt: '2024-09-10T00:00:00Z' }),
      repo('feb', { pushedAt: '2024-02-10T00:00:00Z' }),
      repo('old', { pushedAt: '2015-02-10T00:00:00Z' }),
    ];

    // Act
    const { recentlyPushed } = summarize(PROFILE, repos);

    // Assert
    expect(names(recentlyPushed)).toEqual(['sep', 'jun', 'mar', 'feb', 'jan']);
  });

  it('should rank repositories never pushed to (pushedAt null) last', () => {
    // Arrange
    const repos = [
      repo('never-1', { pushedAt: null }),
      repo('pushed-old', { pushedAt: '2012-01-01T00:00:00Z' }),
      repo('never-2', { pushedAt: null }),
      repo('pushed-new', { pushedAt: '2024-01-01T00:00:00Z' }),
    ];

    // Act
    const { recentlyPushed } = summarize(PROFILE, repos);

    // Assert
    expect(names(recentlyPushed)).toEqual(['pushed-new', 'pushed-old', 'never-1', 'never-2']);
  });

  it('should leave never-pushed repositories out when five were pushed to', () => {
    // Arrange
    const repos = [
      repo('never', { pushedAt: null }),
      ...[1, 2, 3, 4, 5, 6].map((day) =>
        repo(`day-${day}`, { pushedAt: `2024-01-0${day}T00:00:00Z` }),
      ),
    ];

    // Act
    const { recentlyPushed } = summarize(PROFILE, repos);

    // Assert
    expect(names(recentlyPushed)).toEqual(['day-6', 'day-5', 'day-4', 'day-3', 'day-2']);
  });

  it('should list every repository in topRepos and recentlyPushed when there are fewer than five', () => {
    // Arrange
    const repos = [repo('a', { stars: 1 }), repo('b', { stars: 2 })];

    // Act
    const { topRepos, recentlyPushed } = summarize(PROFILE, repos);

    // Assert
    expect(names(topRepos)).toEqual(['b', 'a']);
    expect(recentlyPushed).toHaveLength(2);
  });

  it('should not reorder the repositories it was given', () => {
    // Arrange
    const repos = [repo('a', { stars: 1 }), repo('b', { stars: 2 }), repo('c', { stars: 3 })];

    // Act
    summarize(PROFILE, repos);

    // Assert
    expect(names(repos)).toEqual(['a', 'b', 'c']);
  });
});
