import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableColumns, Param, SQL, StringChunk, sql, type Table } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import type { PGliteOptions } from '@electric-sql/pglite';
import * as schema from './schema';

export type Schema = typeof schema;
/** A database or a transaction: query functions take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The postgres:// URL it was opened with (PostgreSQL only). */
  url?: string;
  /** Number of connections that can run at once (1 for the embedded database). */
  poolSize: number;
  close(): Promise<void>;
}

/** The project folder (the one holding package.json), whether running from src/ or the dist/ bundle. */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const MIGRATIONS_FOLDER = path.join(projectRoot(), 'migrations');

// Lock key for migrations, so replicas starting together migrate once.
const MIGRATION_LOCK = 0x7472_7573; // "trus"

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  /** PGlite only: the file system it runs on instead of its own in-memory one (the tests hand in one that holds a migrated database). */
  fs?: PGliteOptions['fs'];
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const poolSize = opts.poolSize ?? 10;
    const client = postgres(opts.url, {
      max: poolSize,
      onnotice: () => {},
      // Idle connections are closed so a replica at rest holds few server slots.
      idle_timeout: 60,
      connect_timeout: 10,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return { db, kind: 'postgres', url: opts.url, poolSize, close: () => client.end({ timeout: 5 }) };
  }
  // The embedded database's modules are read only when it is the one used: an instance on
  // PostgreSQL does not carry them.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const dataDir = opts.dataDir && opts.dataDir !== 'memory://' ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(opts.fs ? { fs: opts.fs } : {}) });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', poolSize: 1, close: () => client.close() };
}

/** Applies committed migrations; replicas that start together take turns on an advisory lock. */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // A session-level lock needs one connection held for the whole migration.
  const client = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Why PostgreSQL could not be used, as one sentence for the operator: which host and port, and what
 * to check. Never the password (only host, port, user and database name are read from the URL).
 */
export function describeDatabaseError(err: unknown, url: string): string {
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || '5432'}`;
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return `points at ${where}, where nothing answers (connection refused): check that PostgreSQL is running there and that the host and port are right`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `names the host ${u.hostname}, which cannot be found: check the host name`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `points at ${where}, which did not answer in time: check the address, and that no firewall stands between Trustloop and PostgreSQL`;
    case '28P01':
    case '28000':
      return `was refused by PostgreSQL at ${where} for the user "${decodeURIComponent(u.username)}": check the user name and password`;
    case '3D000':
      return `names the database "${decodeURIComponent(u.pathname.slice(1))}", which does not exist at ${where}: create it or correct the name`;
    default:
      return `could not be used at ${where}: ${e.message ?? String(err)}`;
  }
}

const dialect = new PgDialect();

/**
 * Rows of a raw query run as a server-side prepared statement on PostgreSQL (parsed and planned
 * once per connection), for statements on hot paths. Elsewhere (PGlite, transactions) it runs as
 * queryRows does.
 */
export async function queryRowsPrepared<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  if (!preparing(db)) return queryRows<T>(db, query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  return queryStatement<T>(db, text, params);
}

/** postgres.js's client when `db` is the database itself on PostgreSQL (it prepares statements); otherwise null. */
function preparing(db: Db): Sql | null {
  const client = (db as { $client?: { unsafe?: unknown } }).$client;
  return typeof client?.unsafe === 'function' ? (client as Sql) : null;
}

/**
 * Rows of a statement written out once, with numbered parameters ($1, $2 …) given as the driver
 * takes them: on PostgreSQL a server-side prepared statement, elsewhere (PGlite, transactions) run
 * through drizzle. Nothing is assembled per call, which the busiest statements (a ticket's insert,
 * a card's delivery, the dispatcher's claims) would otherwise spend more CPU on than the database
 * spends answering them.
 */
export async function queryStatement<T = Record<string, unknown>>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  const client = preparing(db);
  if (client) return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  const parts = text.split(/\$(\d+)/);
  const chunks = parts.map((part, i) => (i % 2 === 0 ? new StringChunk(part) : new Param(params[Number(part) - 1])));
  return queryRows<T>(db, new SQL(chunks));
}

/** True for the database itself, false for a transaction (drizzle gives only the former its client). */
export function isRootDb(db: Db): boolean {
  return (db as { $client?: unknown }).$client !== undefined;
}

/**
 * Maps a table's raw rows (snake_case names, driver values, as raw statements return them) to the
 * typed rows drizzle would return. `prefix` reads columns selected under an alias ("draft.id").
 */
export function rowMapper<T>(table: Table, prefix = ''): (raw: Record<string, unknown>) => T {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[prefix + column.name];
      out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return out as T;
  };
}

/** Rows of a raw query; hides the difference between postgres.js and PGlite result shapes. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * True when the database answers and every committed migration has been applied. The detail is
 * safe to show to anyone who can reach /readyz; the underlying error is logged by the caller.
 */
export async function isReady(db: Db): Promise<{ ok: boolean; detail: string; error?: Error }> {
  try {
    const journal = JSON.parse(await readFile(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const applied = Number(row?.n ?? 0);
    if (applied < journal.entries.length) {
      return { ok: false, detail: `migrations applied ${applied} of ${journal.entries.length}` };
    }
    return { ok: true, detail: `migrations applied ${applied}` };
  } catch (err) {
    return { ok: false, detail: 'database unreachable', error: err as Error };
  }
}
