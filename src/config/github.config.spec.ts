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
