import { GithubBadGatewayError } from '../api/github-errors';
import { toLanguageBytes, toRepoDetails } from './repo-details.mapper';
import { LanguageBytes } from './dto/repo-details.model';

/** GitHub's `/repos/{owner}/{repo}` body, trimmed of fields we ignore. */
function githubRepo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1296269,
    name: 'Hello-World',
    full_name: 'octocat/Hello-World',
    owner: { login: 'octocat', id: 1 },
    private: false,
    html_url: 'https://github.com/octocat/Hello-World',
    url: 'https://api.github.com/repos/octocat/Hello-World',
    description: 'This your first repo!',
    fork: false,
    homepage: 'https://github.com',
    language: 'TypeScript',
    forks_count: 9,
    stargazers_count: 80,
    open_issues_count: 3,
    topics: ['octocat'],
    archived: false,
    default_branch: 'master',
    license: {
      key: 'mit',
      name: 'MIT License',
      spdx_id: 'MIT',
      url: 'https://api.github.com/licenses/mit',
    },
    created_at: '2011-01-26T19:01:12Z',
    updated_at: '2011-01-26T19:14:43Z',
    pushed_at: '2011-01-26T19:06:43Z',
    ...overrides,
  };
}

const LANGUAGES: LanguageBytes[] = [{ language: 'TypeScript', bytes: 10, share: 1 }];

describe(toRepoDetails.name, () => {
  it('should map the list fields and the details to our shape', () => {
    // Act
    const details = toRepoDetails(githubRepo(), LANGUAGES);

    // Assert
    expect(details).toEqual({
      name: 'Hello-World',
      fullName: 'octocat/Hello-World',
      description: 'This your first repo!',
      language: 'TypeScript',
      stars: 80,
      forks: 9,
      url: 'https://github.com/octocat/Hello-World',
      fork: false,
      archived: false,
      topics: ['octocat'],
      openIssues: 3,
      createdAt: '2011-01-26T19:01:12Z',
      updatedAt: '2011-01-26T19:14:43Z',
      pushedAt: '2011-01-26T19:06:43Z',
      defaultBranch: 'master',
      license: { spdxId: 'MIT', name: 'MIT License' },
      homepage: 'https://github.com',
      languages: LANGUAGES,
    });
  });

  it('should answer a license GitHub could not identify (NOASSERTION) with spdxId null', () => {
    // Act
    const details = toRepoDetails(
      githubRepo({ license: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION' } }),
      [],
    );

    // Assert
    expect(details.license).toEqual({ spdxId: null, name: 'Other' });
  });

  it('should answer a license without spdx_id with spdxId null', () => {
    // Act
    const details = toRepoDetails(githubRepo({ license: { key: 'x', name: 'Custom' } }), []);

    // Assert
    expect(details.license).toEqual({ spdxId: null, name: 'Custom' });
  });

  it.each([
    ['null', null],
    ['missing', undefined],
    ['without a name', { key: 'mit', spdx_id: 'MIT' }],
  ])('should answer license as null when it is %s', (_what, license) => {
    // Act
    const details = toRepoDetails(githubRepo({ license }), []);

    // Assert
    expect(details.license).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['null', null],
    ['missing', undefined],
  ])('should answer homepage as null when it is %s', (_what, homepage) => {
    // Act
    const details = toRepoDetails(githubRepo({ homepage }), []);

    // Assert
    expect(details.homepage).toBeNull();
  });

  it("should fall back to GitHub's default branch name when default_branch is missing", () => {
    // Act
    const details = toRepoDetails(githubRepo({ default_branch: undefined }), []);

    // Assert
    expect(details.defaultBranch).toBe('main');
  });

  it('should keep the languages it was given', () => {
    // Act
    const details = toRepoDetails(githubRepo(), LANGUAGES);

    // Assert
    expect(details.languages).toBe(LANGUAGES);
  });

  it.each([
    ['null', null],
    ['an array', [githubRepo()]],
    ['a string', 'Not Found'],
    ['a repository without full_name', githubRepo({ full_name: undefined })],
    ['a repository with text stars', githubRepo({ stargazers_count: '80' })],
  ])('should refuse %s with a GithubBadGatewayError', (_what, body) => {
    // Act
    const act = () => toRepoDetails(body, []);

    // Assert
    expect(act).toThrow(GithubBadGatewayError);
  });
});

describe(toLanguageBytes.name, () => {
  it('should answer bytes and share per language, largest first', () => {
    // Act
    const languages = toLanguageBytes({ Shell: 100, TypeScript: 700, Dockerfile: 200 });

    // Assert
    expect(languages).toEqual([
      { language: 'TypeScript', bytes: 700, share: 0.7 },
      { language: 'Dockerfile', bytes: 200, share: 0.2 },
      { language: 'Shell', bytes: 100, share: 0.1 },
    ]);
  });

  it('should give shares that sum to 1', () => {
    // Arrange
    const body = { TypeScript: 123457, JavaScript: 9871, Shell: 333, HTML: 1, CSS: 77777 };

    // Act
    const languages = toLanguageBytes(body);

    // Assert
    expect(languages.reduce((total, l) => total + l.share, 0)).toBeCloseTo(1, 12);
  });

  it('should sort equal byte counts by language name', () => {
    // Act
    const languages = toLanguageBytes({ Rust: 5, Go: 5, C: 5, Zig: 9 });

    // Assert
    expect(languages.map((l) => l.language)).toEqual(['Zig', 'C', 'Go', 'Rust']);
  });

  it('should answer an empty list for a repository without code', () => {
    // Act
    const languages = toLanguageBytes({});

    // Assert
    expect(languages).toEqual([]);
  });

  it('should answer share 0, not NaN, when every language has 0 bytes', () => {
    // Act
    const languages = toLanguageBytes({ Go: 0, Rust: 0 });

    // Assert
    expect(languages).toEqual([
      { language: 'Go', bytes: 0, share: 0 },
      { language: 'Rust', bytes: 0, share: 0 },
    ]);
  });

  it('should drop entries that are not a byte count', () => {
    // Act
    const languages = toLanguageBytes({ Go: 30, Bad: 'x', Negative: -5, Nothing: null, Rust: 10 });

    // Assert
    expect(languages).toEqual([
      { language: 'Go', bytes: 30, share: 0.75 },
      { language: 'Rust', bytes: 10, share: 0.25 },
    ]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [['Go', 1]]],
    ['a string', '{"Go": 1}'],
    ['a number', 42],
  ])('should refuse %s with a GithubBadGatewayError', (_what, body) => {
    // Act
    const act = () => toLanguageBytes(body);

    // Assert
    expect(act).toThrow(GithubBadGatewayError);
  });
});
