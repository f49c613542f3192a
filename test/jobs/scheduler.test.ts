import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, queryRows } from '../../src/db/client';
import { maintenanceJob } from '../../src/jobs/maintenance';
import { lockKey } from '../../src/db/locks';
import { runExclusive, Scheduler } from '../../src/jobs/scheduler';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const count = async (table: string) =>
  Number((await queryRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

describe('scheduled jobs', () => {
  test('lock keys are stable per name and differ between names', () => {
    expect(lockKey('maintenance')).toBe(lockKey('maintenance'));
    expect(lockKey('maintenance')).not.toBe(lockKey('sla-sweep'));
  });

  test('maintenance forgets old Slack event ids and old delivered rows, and keeps the rest', async () => {
    const now = new Date('2026-11-27T12:00:00Z');
    await t.database.db.execute(sql`insert into slack_events (event_id, received_at) values
      ('old', '2026-11-01T00:00:00Z'), ('recent', '2026-11-26T00:00:00Z')`);
    await t.database.db.execute(sql`insert into outbox (kind, channel, order_key, status, done_at) values
      ('post', 'C1', 'k1', 'done', '2026-09-01T00:00:00Z'),
      ('post', 'C1', 'k2', 'done', '2026-11-20T00:00:00Z'),
      ('post', 'C1', 'k3', 'failed', '2026-09-01T00:00:00Z'),
      ('post', 'C1', 'k4', 'pending', null)`);
    const scheduler = new Scheduler(t.database.db, pino({ level: 'silent' }), () => now);
    expect(await scheduler.runNow(maintenanceJob)).toBe(true);
    expect(await count('slack_events')).toBe(1);
    const left = await queryRows<{ order_key: string }>(t.database.db, sql`select order_key from outbox order by order_key`);
    expect(left.map((r) => r.order_key)).toEqual(['k2', 'k3', 'k4']);
  });

  test.skipIf(!hasServer)('two replicas: only one runs a tick (needs TEST_DATABASE_URL)', async () => {
    const other = await openDatabase({ url: t.url!, poolSize: 2 });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = runExclusive(t.database.db, 'race', () => held);
      await new Promise((r) => setTimeout(r, 50));
      const second = await runExclusive(other.db, 'race', async () => {});
      release();
      expect(await first).toBe(true);
      expect(second).toBe(false);
    } finally {
      await other.close();
    }
  });
});
