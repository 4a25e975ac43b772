import { isolateConfigEnvironment } from '../../test/support/config-environment';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appConfig } from './app.config';
import { InvalidEnvironmentError } from './validate-env';

const VARIABLES = ['PORT', 'METRICS_PORT', 'APP_ENV', 'APP_VERSION', 'LOG_LEVEL'];

/** Runs the factory and hands back what it threw. */
function failureOf(load: () => unknown): Error {
  try {
    load();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('appConfig', () => {
  isolateConfigEnvironment();

  it('should default every value when nothing is set', () => {
    // Arrange
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };

    // Act
    const config = appConfig();

    // Assert
    expect(config).toEqual({
      port: 8000,
      env: 'development',
      version: pkg.version,
      logLevel: 'info',
    });
  });

  it('should read every variable', () => {
    // Arrange
    process.env.PORT = '3000';
    process.env.APP_ENV = 'production';
    process.env.APP_VERSION = '2.4.1-rc.1';
    process.env.LOG_LEVEL = 'debug';

    // Act
    const config = appConfig();

    // Assert
    expect(config).toEqual({
      port: 3000,
      env: 'production',
      version: '2.4.1-rc.1',
      logLevel: 'debug',
    });
  });

  it.each(['1.2.3', '10.0.0-beta.2', '1.2.3+sha.5114f85'])('should accept APP_VERSION %s', (v) => {
    // Arrange
    process.env.APP_VERSION = v;

    // Act
    const config = appConfig();

    // Assert
    expect(config.version).toBe(v);
  });

  it('should accept APP_VERSION with both pre-release and build metadata', () => {
    // Arrange
    process.env.APP_VERSION = '1.2.3-rc.1+build.7';

    // Act
    const config = appConfig();

    // Assert
    expect(config.version).toBe('1.2.3-rc.1+build.7');
  });

  it.each(VARIABLES)('should treat an empty %s as unset', (name) => {
    // Arrange
    process.env[name] = '';

    // Act
    const config = appConfig();

    // Assert
    expect(config).toMatchObject({ port: 8000, env: 'development', logLevel: 'info' });
    expect(config.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([1, 65535])('should accept PORT %i', (port) => {
    // Arrange
    process.env.PORT = String(port);

    // Act
    const config = appConfig();

    // Assert
    expect(config.port).toBe(port);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PORT', '-1'],
    ['APP_ENV', 'prod'],
    ['LOG_LEVEL', 'loud'],
    ['APP_VERSION', 'x'],
    ['APP_VERSION', '1.2'],
  ])('should reject %s=%s with a one-line message naming it', (name, value) => {
    // Arrange
    process.env[name] = value;

    // Act
    const error = failureOf(() => appConfig());

    // Assert
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('\n');
  });

  it('should serve /metrics on the main port when METRICS_PORT is not set', () => {
    expect(appConfig().metricsPort).toBeUndefined();
  });

  it.each([1, 9464, 65535])('should accept METRICS_PORT %i', (port) => {
    // Arrange
    process.env.METRICS_PORT = String(port);
    // Act
    const config = appConfig();
    // Assert
    expect(config.metricsPort).toBe(port);
  });

  it.each(['0', '65536', 'metrics', '9464.5'])('should reject METRICS_PORT=%s', (value) => {
    // Arrange
    process.env.METRICS_PORT = value;
    // Act
    const error = failureOf(() => appConfig());
    // Assert
    expect(error.message).toBe(
      'Invalid environment variable METRICS_PORT: METRICS_PORT must be an integer from 1 to 65535',
    );
  });

  it.each([
    [undefined, '8000', 8000],
    ['3000', '3000', 3000],
  ])('should reject a METRICS_PORT equal to PORT (PORT=%s)', (port, metricsPort, shown) => {
    // Arrange
    if (port !== undefined) {
      process.env.PORT = port;
    }
    process.env.METRICS_PORT = metricsPort;
    // Act
    const error = failureOf(() => appConfig());
    // Assert
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    expect(error.message).toBe(
      `Invalid environment variable METRICS_PORT: METRICS_PORT must differ from PORT (${shown})`,
    );
  });

  it('should accept a METRICS_PORT beside a PORT other than its own', () => {
    // Arrange
    process.env.PORT = '9464';
    process.env.METRICS_PORT = '8000';
    // Act
    const config = appConfig();
    // Assert
    expect(config).toMatchObject({ port: 9464, metricsPort: 8000 });
  });

  it('should name every wrong variable at once', () => {
    // Arrange
    process.env.PORT = 'abc';
    process.env.LOG_LEVEL = 'loud';

    // Act
    const error = failureOf(() => appConfig());

    // Assert
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('LOG_LEVEL');
    expect(error.message).not.toContain('\n');
  });

  it('should ignore variables it does not own', () => {
    // Arrange
    process.env.GITHUB_TIMEOUT_MS = 'not a number';

    // Act
    const config = appConfig();

    // Assert
    expect(config.port).toBe(8000);
  });
});
