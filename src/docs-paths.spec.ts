import {
  existsSync,
  globSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const REPO_ROOT = join(__dirname, '..');

/**
 * The pages a newcomer reads: the README, RELEASING.md, every page of docs/ and the README of a
 * folder of test/ or scripts/. Not CHANGELOG.md: it names files as they were at each release.
 */
function documentationPages(root: string): string[] {
  return globSync(['README.md', 'RELEASING.md', 'docs/*.md', '{test,scripts}/**/README.md'], {
    cwd: root,
  }).sort();
}

/**
 * A path into src/, test/ or scripts/ as prose writes it: bare, in backticks, in a link (then
 * possibly relative to the page, `../src/…`), followed by punctuation, a `#L12` anchor or a
 * `:12` line; a `{a,b}` group may wrap onto the next line. Not a path inside another one
 * (`web/src/…`, a URL).
 */
const REPO_PATH =
  /(?<![\w./@-])((?:\.\.\/)*)((?:src|test|scripts)\/(?:\{[^}]*\}|[^\s`'"()[\]<>|{])*)/g;

/** The path as a file name: no anchor, line number or closing punctuation. */
function cleanPath(raw: string): string {
  return raw
    .replace(/\s+/g, '')
    .replace(/#.*$/, '')
    .replace(/:\d+(-\d+)?$/, '')
    .replace(/[.,:;!?]+$/, '');
}

/** Whether `path` (relative to `root`) names a file or folder, or, as a glob, matches one. */
function pathExists(root: string, path: string): boolean {
  if (/[*?{]/.test(path)) {
    return globSync(path, { cwd: root }).length > 0;
  }
  return existsSync(join(root, path));
}

/** Each path a page names that does not exist, as `page: path`. */
function missingPaths(root: string): string[] {
  const missing: string[] = [];
  for (const page of documentationPages(root)) {
    const text = readFileSync(join(root, page), 'utf8');
    for (const match of text.matchAll(REPO_PATH)) {
      const [, up, raw] = match;
      const path = cleanPath(raw);
      const fromRoot = up
        ? relative(root, join(root, dirname(page), up, path))
            .split('\\')
            .join('/')
        : path;
      if (!pathExists(root, fromRoot)) {
        missing.push(`${page}: ${up}${path}`);
      }
    }
  }
  return [...new Set(missing)];
}

describe('documentation paths', () => {
  it('should name only files and folders that exist in README.md, docs/ and the READMEs of test/ and scripts/', () => {
    // Act
    const missing = missingPaths(REPO_ROOT);

    // Assert
    expect(missing).toEqual([]);
  });

  describe('missingPaths', () => {
    let root: string;

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'docs-paths-'));
      mkdirSync(join(root, 'docs'));
      mkdirSync(join(root, 'src/cache/http'), { recursive: true });
      writeFileSync(join(root, 'src/cache/http/vary.ts'), '');
      writeFileSync(join(root, 'src/cache/http/vary.spec.ts'), '');
    });

    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
    });

    it('should accept files, folders, globs, anchors, links and trailing punctuation', () => {
      // Arrange
      writeFileSync(
        join(root, 'README.md'),
        'See `src/cache/http/vary.ts`, src/cache/http/vary.ts#L3, src/cache/ and `src/cache`.\n',
      );
      writeFileSync(
        join(root, 'docs/caching.md'),
        '[vary](../src/cache/http/vary.ts:12) `src/**/*.spec.ts`; `src/cache/http/{vary,\n  vary.spec}.ts`\n' +
          'Not ours: web/src/main.ts, https://github.com/nestjs/nest/tree/master/src/core.\n',
      );

      // Act / Assert
      expect(missingPaths(root)).toEqual([]);
    });

    it('should name each path that does not exist, with its page', () => {
      // Arrange
      writeFileSync(join(root, 'README.md'), 'Moved: `src/github/github.service.ts`.\n');
      writeFileSync(
        join(root, 'docs/caching.md'),
        'Gone: [old](../src/cache/http/old.ts), test/cache/*.e2e-spec.ts and scripts/bench/\n',
      );

      // Act
      const missing = missingPaths(root);

      // Assert
      expect(missing).toEqual([
        'README.md: src/github/github.service.ts',
        'docs/caching.md: ../src/cache/http/old.ts',
        'docs/caching.md: test/cache/*.e2e-spec.ts',
        'docs/caching.md: scripts/bench/',
      ]);
    });
  });
});
