import type { Reporter, TestModule } from 'vitest/node';

// Prints the plain line CI reads, `N passed, N failed`, after vitest's own summary.
// Skipped tests are reported on their own line so a skip is visible, never counted as a pass.
// A file that fails to load (or an unhandled error) counts as a failure.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const mod of testModules) {
      let tests = 0;
      for (const test of mod.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (tests === 0 && mod.state() === 'failed') failed++;
      else if (mod.errors().length > 0) failed += mod.errors().length;
    }
    if (skipped > 0) process.stdout.write(`${skipped} skipped\n`);
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
  }
}
