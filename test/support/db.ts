import './suite';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/** The migrated database the suite's setup dumped (test/support/pglite-template.ts); none outside vitest. */
function pgliteTemplate(): Blob | undefined {
  const file = process.env.VITEST ? inject('pgliteTemplate') : undefined;
  return file ? new Blob([readFileSync(file)]) : undefined;
}

export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (!serverUrl) {
    const database = await openDatabase({ template: pgliteTemplate() });
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
