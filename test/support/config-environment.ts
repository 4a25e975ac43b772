import { CONFIG_VARIABLES } from '../../src/config/configuration';

/**
 * For a config spec: before each test, a copy of the environment without any variable the config
 * reads (the shell's GITHUB_TOKEN or THROTTLE_LIMIT cannot leak in); after it, the original back.
 */
export function isolateConfigEnvironment(): void {
  const original = process.env;

  beforeEach(() => {
    process.env = { ...original };
    for (const name of CONFIG_VARIABLES) {
      delete process.env[name];
    }
  });

  afterEach(() => {
    process.env = original;
  });
}
