import { GithubBadGatewayError } from '../api/github-errors';
import { toProfile } from './profile.mapper';

/** GitHub's `/users/{username}` body for a user, trimmed of fields we ignore. */
function githubUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    login: 'octocat',
    id: 583231,
    node_id: 'MDQ6VXNlcjU4MzIzMQ==',
    avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
    url: 'https://api.github.com/users/octocat',
    html_url: 'https://github.com/octocat',
    type: 'User',
    site_admin: false,
    name: 'The Octocat',
    company: '@github',
    blog: 'https://github.blog',
    location: 'San Francisco',
    email: null,
    bio: 'Mona Lisa Octocat',
    public_repos: 8,
    public_gists: 8,
    followers: 21000,
    following: 9,
    created_at: '2011-01-25T18:44:36Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

describe(toProfile.name, () => {
  it('should map every field to our shape', () => {
    // Act
    const profile = toProfile(githubUser());

    // Assert
    expect(profile).toEqual({
      login: 'octocat',
      name: 'The Octocat',
      avatarUrl: 'https://avatars.githubusercontent.com/u/583231?v=4',
      url: 'https://github.com/octocat',
      type: 'User',
      bio: 'Mona Lisa Octocat',
      company: '@github',
      blog: 'https://github.blog',
      location: 'San Francisco',
      publicRepos: 8,
      followers: 21000,
      following: 9,
      createdAt: '2011-01-25T18:44:36Z',
    });
  });

  it("should take the url from html_url, not the API's url", () => {
    // Act
    const profile = toProfile(githubUser());

    // Assert
    expect(profile.url).toBe('https://github.com/octocat');
  });

  it('should report an organisation as Organization', () => {
    // Act
    const profile = toProfile(githubUser({ login: 'github', type: 'Organization' }));

    // Assert
    expect(profile.type).toBe('Organization');
  });

  it.each(['Bot', 'Mannequin', undefined])('should report account type %s as User', (type) => {
    // Act
    const profile = toProfile(githubUser({ type }));

    // Assert
    expect(profile.type).toBe('User');
  });

  it.each(['name', 'bio', 'company', 'blog', 'location'] as const)(
    'should answer %s as null when GitHub sends an empty string',
    (field) => {
      // Act
      const profile = toProfile(githubUser({ [field]: '' }));

      // Assert
      expect(profile[field]).toBeNull();
    },
  );

  it.each(['name', 'bio', 'company', 'blog', 'location'] as const)(
    'should answer %s as null when GitHub sends null or leaves it out',
    (field) => {
      // Act
      const fromNull = toProfile(githubUser({ [field]: null }));
      const fromMissing = toProfile(githubUser({ [field]: undefined }));

      // Assert
      expect(fromNull[field]).toBeNull();
      expect(fromMissing[field]).toBeNull();
    },
  );

  it.each([
    ['public_repos', 'publicRepos'],
    ['followers', 'followers'],
    ['following', 'following'],
  ] as const)('should answer %s as 0 when it is missing or not a number', (field, ours) => {
    // Act
    const missing = toProfile(githubUser({ [field]: undefined }));
    const text = toProfile(githubUser({ [field]: '12' }));
    const infinite = toProfile(githubUser({ [field]: Infinity }));

    // Assert
    expect(missing[ours]).toBe(0);
    expect(text[ours]).toBe(0);
    expect(infinite[ours]).toBe(0);
  });

  it('should keep zero counts as zero', () => {
    // Act
    const profile = toProfile(githubUser({ public_repos: 0, followers: 0, following: 0 }));

    // Assert
    expect(profile).toMatchObject({ publicRepos: 0, followers: 0, following: 0 });
  });

  it.each([
    ['null', null],
    ['a string', 'Not Found'],
    ['a number', 42],
    ['an array', [githubUser()]],
    ['an object without login', githubUser({ login: undefined })],
    ['an object without html_url', githubUser({ html_url: undefined })],
    ['an object with a numeric login', githubUser({ login: 583231 })],
  ])('should refuse %s with a GithubBadGatewayError', (_what, body) => {
    // Act
    const act = () => toProfile(body);

    // Assert
    expect(act).toThrow(GithubBadGatewayError);
  });
});
