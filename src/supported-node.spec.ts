import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requiredNodeRange, unsupportedNodeMessage } from './supported-node';

describe(unsupportedNodeMessage.name, () => {
  it.each(['v24.11.0', 'v24.11.1', 'v24.22.3', 'v25.0.0', 'v26.1.0'])(
    'should accept %s for >=24.11.0',
    (found) => {
      expect(unsupportedNodeMessage(found, '>=24.11.0')).toBeUndefined();
    },
  );

  it.each(['v20.20.2', 'v22.23.5', 'v23.11.0', 'v24.0.0', 'v24.10.9', 'v24.10.0-nightly', 'junk'])(
    'should refuse %s for >=24.11.0 in one line naming both versions',
    (found) => {
      expect(unsupportedNodeMessage(found, '>=24.11.0')).toBe(
        `Node.js ${found} is not supported: this service needs Node.js >=24.11.0 (see .nvmrc).`,
      );
    },
  );

  it.each(['^24.11.0', '24', '>=24', '>=24.11.0 <26', ''])(
    'should throw on engines.node "%s" rather than check nothing',
    (range) => {
      expect(() => unsupportedNodeMessage('v24.22.3', range)).toThrow(/must read ">=X.Y.Z"/);
    },
  );
});

describe(requiredNodeRange.name, () => {
  it("should read this project's package.json, in the one form the check understands", () => {
    const range = requiredNodeRange();

    expect(range).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(unsupportedNodeMessage(process.version, range)).toBeUndefined();
  });

  it('should fail loudly on a package.json without engines.node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdb-engines-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');

    expect(() => requiredNodeRange(join(dir, 'package.json'))).toThrow(/has no engines.node/);
  });
});
