import './suite';
import { mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../../src/db/client';

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

let built: Promise<string> | undefined;

/**
 * The arguments that start Trustloop as `npm start` does: node on the bundle `npm run build` makes
 * (the same esbuild settings, the source map inlined), built once per test worker. Starting from the
 * bundle takes a fraction of what compiling the TypeScript sources through tsx at every start did.
 * Workers build side by side and each renames its result into place, so the file is always whole.
 */
export async function appArgs(): Promise<string[]> {
  built ??= (async () => {
    const root = projectRoot();
    const outfile = path.join(root, 'dist', 'test', 'main.js');
    const mine = path.join(root, 'dist', 'test', `main.${process.pid}.js`);
    await build({
      entryPoints: [path.join(root, 'src', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'warning',
      outfile: mine,
    });
    renameSync(mine, outfile);
    return outfile;
  })();
  return ['--enable-source-maps', await built];
}
