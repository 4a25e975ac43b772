import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { githubConfig } from './github.config';
import { InvalidEnvironmentError } from './validate-env';

const VARIABLES = [
  'GITHUB_API_URL',
  'GITHUB_TOKEN',
  'GITHUB_TIMEOUT_MS',
  'GITHUB_RATE_LIMIT_RESERVE',
];

function failureOf(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('githubConfig', () => {
  isolateConfigEnvironment();

  it('should default to the public API, no token and a 10 s timeout', () => {
    // Act
    const config = githubConfig();

    // Assert
    expect(config.apiUrl).toBe('https://api.github.com');
    expect(config.tokens).toEqual([]);
    expect(config.timeoutMs).toBe(10000);
    expect(config.rateLimitReserve).toBe(50);
  });

  it('should read every variable', () => {
    // Arrange
    process.env.GITHUB_API_URL = 'https://ghe.example.com/api/v3';
    process.env.GITHUB_TOKEN = 'ghp_abc123';
    process.env.GITHUB_TIMEOUT_MS = '2500';
    process.env.GITHUB_RATE_LIMIT_RESERVE = '0';

    // Act
    const config = githubConfig();

    // Assert
    expect(config.apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(config.tokens).toEqual(['ghp_abc123']);
    expect(config.timeoutMs).toBe(2500);
    expect(config.rateLimitReserve).toBe(0);
  });

  it.each(VARIABLES)('should treat an empty %s as unset', (name) => {
    // Arrange
    process.env[name] = '';

    // Act
    const config = githubConfig();

    // Assert
    expect(config.apiUrl).toBe('https://api.github.com');
    expect(config.tokens).toEqual([]);
    expect(config.timeoutMs).toBe(10000);
  });

  it('should split a comma list of tokens', () => {
    // Arrange
    process.env.GITHUB_TOKEN = 'ghp_first,github_pat_11ABC_second,ghp_third';

    // Act
    const config = githubConfig();

    // Assert
    expect(config.tokens).toEqual(['ghp_first', 'github_pat_11ABC_second', 'ghp_third']);
  });

  it('should accept the token forms GitHub issues today, up to 2,048 characters', () => {
    // Arrange: an installation token (ghs_<app id>_<JWT>, ~520 characters), a fine-grained one
    // and a classic one, as a pool
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'eyJpc3MiOiIxMjM0NTYifQ'.repeat(20)}.${'a-b_C9'.repeat(50)}`;
    const installation = `ghs_123456_${jwt}`;
    const fineGrained = `github_pat_11ABCDEFG0123456789_${'x'.repeat(59)}`;
    process.env.GITHUB_TOKEN = [installation, fineGrained, 'ghp_' + 'A'.repeat(36)].join(',');

    // Act
    const config = githubConfig();

    // Assert
    expect(installation.length).toBeGreaterThan(500);
    expect(config.tokens).toEqual([installation, fineGrained, 'ghp_' + 'A'.repeat(36)]);
    process.env.GITHUB_TOKEN = 'ghs_1_' + 'a.b-c'.repeat(408);
    expect(githubConfig().tokens[0]).toHaveLength(2046);
  });

  it.each([
    ['a space', 'ghp_a ghp_b', 'contains whitespace'],
    ['a line break', 'ghp_a\nghp_b', 'contains whitespace'],
    ['a bell', 'ghp_a\u0007', 'contains a control character'],
    ['two commas', 'ghp_a,,ghp_b', 'has an empty entry'],
    ['a leading comma', ',ghp_a', 'has an empty entry'],
    ['quotes', '"ghp_a"', 'has a character no GitHub token contains'],
    ['a semicolon', 'ghp_a;ghp_b', 'has a character no GitHub token contains'],
    ['2,049 characters', 'ghp_a' + 'a'.repeat(2044), 'has a token longer than 2048 characters'],
  ])(
    'should refuse a GITHUB_TOKEN with %s, saying what is wrong without echoing it',
    (_case, value, problem) => {
      // Arrange
      process.env.GITHUB_TOKEN = value;

      // Act
      const error = failureOf(() => githubConfig());

      // Assert
      expect(error.message).toMatch(
        /^Invalid environment variable GITHUB_TOKEN: GITHUB_TOKEN must be a GitHub token or a comma list of them; this value /,
      );
      expect(error.message).toContain(problem);
      expect(error.message).not.toContain('ghp_a');
      expect(error.message).not.toContain('\n');
    },
  );

  it.each([
    ['https://api.github.com/', 'https://api.github.com'],
    ['https://ghe.example.com/api/v3//', 'https://ghe.example.com/api/v3'],
    ['http://127.0.0.1:3001/', 'http://127.0.0.1:3001'],
    ['http://localhost:3001', 'http://localhost:3001'],
  ])('should read GITHUB_API_URL %s as %s', (value, expected) => {
    // Arrange
    process.env.GITHUB_API_URL = value;

    // Act
    const config = githubConfig();

    // Assert
    expect(config.apiUrl).toBe(expected);
  });

  it.each([100, 120000])('should accept GITHUB_TIMEOUT_MS %i', (ms) => {
    // Arrange
    process.env.GITHUB_TIMEOUT_MS = String(ms);

    // Act
    const config = githubConfig();

    // Assert
    expect(config.timeoutMs).toBe(ms);
  });

  it.each([
    ['GITHUB_API_URL', 'not-a-url'],
    ['GITHUB_API_URL', 'ftp://x'],
    ['GITHUB_API_URL', 'api.github.com'],
    ['GITHUB_TIMEOUT_MS', '10'],
    ['GITHUB_TIMEOUT_MS', 'abc'],
    ['GITHUB_TIMEOUT_MS', '120001'],
    ['GITHUB_TIMEOUT_MS', '1.5'],
    ['GITHUB_TOKEN', 'a b'],
    ['GITHUB_TOKEN', '"ghp_quoted"'],
    ['GITHUB_TOKEN', 'ghp_a, ghp_b'],
    ['GITHUB_TOKEN', 'ghp_a,'],
    ['GITHUB_RATE_LIMIT_RESERVE', '-1'],
    ['GITHUB_RATE_LIMIT_RESERVE', '1001'],
    ['GITHUB_RATE_LIMIT_RESERVE', 'many'],
  ])('should reject %s=%s with a one-line message naming it', (name, value) => {
    // Arrange
    process.env[name] = value;

    // Act
    const error = failureOf(() => githubConfig());

    // Assert
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('\n');
  });

  it('should never echo a rejected token in the message', () => {
    // Arrange
    process.env.GITHUB_TOKEN = 'ghp_secret value';

    // Act
    const error = failureOf(() => githubConfig());

    // Assert
    expect(error.message).not.toContain('ghp_secret');
  });
});
