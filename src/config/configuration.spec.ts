import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from './configuration';

describe('CONFIG_VARIABLES', () => {
  it('should list every variable a config schema validates, once, sorted', () => {
    // Arrange: the variables named in the config sources, as the schemas declare them (`NAME?:`).
    const declared = readdirSync(__dirname)
      .filter((file) => file.endsWith('.config.ts'))
      .flatMap((file) => [
        ...readFileSync(join(__dirname, file), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+)\?:/gm),
      ])
      .map((match) => match[1]);

    // Assert
    expect(declared.length).toBeGreaterThan(15);
    expect(CONFIG_VARIABLES).toEqual([...new Set(declared)].sort());
  });

  it('should name the variables a shell most often leaks into tests', () => {
    expect(CONFIG_VARIABLES).toEqual(
      expect.arrayContaining(['GITHUB_TOKEN', 'REDIS_URL', 'THROTTLE_LIMIT', 'CACHE_TTL_SECONDS']),
    );
  });
});
