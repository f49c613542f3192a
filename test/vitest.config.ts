import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database; files run in parallel across workers.
    pool: 'forks',
    fileParallelism: true,
    // A developer's own .env in the checkout must never reach the tests.
    env: { TRUSTLOOP_ENV_FILE: '' },
  },
});
