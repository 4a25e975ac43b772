import type { TestEvent } from 'node:test/reporters';

/** A test's measurement for the record: `t.diagnostic(`${FIGURE}page weight: 212 kB`)`. */
export const FIGURE = 'figure: ';

/**
 * A closing line for node's test runner in the form CI reads in any language:
 * `browser: N passed, M failed` (and `, K skipped`). Suites are not counted, only tests. The
 * figures tests measured (diagnostics starting with `figure: `) come before it, one a line.
 */
export default async function* summaryReporter(
  source: AsyncIterable<TestEvent>,
): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const figures: string[] = [];
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.message.startsWith(FIGURE)) {
      figures.push(event.data.message);
      continue;
    }
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
  if (figures.length > 0) {
    yield `\n${figures.join('\n')}\n`;
  }
  yield `\nbrowser: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`;
}

function isHookFailure(error: unknown): boolean {
  const failureType = (error as { failureType?: string } | undefined)?.failureType;
  return failureType === 'hookFailed';
}
