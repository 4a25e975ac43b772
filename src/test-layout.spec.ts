import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const REPO_ROOT = join(__dirname, '..');

/**
 * Folders of test/ that hold end-to-end specs but have no folder of the same name in src/, each
 * with its reason. Everything else mirrors src/, so a change to a module has one obvious place
 * for its test (Nest's `sample/01-cats-app/e2e/cats/`, immich's `e2e/src/specs/server/api/`).
 */
const FOLDERS_OUTSIDE_SRC: Readonly<Record<string, string>> = {
  app: 'the app as a whole, src/app.module.ts and src/app.setup.ts at the root of src/ (OpenAPI document and contract)',
  'fake-github': "test infrastructure: the fake GitHub's own specs live beside it",
};

/** Every file under `dir`, as paths relative to `root` with `/` separators. */
function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

function isDirectory(root: string, path: string): boolean {
  const full = join(root, path);
  return existsSync(full) && statSync(full).isDirectory();
}

/**
 * Spec files in the wrong place, each with what is wrong: an e2e spec whose folder (relative to
 * test/) is not a folder of src/ nor allowed above, one at the root of test/, an e2e spec in
 * src/, or a unit spec in test/ (Jest's projects would never run the last two).
 */
function misplacedSpecs(root: string): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(root, 'test')) {
    if (file.endsWith('.e2e-spec.ts')) {
      const folder = dirname(file).slice('test/'.length);
      if (dirname(file) === 'test') {
        problems.push(`${file}: at the root of test/, not in a folder named like src/`);
      } else if (
        !(folder.split('/')[0] in FOLDERS_OUTSIDE_SRC) &&
        !isDirectory(root, `src/${folder}`)
      ) {
        problems.push(`${file}: src/${folder} does not exist`);
      }
    } else if (file.endsWith('.spec.ts')) {
      problems.push(`${file}: a unit spec in test/ (unit specs live beside the code in src/)`);
    }
  }
  for (const file of filesUnder(root, 'src')) {
    if (file.endsWith('.e2e-spec.ts')) {
      problems.push(`${file}: an end-to-end spec in src/ (they live in test/)`);
    }
  }
  return problems;
}

describe('test layout', () => {
  it('should keep every end-to-end spec in a folder of test/ named like the folder of src/ it exercises', () => {
    // Act
    const problems = misplacedSpecs(REPO_ROOT);

    // Assert
    expect(problems).toEqual([]);
  });

  it('should allow only folders of test/ that exist and have no namesake in src/', () => {
    // Act
    const stale = Object.keys(FOLDERS_OUTSIDE_SRC).filter(
      (folder) =>
        !isDirectory(REPO_ROOT, `test/${folder}`) || isDirectory(REPO_ROOT, `src/${folder}`),
    );

    // Assert
    expect(stale).toEqual([]);
  });

  describe('misplacedSpecs', () => {
    let root: string;

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'test-layout-'));
      mkdirSync(join(root, 'src/github/repositories'), { recursive: true });
      mkdirSync(join(root, 'test/github/repositories'), { recursive: true });
      mkdirSync(join(root, 'test/fake-github'), { recursive: true });
      mkdirSync(join(root, 'test/dashboard'), { recursive: true });
    });

    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
    });

    function touch(path: string): void {
      writeFileSync(join(root, path), '');
    }

    it('should accept specs mirroring src/, in an allowed folder, and helpers anywhere', () => {
      // Arrange
      touch('src/github/repositories/repo.mapper.spec.ts');
      touch('test/github/repositories/repos.e2e-spec.ts');
      touch('test/fake-github/fake-github.e2e-spec.ts');
      touch('test/dashboard/routes.ts');

      // Act / Assert
      expect(misplacedSpecs(root)).toEqual([]);
    });

    it('should name each spec in the wrong place', () => {
      // Arrange
      touch('test/repos.e2e-spec.ts');
      touch('test/dashboard/repos.e2e-spec.ts');
      touch('test/github/repositories/repo.mapper.spec.ts');
      touch('src/github/repositories/repos.e2e-spec.ts');

      // Act
      const problems = misplacedSpecs(root);

      // Assert
      expect(problems.sort()).toEqual([
        'src/github/repositories/repos.e2e-spec.ts: an end-to-end spec in src/ (they live in test/)',
        'test/dashboard/repos.e2e-spec.ts: src/dashboard does not exist',
        'test/github/repositories/repo.mapper.spec.ts: a unit spec in test/ (unit specs live beside the code in src/)',
        'test/repos.e2e-spec.ts: at the root of test/, not in a folder named like src/',
      ]);
    });
  });
});
