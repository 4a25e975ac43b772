/**
 * How the service runs in production: `node <flags> dist/main.js`, as package.json's `start:prod`
 * says. The Dockerfile's CMD says the same (scripts/delivery/service-command.test.ts checks it),
 * and the benchmark and the reliability suite start the app with these flags, so what they
 * measure is what ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SHAPE = /^node((?: --[a-z0-9-]+(?:=[^\s]+)?)*) dist\/main\.js$/;

/** The Node flags of a `node [--flag[=value]...] dist/main.js` command; throws on any other shape. */
export function parseServiceCommand(command: string): string[] {
  const match = SHAPE.exec(command);
  if (!match) {
    throw new Error(
      `start:prod must read "node [--flag[=value]...] dist/main.js", got ${JSON.stringify(command)}`,
    );
  }
  return match[1].split(' ').filter(Boolean);
}

/** The Node flags the service runs with, from the package.json at `root` (the repository). */
export function serviceNodeFlags(root = join(__dirname, '..')): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return parseServiceCommand(pkg.scripts?.['start:prod'] ?? '');
}
