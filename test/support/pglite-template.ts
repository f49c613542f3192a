import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_FOLDER, migrate, openDatabase } from '../../src/db/client';

// Without a PostgreSQL server every test file gets its own embedded PGlite database, and creating
// one from nothing (initdb, then every migration) takes seconds of CPU. The suite does that once:
// a migrated database is kept in a data folder named after the migrations it holds, and each test
// database starts as a copy of it (test/support/db.ts), in memory for the tests' own databases and
// in TRUSTLOOP_DATA_DIR/pglite for a Trustloop process a test starts (seedDataDir). Migrations still
// run on every copy, so a stale folder could only cost time, never a wrong schema. It is made on
// PostgreSQL runs too: the processes tests start use the embedded database whatever the suite's is.

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
  }
}

function migrationsHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, name.name);
      if (name.isDirectory()) walk(full);
      else h.update(name.name).update(readFileSync(full));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return h.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = path.join(tmpdir(), `trustloop-test-pglite-${migrationsHash()}`);
  if (!existsSync(dir)) {
    // Made aside and renamed into place, so a run started meanwhile never reads half a folder.
    const partial = `${dir}.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: partial });
    await migrate(database);
    await database.close();
    try {
      renameSync(partial, dir);
    } catch {
      // Another run put the same folder in place first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  project.provide('pgliteTemplateDir', dir);
}
