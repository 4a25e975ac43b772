import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { githubAppConfig } from './github-app.config';
import { InvalidEnvironmentError } from './validate-env';

/** An RSA key in the PKCS#1 PEM form GitHub's "Generate a private key" downloads. */
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const PEM_BODY_LINE = PEM.split('\n')[1];

function failureOf(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('githubAppConfig', () => {
  isolateConfigEnvironment();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'github-app-config-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should be off without GITHUB_APP_ID', () => {
    expect(githubAppConfig().app).toBeUndefined();
  });

  it('should read the App id, an inline key and an installation id', () => {
    // Arrange
    process.env.GITHUB_APP_ID = '123456';
    process.env.GITHUB_APP_PRIVATE_KEY = PEM;
    process.env.GITHUB_APP_INSTALLATION_ID = '987';

    // Act
    const app = githubAppConfig().app;

    // Assert
    expect(app).toEqual({ appId: 123456, privateKey: expect.any(Function), installationId: 987 });
    expect(app?.privateKey()).toBe(PEM);
  });

  it('should accept a key written on one line with \\n escapes, as in a .env file', () => {
    // Arrange
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY = PEM.trim().replace(/\n/g, '\\n');

    // Act
    const app = githubAppConfig().app;

    // Assert
    expect(app?.privateKey()).toBe(PEM);
    expect(app?.installationId).toBeUndefined();
  });

  it('should read the key from GITHUB_APP_PRIVATE_KEY_FILE', () => {
    // Arrange
    const file = join(dir, 'app.pem');
    writeFileSync(file, PEM);
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY_FILE = file;

    // Act / Assert
    expect(githubAppConfig().app?.privateKey()).toBe(PEM);
  });

  it('should show the key in no serialisation of the config', () => {
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY = PEM;

    expect(JSON.stringify(githubAppConfig())).not.toContain(PEM_BODY_LINE);
  });

  it.each([
    [{ GITHUB_APP_ID: 'Iv1.abc' }, 'GITHUB_APP_ID must be the GitHub App id'],
    [{ GITHUB_APP_ID: '0', GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID must be'],
    [{ GITHUB_APP_PRIVATE_KEY: PEM }, 'GITHUB_APP_ID: required when GITHUB_APP_PRIVATE_KEY'],
    [
      { GITHUB_APP_INSTALLATION_ID: '5' },
      'GITHUB_APP_ID: required when GITHUB_APP_INSTALLATION_ID',
    ],
    [{ GITHUB_APP_ID: '1' }, 'GITHUB_APP_PRIVATE_KEY: GITHUB_APP_ID needs the App private key'],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM, GITHUB_APP_PRIVATE_KEY_FILE: '/x.pem' },
      'GITHUB_APP_PRIVATE_KEY_FILE: set it or GITHUB_APP_PRIVATE_KEY, not both',
    ],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: 'not-a-key' },
      'GITHUB_APP_PRIVATE_KEY: not an RSA private key in PEM form',
    ],
    [
      { GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: PEM, GITHUB_APP_INSTALLATION_ID: 'abc' },
      'GITHUB_APP_INSTALLATION_ID must be an integer',
    ],
  ])('should refuse %j naming the variable', (env, message) => {
    // Arrange
    Object.assign(process.env, env);

    // Act
    const error = failureOf(() => githubAppConfig());

    // Assert
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error.message).toContain(message);
  });

  it('should refuse a key that is cut short, without repeating any of it', () => {
    // Arrange
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY = PEM.slice(0, 200);

    // Act
    const error = failureOf(() => githubAppConfig());

    // Assert
    expect(error.message).toContain('GITHUB_APP_PRIVATE_KEY: not an RSA private key');
    expect(error.message).not.toContain(PEM_BODY_LINE.slice(0, 20));
  });

  it('should name a key file that cannot be read, and its path', () => {
    // Arrange
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY_FILE = join(dir, 'missing.pem');

    // Act
    const error = failureOf(() => githubAppConfig());

    // Assert
    expect(error.message).toBe(
      `Invalid environment variable GITHUB_APP_PRIVATE_KEY_FILE: cannot read ${join(dir, 'missing.pem')} (ENOENT)`,
    );
  });

  it('should refuse a file that holds no key (a public key, say)', () => {
    // Arrange
    const file = join(dir, 'public.pem');
    writeFileSync(
      file,
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
    );
    process.env.GITHUB_APP_ID = '1';
    process.env.GITHUB_APP_PRIVATE_KEY_FILE = file;

    // Act / Assert
    expect(failureOf(() => githubAppConfig()).message).toContain(
      'GITHUB_APP_PRIVATE_KEY_FILE: not an RSA private key',
    );
  });
});
