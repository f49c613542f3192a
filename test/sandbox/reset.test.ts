import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { childEnv, cliArgs } from '../support/child';

// `npm run sandbox:reset` forgets the sandbox's data so the next start loads fresh sample data,
// and never touches a real workspace's data beside it.

const root = path.resolve(import.meta.dirname, '../..');

test('sandbox:reset removes the sandbox folder and keeps the real data', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-reset-'));
  mkdirSync(path.join(dataDir, 'sandbox', 'pglite'), { recursive: true });
  writeFileSync(path.join(dataDir, 'sandbox', 'seeded'), 'yes');
  mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
  writeFileSync(path.join(dataDir, 'pglite', 'PG_VERSION'), '17');

  const { stdout } = await promisify(execFile)(process.execPath, await cliArgs('sandbox-reset'), {
    cwd: root,
    env: childEnv({ TRUSTLOOP_DATA_DIR: dataDir }),
  });

  expect(stdout).toBe(`trustloop: sandbox data removed (${path.join(dataDir, 'sandbox')}); npm start loads fresh sample data\n`);
  expect(existsSync(path.join(dataDir, 'sandbox'))).toBe(false);
  expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
}, 60_000);
