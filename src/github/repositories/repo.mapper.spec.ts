import { GithubBadGatewayError } from '../api/github-errors';
import { toRepo, toRepoPage } from './repo.mapper';

/** One item as GitHub's `/users/{username}/repos` sends it, trimmed of fields we ignore. */
function githubRepo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name: 'Hello-World',
    full_name: 'octocat/Hello-World',
    owner: { login: 'octocat', id: 1 },
    private: false,
    html_url: 'https://github.com/octocat/Hello-World',
    url: 'https://api.github.com/repos/octocat/Hello-World',
    description: 'This your first repo!',
    fork: false,
    language: 'TypeScript',
    forks_count: 9,
    stargazers_count: 80,
    watchers_count: 80,
    open_issues_count: 3,
    topics: ['octocat', 'api'],
    archived: false,
    created_at: '2011-01-26T19:01:12Z',
    updated_at: '2011-01-26T19:14:43Z',
    pushed_at: '2011-01-26T19:06:43Z',
    ...overrides,
  };
}

describe(toRepoPage.name, () => {
  it('should map every field to our shape', () => {
    // Act
    const [repo] = toRepoPage([githubRepo()]).map((stored) => stored.toJSON());

    // Assert
    expect(repo).toEqual({
      name: 'Hello-World',
      fullName: 'octocat/Hello-World',
      description: 'This your first repo!',
      language: 'TypeScript',
      stars: 80,
      forks: 9,
      url: 'https://github.com/octocat/Hello-World',
      fork: false,
      archived: false,
      topics: ['octocat', 'api'],
      openIssues: 3,
      createdAt: '2011-01-26T19:01:12Z',
      updatedAt: '2011-01-26T19:14:43Z',
      pushedAt: '2011-01-26T19:06:43Z',
    });
  });

  it("should take the url from html_url, not the API's url", () => {
    // Act
    const [repo] = toRepoPage([githubRepo()]).map((stored) => stored.toJSON());

    // Assert
    expect(repo.url).toBe('https://github.com/octocat/Hello-World');
  });

  it('should keep forks and archived repositories marked as such', () => {
    // Act
    const [repo] = toRepoPage([githubRepo({ fork: true, archived: true })]).map((stored) =>
      stored.toJSON(),
    );

    // Assert
    expect(repo.fork).toBe(true);
    expect(repo.archived).toBe(true);
  });

  it('should default missing topics, archived and open issues', () => {
    // Arrange
    const item = githubRepo();
    delete item.topics;
    delete item.archived;
    delete item.open_issues_count;

    // Act
    const [repo] = toRepoPage([item]).map((stored) => stored.toJSON());

    // Assert
    expect(repo.topics).toEqual([]);
    expect(repo.archived).toBe(false);
    expect(repo.openIssues).toBe(0);
  });

  it('should map null description, language and pushed_at to null', () => {
    // Act
    const [repo] = toRepoPage([
      githubRepo({ description: null, language: null, pushed_at: null }),
    ]).map((stored) => stored.toJSON());

    // Assert
    expect(repo.description).toBeNull();
    expect(repo.language).toBeNull();
    expect(repo.pushedAt).toBeNull();
  });

  it('should drop topics that are not strings', () => {
    // Act
    const [repo] = toRepoPage([githubRepo({ topics: ['ok', 3, null, 'fine'] })]).map((stored) =>
      stored.toJSON(),
    );

    // Assert
    expect(repo.topics).toEqual(['ok', 'fine']);
  });

  it('should not pass GitHub-only fields through', () => {
    // Act
    const [repo] = toRepoPage([githubRepo()]).map((stored) => stored.toJSON());

    // Assert
    expect(repo).not.toHaveProperty('id');
    expect(repo).not.toHaveProperty('owner');
    expect(repo).not.toHaveProperty('full_name');
  });

  it('should map an empty page to no repositories', () => {
    expect(toRepoPage([])).toEqual([]);
  });

  it('should keep the order of the page', () => {
    // Act
    const repos = toRepoPage([
      githubRepo({ name: 'b', full_name: 'o/b' }),
      githubRepo({ name: 'a', full_name: 'o/a' }),
    ]);

    // Assert
    expect(repos.map((r) => r.name)).toEqual(['b', 'a']);
  });

  it.each([
    ['an object', { message: 'Not Found' }],
    ['a string', '[]'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
  ])('should reject a body that is %s', (_label, body) => {
    expect(() => toRepoPage(body)).toThrow(GithubBadGatewayError);
  });

  it.each([
    ['null', null],
    ['a string', 'octocat/Hello-World'],
    ['without name', githubRepo({ name: undefined })],
    ['without full_name', githubRepo({ full_name: undefined })],
    ['without html_url', githubRepo({ html_url: undefined })],
    ['with stars as a string', githubRepo({ stargazers_count: '80' })],
    ['with forks as null', githubRepo({ forks_count: null })],
  ])('should reject a page with an item %s', (_label, item) => {
    expect(() => toRepoPage([githubRepo(), item])).toThrow(GithubBadGatewayError);
  });

  it.each([
    ['without created_at', githubRepo({ created_at: undefined })],
    ['without updated_at', githubRepo({ updated_at: undefined })],
    ['with created_at as a number', githubRepo({ created_at: 1296069672 })],
  ])('should reject a page with an item %s', (_label, item) => {
    expect(() => toRepoPage([item])).toThrow(GithubBadGatewayError);
  });
});

describe(toRepo.name, () => {
  it('should treat a missing fork flag as not a fork', () => {
    // Arrange
    const item = githubRepo();
    delete item.fork;

    // Act
    const [repo] = toRepoPage([item]).map((stored) => stored.toJSON());

    // Assert
    expect(repo.fork).toBe(false);
  });
});
