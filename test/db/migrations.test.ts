import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, test } from 'vitest';
import { isReady, migrate, openDatabase, queryRows } from '../../src/db/client';
import { createServerDatabase, hasServer } from '../support/db';

const TABLES = ['case_events', 'case_messages', 'cases', 'outbox', 'outbox_channels', 'slack_events'];

async function tables(db: Parameters<typeof queryRows>[0]) {
  const rows = await queryRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  test('apply on embedded PGlite, twice without harm, and make /readyz ready', async () => {
    const database = await openDatabase({});
    try {
      expect((await isReady(database.db)).ok).toBe(false);
      await migrate(database);
      await migrate(database);
      expect(await tables(database.db)).toEqual(expect.arrayContaining(TABLES));
      expect((await isReady(database.db)).ok).toBe(true);
    } finally {
      await database.close();
    }
  });

  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  test.skipIf(!hasServer)('apply on PostgreSQL when two replicas start at once (needs TEST_DATABASE_URL)', async () => {
    const { url, drop } = await createServerDatabase();
    cleanups.push(drop);
    const a = await openDatabase({ url, poolSize: 2 });
    const b = await openDatabase({ url, poolSize: 2 });
    try {
      await Promise.all([migrate(a), migrate(b)]);
      expect(await tables(a.db)).toEqual(expect.arrayContaining(TABLES));
      expect((await isReady(b.db)).ok).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
