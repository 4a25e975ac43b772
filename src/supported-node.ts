import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node versions the service runs on are package.json's `engines.node`, one place for npm
 * (`engine-strict`, .npmrc), the image and this check. On an older Node the framework fails deep
 * inside with a stack (`enableCompileCache is not a function` on Node 20); the entry point asks
 * this first and stops with one line instead. Kept free of imports beyond `node:` built-ins and of
 * syntax newer than the oldest Node it must speak to.
 */
export function unsupportedNodeMessage(found: string, required: string): string | undefined {
  const minimum = parseMinimum(required);
  const version = parseVersion(found);
  if (version && compare(version, minimum) >= 0) {
    return undefined;
  }
  return `Node.js ${found} is not supported: this service needs Node.js ${required} (see .nvmrc).`;
}

/** `engines.node` of the package.json beside `dist/` (or `src/`). */
export function requiredNodeRange(packageJson = join(__dirname, '..', 'package.json')): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { engines?: { node?: unknown } };
  const range = pkg.engines?.node;
  if (typeof range !== 'string') {
    throw new Error(`${packageJson} has no engines.node`);
  }
  return range;
}

type Version = [number, number, number];

/**
 * Only the form we write, `>=X.Y.Z`: any other range throws, so a change to package.json cannot
 * quietly turn the check off.
 */
function parseMinimum(range: string): Version {
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) {
    throw new Error(`engines.node must read ">=X.Y.Z", got "${range}"`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function parseVersion(version: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}
