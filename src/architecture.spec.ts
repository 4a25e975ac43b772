import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = __dirname;
const MAX_SOURCE_FILES_PER_FOLDER = 15;

/**
 * Pairs that still import each other, each with the reason it is not broken yet. A pair that no
 * longer exists fails the test too, so this list can only shrink.
 */
const KNOWN_TWO_WAY: Record<string, string> = {};

/** Every non-spec TypeScript file under src, as a path relative to src. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
      ? [relative(SRC, path)]
      : [];
  });
}

/** Relative specifiers of import/export-from statements, dynamic imports and requires. */
function relativeSpecifiers(source: string): string[] {
  const pattern =
    /(?:\b(?:import|export)\b[^'"`;]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

/** Folder → the other src folders its files import (a folder is a node; files in it are one). */
function folderImports(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = dirname(file);
    for (const specifier of relativeSpecifiers(readFileSync(join(SRC, file), 'utf8'))) {
      const to = relative(SRC, dirname(resolve(SRC, from, specifier)));
      if (to !== from && !to.startsWith('..')) {
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
  }
  return graph;
}

function twoWayPairs(graph: Map<string, Set<string>>): string[] {
  const pairs: string[] = [];
  for (const [a, targets] of graph) {
    for (const b of targets) {
      if (a < b && graph.get(b)?.has(a)) {
        pairs.push(`${a} <-> ${b}`);
      }
    }
  }
  return pairs.sort();
}

describe('src architecture', () => {
  const files = sourceFiles();

  it('should read the import/export-from forms the code uses', () => {
    const source = [
      "import { A } from './a';",
      "import type { B } from '../b/b';",
      "export { C } from './c/c';",
      "export * from '../d';",
      "import {\n  E,\n  F,\n} from './e';",
      "import './side-effect';",
      "const g = await import('./g');",
      "import { H } from '@nestjs/common';",
    ].join('\n');

    expect(relativeSpecifiers(source)).toEqual([
      './a',
      '../b/b',
      './c/c',
      '../d',
      './e',
      './side-effect',
      './g',
    ]);
  });

  it('should find a two-way import between folders', () => {
    const graph = new Map([
      ['a', new Set(['b', 'c'])],
      ['b', new Set(['a'])],
      ['c', new Set<string>()],
    ]);

    expect(twoWayPairs(graph)).toEqual(['a <-> b']);
  });

  it('should have no two src folders importing each other, beyond the known ones', () => {
    const pairs = twoWayPairs(folderImports(files));

    expect(pairs).toEqual(Object.keys(KNOWN_TWO_WAY).sort());
  });

  it(`should have no src folder with more than ${MAX_SOURCE_FILES_PER_FOLDER} source files`, () => {
    const counts = new Map<string, number>();
    for (const file of files) {
      counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1);
    }

    const crowded = [...counts].filter(([, count]) => count > MAX_SOURCE_FILES_PER_FOLDER);

    expect(crowded).toEqual([]);
  });
});
