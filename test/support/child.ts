import './suite';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
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

const built = new Map<string, Promise<string>>();

/**
 * Bundles `src/<entry>.ts` with the settings `npm run build` uses (the source map inlined), once per
 * test worker, and returns the file node runs. Starting a bundle takes a fraction of what compiling
 * the TypeScript sources through tsx at every start did. Lazily loaded modules stay chunks of their
 * own (splitting), as they are modules of their own under tsx: a module that checks whether it is
 * the one node was started with still sees that it is not. A build is put in place under the hash
 * of its files, by a rename: workers building side by side never read a half-written bundle, and a
 * bundle of older sources is never taken for the current one.
 */
function bundle(entry: string): Promise<string> {
  let done = built.get(entry);
  if (!done) {
    done = (async () => {
      const root = projectRoot();
      const name = path.basename(entry);
      const mine = path.join(root, 'dist', 'test', `${name}.${process.pid}`);
      rmSync(mine, { recursive: true, force: true });
      await build({
        entryPoints: [path.join(root, 'src', `${entry}.ts`)],
        bundle: true,
        splitting: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'warning',
        outdir: mine,
      });
      const hash = createHash('sha256');
      for (const file of readdirSync(mine).sort()) hash.update(file).update(readFileSync(path.join(mine, file)));
      const target = path.join(root, 'dist', 'test', `${name}-${hash.digest('hex').slice(0, 16)}`);
      try {
        renameSync(mine, target);
      } catch {
        // Another worker put the same build in place first.
        rmSync(mine, { recursive: true, force: true });
      }
      return path.join(target, `${name}.js`);
    })();
    built.set(entry, done);
  }
  return done;
}

/** The arguments that start Trustloop as `npm start` does: node on the app's bundle. */
export async function appArgs(): Promise<string[]> {
  return ['--enable-source-maps', await bundle('main')];
}

/**
 * The arguments that run an operator command as `npm run trustloop --` (or `npm run sandbox:reset`)
 * does, on the command's bundle instead of its sources through tsx: `execFile(process.execPath,
 * [...(await cliArgs()), 'config', 'check'])`.
 */
export async function cliArgs(entry: 'trustloop' | 'sandbox-reset' = 'trustloop'): Promise<string[]> {
  return ['--enable-source-maps', await bundle(`cli/${entry}`)];
}
