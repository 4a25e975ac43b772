// @ts-check
import { createRequire } from 'node:module';

/**
 * Mutation testing (StrykerJS) of the code whose bugs the fast unit specs must catch: the caches,
 * the HTTP cache, the GitHub upstream (client, governor, page and result caches) and the listing
 * helpers. Runs the `unit` Jest project only (specs beside the code); docs/mutation-testing.md
 * has the scores, the surviving mutants judged equivalent, and how long a run takes.
 */
const require = createRequire(import.meta.url);
const unitProject = require('./jest.config.js').projects.find(
  (/** @type {{ displayName: string }} */ project) => project.displayName === 'unit',
);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    config: unitProject,
    // Only the specs that import a mutated file run for it (on top of perTest coverage).
    enableFindRelatedTests: true,
  },
  mutate: [
    'src/cache/**/*.ts',
    'src/github/upstream/**/*.ts',
    'src/github/{api,app-auth}/**/*.ts',
    'src/github/repositories/{repo-listing,our-page-links}.ts',
    'src/common/map-with-concurrency.ts',
    'src/github/accounts/{stored-repo,stored-repo-list}.ts',
    '!**/*.spec.ts',
    // Wiring and metadata only: Nest modules and decorators that declare, not compute.
    '!**/*.module.ts',
    '!src/cache/http/cached-route.decorator.ts',
    '!src/cache/http/revalidate.decorator.ts',
  ],
  // As `npm run test:unit`: Nest 12 is ESM, which Jest's CommonJS runtime loads only with this.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  // Module-level constants (share tables, route templates, sort keys) run at import, so each such
  // mutant would need every spec: on two cores that doubles the run. They are listed as ignored.
  ignoreStatic: true,
  concurrency: 2,
  // Added to a spec's own time: a mutant that loops for ever (a `while` whose exit is mutated)
  // costs this much, and there are dozens of them.
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: 'reports/.stryker-tmp',
  ignorePatterns: ['dist', 'coverage', 'web', 'deploy', 'docs', 'test-output'],
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
};
