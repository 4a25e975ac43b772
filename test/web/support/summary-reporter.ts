import type { TestEvent } from 'node:test/reporters';

/**
 * A closing line for node's test runner in the form CI reads in any language:
 * `browser: N passed, M failed` (and `, K skipped`). Suites are not counted, only tests.
 */
export default async function* summaryReporter(
  source: AsyncIterable<TestEvent>,
): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') {
      continue;
    }
    if (event.data.details.type === 'suite') {
      // A suite fails on its own only when a hook failed: count that, so it cannot pass silently.
      if (event.type === 'test:fail' && isHookFailure(event.data.details.error)) {
        failed++;
      }
      continue;
    }
    if (event.data.skip !== undefined || event.data.todo !== undefined) {
      skipped++;
    } else if (event.type === 'test:pass') {
      passed++;
    } else {
      failed++;
    }
  }
  yield `\nbrowser: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`;
}

function isHookFailure(error: unknown): boolean {
  const failureType = (error as { failureType?: string } | undefined)?.failureType;
  return failureType === 'hookFailed';
}
