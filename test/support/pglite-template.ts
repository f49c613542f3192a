import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { MIGRATIONS_FOLDER, migrate, openDatabase } from '../../src/db/client';

// Without a PostgreSQL server every test file gets its own embedded PGlite database, and creating
// one from nothing (initdb, then every migration) takes seconds of CPU. The suite does that once:
// a migrated database is dumped to a file named after the migrations it holds, and each test
// database starts as a copy of it (a fraction of the time). Migrations still run on every copy, so
// a stale file could only cost time, never a wrong schema.

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
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
  if (process.env.TEST_DATABASE_URL) return;
  const file = path.join(tmpdir(), `trustloop-test-pglite-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const database = await openDatabase({});
    await migrate(database);
    const client = (database.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir('none');
    await database.close();
    // Written aside and renamed, so a run started meanwhile never reads half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  project.provide('pgliteTemplate', file);
}
