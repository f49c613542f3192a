import { vi } from 'vitest';

// The suite's settings, applied by every support module a test file imports, so that a bare
// `npx vitest run` from the project folder behaves as `npm test` does (which also sets them in
// test/vitest.config.ts): a developer's own .env never reaches a test, and starting real
// processes and databases gets the time it needs on a busy machine.
process.env.TRUSTLOOP_ENV_FILE = '';
// `npm run bench` imports the same support modules outside vitest, where there is no suite to configure.
if (process.env.VITEST) vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
