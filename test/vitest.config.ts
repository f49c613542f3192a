import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowFilesFirst from './support/sequencer';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/pglite-template.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database (an embedded PGlite, or a database of its own on the server),
    // so files run in parallel across workers. Most of a file's time is spent waiting (on the app's
    // HTTP answers, a child process, pacing gaps), not computing: one worker more than there are
    // cores keeps them busy. Vitest's default (cores - 1) ran the suite one file at a time on two cores.
    pool: 'forks',
    isolate: false,
    fileParallelism: true,
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: SlowFilesFirst },
    // A developer's own .env in the checkout must never reach the tests.
    env: { TRUSTLOOP_ENV_FILE: '' },
  },
});
