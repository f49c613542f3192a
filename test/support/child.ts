import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The environment of a Trustloop process a test starts: only what the test gives, a home of its
 * own, and no `.env` file, so a developer's own settings and home never reach the suite.
 */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH!,
    HOME: mkdtempSync(path.join(os.tmpdir(), 'tl-home-')),
    TRUSTLOOP_ENV_FILE: '',
    ...env,
  };
}
