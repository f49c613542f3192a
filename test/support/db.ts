import './suite';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryFS } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type Database, migrate, openDatabase } from '../../src/db/client';

// Each test file gets its own database: a fresh PostgreSQL database on the server named by
// TEST_DATABASE_URL when there is one, otherwise an in-memory embedded PGlite. The same suites
// run on both.

export const serverUrl = process.env.TEST_DATABASE_URL || undefined;
export const hasServer = serverUrl !== undefined;

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this test's own database (server only). */
  url?: string;
  close(): Promise<void>;
}

export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database on the test server (no migrations); returns its URL and a drop function. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `trustloop_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  return {
    url: databaseUrl(serverUrl!, name),
    async drop() {
      const a = postgres(serverUrl!, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** The migrated data folder the suite's setup made (test/support/pglite-template.ts); none outside vitest. */
function templateDir(): string | undefined {
  return process.env.VITEST ? inject('pgliteTemplateDir') : undefined;
}

interface TemplateEntry {
  path: string;
  data?: Buffer;
}
let templateEntries: TemplateEntry[] | undefined;

/**
 * PGlite's in-memory file system, holding a copy of the template folder when PostgreSQL starts: it
 * finds a database and opens it. Loading PGlite's own dump (a tar) took twice the CPU, most of it
 * unpacking; the folder is read once per test worker and copied into each database's memory.
 */
class TemplateFs extends MemoryFS {
  constructor(private readonly entries: TemplateEntry[]) {
    super();
  }

  override async initialSyncFs(): Promise<void> {
    const mod = this.pg!.Module;
    const pgdata = mod.ENV.PGDATA!;
    mod.FS.mkdirTree(pgdata);
    for (const e of this.entries) {
      if (!e.data) mod.FS.mkdir(`${pgdata}/${e.path}`, 0o700);
      else mod.FS.writeFile(`${pgdata}/${e.path}`, new Uint8Array(e.data), { canOwn: true, mode: 0o600 } as never);
    }
  }
}

function templateFs(): TemplateFs | undefined {
  const dir = templateDir();
  if (!dir) return undefined;
  if (!templateEntries) {
    const entries: TemplateEntry[] = [];
    const walk = (rel: string) => {
      for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          entries.push({ path: r });
          walk(r);
        } else entries.push({ path: r, data: readFileSync(path.join(dir, r)) });
      }
    };
    walk('');
    templateEntries = entries;
  }
  return new TemplateFs(templateEntries);
}

/**
 * Puts a copy of the suite's migrated embedded database into a Trustloop data folder
 * (TRUSTLOOP_DATA_DIR/pglite), for a test that starts Trustloop or a command as a process of its own
 * and is not about a fresh install: the process then opens a database instead of creating one and
 * running every migration (seconds of CPU in each process). Outside vitest it does nothing, and the
 * process creates its database itself.
 */
export function seedDataDir(dataDir: string): void {
  const dir = templateDir();
  if (dir) cpSync(dir, path.join(dataDir, 'pglite'), { recursive: true });
}

export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (!serverUrl) {
    const database = await openDatabase({ fs: templateFs() });
    await migrate(database);
    return { database, close: () => database.close() };
  }
  const { url, drop } = await createServerDatabase();
  const database = await openDatabase({ url, poolSize: opts.poolSize ?? 5 });
  await migrate(database);
  return {
    database,
    url,
    async close() {
      await database.close();
      await drop();
    },
  };
}
