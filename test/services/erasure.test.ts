import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate, openDatabase, queryRows } from '../../src/db/client';
import { getSuppression, requestFacts } from '../../src/db/queries/review-requests';
import { ERASED, ERASURE_TABLES, TABLES_WITHOUT_PERSONAL_DATA } from '../../src/domain/erasure';
import { ERASURE_ACTION, eraseCustomer } from '../../src/services/erasure';
import { childEnv, cliArgs } from '../support/child';
import { seedCustomer, whereHeld } from '../support/customer-seed';
import { createTestDatabase, seedDataDir, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { testConfig } from '../support/harness';

// Erasing a customer by e-mail: afterwards no text or JSON column of any table holds their
// address, name or words; the rows the figures count are still there; it is audited without the
// address, and a second run changes nothing.

let t: TestDatabase;
const clock = { now: new Date('2026-12-01T10:00:00Z') };
const mara = { email: 'marta.lindqvist@example.org', name: 'Märta Lindqvist', words: 'My linen shirt arrived torn at the seam, a real pity.', suffix: '11' };
const jonas = { email: 'jonas.berg@example.net', name: 'Jonas Berg', words: 'The mug handle came off on the second day of use.', suffix: '22' };
const needlesOf = (c: { email: string; name: string; words: string }) => [c.email, c.name, c.words];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['cases', 'case_messages', 'orders', 'reviews', 'disputes', 'review_requests', 'csat_responses', 'reply_drafts']) {
    const [r] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
    out[table] = Number(r!.n);
  }
  return out;
}

describe('trustloop erase', () => {
  test('removes the address, name and words from every table; figures rows stay; audited; a second run changes nothing', async () => {
    const db = t.database.db;
    const target = await seedCustomer(db, mara);
    await seedCustomer(db, jonas);
    const before = await whereHeld(db, needlesOf(mara));
    // The seed reaches every table an erasure must look at (so the check after it can fail).
    const tablesHolding = new Set(Object.keys(before).map((k) => k.split('.')[0]));
    for (const table of ERASURE_TABLES) expect(tablesHolding, table).toContain(table);
    const jonasBefore = await whereHeld(db, needlesOf(jonas));
    const countsBefore = await rowCounts();

    const deps = testDeps(db, testConfig(), clock);
    const outcome = await eraseCustomer(deps, { email: '  Marta.Lindqvist@EXAMPLE.org ', actor: 'cli:ops' });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(await whereHeld(db, needlesOf(mara))).toEqual({});
    for (const table of ERASURE_TABLES) expect(outcome.counts[table], table).toBeGreaterThan(0);

    // Another customer's data is untouched, and the rows figures count are all still there.
    expect(await whereHeld(db, needlesOf(jonas))).toEqual(jonasBefore);
    const countsAfter = await rowCounts();
    expect(countsAfter).toEqual(countsBefore);
    const [ticket] = await queryRows<{ body: string; order_amount: string; customer_email: string | null; tags: string[] }>(
      db,
      sql`select body, order_amount, customer_email, tags from cases where id = ${target.ticketId}`,
    );
    expect(ticket).toMatchObject({ body: ERASED, order_amount: '89.00', customer_email: null });
    const [review] = await queryRows<{ rating: number; ugc_consent: string; media: unknown[] }>(
      db,
      sql`select rating, ugc_consent, media from reviews where external_id = 'rv-11'`,
    );
    expect(review).toEqual({ rating: 2, ugc_consent: 'revoked', media: [] });
    const [customers] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from customers where external_id = 'c-11'`);
    expect(customers!.n).toBe(0);

    // Review requests stay refused to the address, remembered by its hash only.
    expect(await getSuppression(db, { email: mara.email })).toBe('erased');
    const facts = await requestFacts(db, { requestId: 0, email: 'MARTA.LINDQVIST@example.org', since: clock.now, capSince: clock.now, repeatSince: clock.now });
    expect(facts.suppressed).toBe('erased');

    // Audited: each case, and one entry with the counts, none holding the address.
    const audit = await queryRows<{ case_id: number | null; actor: string; data: Record<string, unknown> }>(
      db,
      sql`select case_id, actor, data from case_events where action = ${ERASURE_ACTION} order by id`,
    );
    expect(audit.filter((a) => a.case_id !== null)).toHaveLength(3);
    const summary = audit.find((a) => a.case_id === null)!;
    expect(summary).toMatchObject({ actor: 'cli:ops', data: { cases: 3, rows: { cases: 3, orders: 1, customers: 1 } } });
    // The posted card is queued for a re-render.
    const [update] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from outbox where kind = 'card_update' and case_id = ${target.ticketId} and status = 'pending'`,
    );
    expect(update!.n).toBe(1);

    const again = await eraseCustomer(deps, { email: mara.email, actor: 'cli:ops' });
    expect(again).toMatchObject({ ok: true, total: 0 });
    const [events] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from case_events where action = ${ERASURE_ACTION}`);
    expect(events!.n).toBe(audit.length);

    expect(await eraseCustomer(deps, { email: 'not an address', actor: 'cli:ops' })).toEqual({ ok: false, problem: 'not_an_email' });
  });

  test('every table is either looked at by an erasure or known to hold no personal data', async () => {
    const tables = await queryRows<{ table_name: string }>(
      t.database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    const known = new Set<string>([...ERASURE_TABLES, ...TABLES_WITHOUT_PERSONAL_DATA]);
    // A new table must be placed in one list or the other before this passes.
    expect(tables.map((r) => r.table_name).filter((name) => !known.has(name))).toEqual([]);
  });

  test('`trustloop erase <email>` prints what it erased per table, then that nothing is left', { timeout: 180_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-erase-'));
    seedDataDir(dataDir);
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    await migrate(database);
    await seedCustomer(database.db, mara);
    await database.close();

    const root = path.resolve(import.meta.dirname, '../..');
    const cli = await cliArgs();
    const run = () =>
      promisify(execFile)(process.execPath, [...cli, 'erase', mara.email, '--by', 'ops-lead'], { cwd: root, env: childEnv({ TRUSTLOOP_DATA_DIR: dataDir }) });
    const first = await run();
    expect(first.stdout).toMatch(/^Erased the customer's personal data, \d+ rows in all:\n/);
    expect(first.stdout).toMatch(/^ {2}cases +3$/m);
    expect(first.stdout).toMatch(/^ {2}customers +1$/m);
    expect(first.stdout).toContain('customer_erased by cli:ops-lead');
    expect(first.stdout).not.toContain(mara.email);
    const second = await run();
    expect(second.stdout).toMatch(/^Nothing is held for that address/);

    const reopened = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      expect(await whereHeld(reopened.db, needlesOf(mara))).toEqual({});
    } finally {
      await reopened.close();
    }
  });
});
