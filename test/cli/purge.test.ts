import '../support/suite';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pino from 'pino';
import { purgeCommand } from '../../src/cli/purge';
import { retentionJob } from '../../src/jobs/retention';
import { ConfigError, parseWorkspaceConfig } from '../../src/config/workspace';
import { type Db, migrate, openDatabase, queryRows } from '../../src/db/client';
import { childEnv, cliArgs } from '../support/child';
import { createTestDatabase, seedDataDir, type TestDatabase } from '../support/db';

// `trustloop purge`: personal data older than the store's retention goes (resolved cases with all
// that hangs on them, closed disputes, reviews, orders with their shipments and refunds, customer
// records, finished review requests); what is open, recent or still in use stays; --dry-run counts.

let t: TestDatabase;
const now = new Date('2027-06-01T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const retention = { cases_days: 730, orders_days: 1095 };

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function insertCase(db: Db, p: { ext: string; kind?: string; resolvedDaysAgo: number | null; receivedDaysAgo: number }): Promise<number> {
  const [r] = await queryRows<{ id: number }>(
    db,
    sql`insert into cases (kind, source, external_id, subject, body, customer_email, priority, channel_id, received_at, reported_at, status, resolved_at)
        values (${p.kind ?? 'ticket'}, 'email', ${p.ext}, 'Subject', 'Body', 'x@example.com', 'normal', 'C0SUPPORT1',
                ${ago(p.receivedDaysAgo)}::timestamptz, ${ago(p.receivedDaysAgo)}::timestamptz,
                ${p.resolvedDaysAgo === null ? 'new' : 'resolved'}, ${p.resolvedDaysAgo === null ? null : ago(p.resolvedDaysAgo)}::timestamptz)
        returning id`,
  );
  const id = Number(r!.id);
  await db.execute(sql`insert into case_messages (case_id, direction, body, created_at) values (${id}, 'customer', 'Hello', now())`);
  await db.execute(sql`insert into case_events (case_id, actor, action) values (${id}, 'api', 'created')`);
  return id;
}

async function seed(db: Db) {
  const old = await insertCase(db, { ext: 'old', resolvedDaysAgo: 800, receivedDaysAgo: 805 });
  await db.execute(sql`insert into csat_responses (case_id, rating, via, responded_at) values (${old}, 4, 'link', now())`);
  await db.execute(sql`insert into reply_drafts (case_id, version, language, type, greeting, parts, signoff, body, drafted_by, drafted_at, status)
    values (${old}, 1, 'en', 'delay', 'Hi', '{"confirmation":"a","status":"b","next":"c","needs":null,"contact":"d"}'::jsonb, 'Bye', 'Hi', 'U1', now(), 'sent')`);
  await db.execute(sql`insert into case_reminders (case_id, target, cycle_key, level, due_at) values (${old}, 'first_response', 'c1', 'warning', now())`);
  const recent = await insertCase(db, { ext: 'recent', resolvedDaysAgo: 10, receivedDaysAgo: 800 });
  const open = await insertCase(db, { ext: 'open', resolvedDaysAgo: null, receivedDaysAgo: 900 });
  const disputed = await insertCase(db, { ext: 'disputed', kind: 'dispute', resolvedDaysAgo: 800, receivedDaysAgo: 900 });
  const dispute = (ext: string, caseId: number | null, closedDaysAgo: number | null) =>
    db.execute(sql`insert into disputes (provider, external_id, case_id, stage, status, state, reason_code, reason_text, amount, currency, opened_at, closed_at, created_at, updated_at)
      values ('stripe', ${ext}, ${caseId}, 'chargeback', 's', 'lost', 'fraudulent', 'Fraudulent', '10', 'EUR', ${ago(900)}::timestamptz,
              ${closedDaysAgo === null ? null : ago(closedDaysAgo)}::timestamptz, now(), now())`);
  await dispute('dp-open', disputed, null);
  await dispute('dp-old', null, 800);
  await dispute('dp-recent', null, 100);
  const review = (ext: string, writtenDaysAgo: number, consent = 'none') =>
    db.execute(sql`insert into reviews (provider, external_id, rating, body, written_at, received_at, updated_at, negative, ugc_consent)
      values ('judgeme', ${ext}, 5, 'Lovely', ${ago(writtenDaysAgo)}::timestamptz, now(), now(), false, ${consent})`);
  await review('rv-old', 800);
  await review('rv-old-granted', 800, 'granted');
  await review('rv-recent', 30);
  const order = (ext: string, placedDaysAgo: number) =>
    db.execute(sql`insert into orders (provider, external_id, name, email, amount, currency, placed_at, received_at, updated_at)
      values ('shopify', ${ext}, ${`#${ext}`}, 'x@example.com', '10', 'EUR', ${ago(placedDaysAgo)}::timestamptz, now(), now())`);
  await order('o-old', 1200);
  await order('o-recent', 20);
  await db.execute(sql`insert into order_fulfillments (provider, external_id, order_external_id, status, fulfilled_at, received_at, updated_at)
    values ('shopify', 'f-old', 'o-old', 'success', ${ago(1199)}::timestamptz, now(), now()),
           ('shopify', 'f-recent', 'o-recent', 'success', ${ago(19)}::timestamptz, now(), now())`);
  await db.execute(sql`insert into order_refunds (provider, external_id, order_external_id, amount, refunded_at, received_at)
    values ('shopify', 'r-old', 'o-old', '5', ${ago(1150)}::timestamptz, now())`);
  await db.execute(sql`insert into customers (provider, external_id, email, received_at, updated_at)
    values ('shopify', 'c-old', 'x@example.com', now(), ${ago(1200)}::timestamptz), ('shopify', 'c-recent', 'y@example.com', now(), ${ago(5)}::timestamptz)`);
  const request = (ext: string, deliveredDaysAgo: number, checkAt: string | null) =>
    db.execute(sql`insert into review_requests (order_provider, order_external_id, customer_email, products, delivered_at, status, due_at, check_at, created_at, updated_at)
      values ('shopify', ${ext}, 'x@example.com', '[]'::jsonb, ${ago(deliveredDaysAgo)}::timestamptz, 'completed', now(), ${checkAt}::timestamptz, now(), now())`);
  await request('o-old', 1190, null);
  await request('o-old-waiting', 1190, ago(-1));
  await db.execute(sql`insert into slack_events (event_id, received_at) values ('Ev-old', ${ago(30)}::timestamptz), ('Ev-new', ${ago(1)}::timestamptz)`);
  return { old, recent, open, disputed };
}

async function present(db: Db, table: string, column: string, values: (string | number)[]): Promise<(string | number)[]> {
  const rows = await queryRows<{ v: string | number }>(db, sql`select ${sql.identifier(column)} as v from ${sql.identifier(table)}`);
  const have = new Set(rows.map((r) => String(r.v)));
  return values.filter((v) => have.has(String(v)));
}

function capture() {
  const lines: string[] = [];
  return { lines, say: (l: string) => lines.push(l) };
}
const countOf = (lines: string[], table: string) => Number(lines.find((l) => l.startsWith(`  ${table} `))?.trim().split(/\s+/)[1]);

describe('trustloop purge', () => {
  test('--dry-run counts, then purge deletes exactly what is past retention and keeps the rest', async () => {
    const db = t.database.db;
    const ids = await seed(db);

    const dry = capture();
    await purgeCommand(db, { retention, file: 'trustloop.yml', now, dryRun: true }, dry.say);
    expect(dry.lines[0]).toBe('Cases resolved, disputes closed and reviews written before 2025-06-01 (retention.cases_days: 730).');
    expect(dry.lines[1]).toBe('Orders placed, shipments, refunds, customer records and review requests before 2024-06-01 (retention.orders_days: 1095).');
    expect(dry.lines[2]).toMatch(/^Would delete \(dry run, nothing deleted\): \d+ rows$/);
    const expected = {
      cases: 1,
      case_messages: 1,
      case_events: 1,
      reply_drafts: 1,
      csat_responses: 1,
      case_reminders: 1,
      disputes: 1,
      reviews: 1,
      orders: 1,
      order_fulfillments: 1,
      order_refunds: 1,
      customers: 1,
      review_requests: 1,
      slack_events: 1,
    };
    for (const [table, n] of Object.entries(expected)) expect(countOf(dry.lines, table), table).toBe(n);
    // Nothing went.
    expect(await present(db, 'cases', 'id', [ids.old])).toEqual([ids.old]);
    expect(await present(db, 'orders', 'external_id', ['o-old'])).toEqual(['o-old']);

    const real = capture();
    await purgeCommand(db, { retention, file: 'trustloop.yml', now, dryRun: false }, real.say);
    expect(real.lines[2]).toBe(dry.lines[2]!.replace('Would delete (dry run, nothing deleted)', 'Deleted'));
    for (const [table, n] of Object.entries(expected)) expect(countOf(real.lines, table), table).toBe(n);

    expect(await present(db, 'cases', 'id', [ids.old, ids.recent, ids.open, ids.disputed])).toEqual([ids.recent, ids.open, ids.disputed]);
    expect(await present(db, 'case_messages', 'case_id', [ids.old, ids.recent, ids.open, ids.disputed])).toEqual([ids.recent, ids.open, ids.disputed]);
    expect(await present(db, 'disputes', 'external_id', ['dp-open', 'dp-old', 'dp-recent'])).toEqual(['dp-open', 'dp-recent']);
    expect(await present(db, 'reviews', 'external_id', ['rv-old', 'rv-old-granted', 'rv-recent'])).toEqual(['rv-old-granted', 'rv-recent']);
    expect(await present(db, 'orders', 'external_id', ['o-old', 'o-recent'])).toEqual(['o-recent']);
    expect(await present(db, 'order_fulfillments', 'external_id', ['f-old', 'f-recent'])).toEqual(['f-recent']);
    expect(await present(db, 'order_refunds', 'external_id', ['r-old'])).toEqual([]);
    expect(await present(db, 'customers', 'external_id', ['c-old', 'c-recent'])).toEqual(['c-recent']);
    expect(await present(db, 'review_requests', 'order_external_id', ['o-old', 'o-old-waiting'])).toEqual(['o-old-waiting']);
    expect(await present(db, 'slack_events', 'event_id', ['Ev-old', 'Ev-new'])).toEqual(['Ev-new']);

    // A second purge finds nothing more.
    const again = capture();
    await purgeCommand(db, { retention, file: 'trustloop.yml', now, dryRun: false }, again.say);
    expect(again.lines[2]).toBe('Deleted: 0 rows');
  });

  test('without a retention section only housekeeping rows go, and the config says so', async () => {
    const db = t.database.db;
    await db.execute(sql`insert into orders (provider, external_id, name, amount, currency, placed_at, received_at, updated_at)
      values ('shopify', 'o-ancient', '#1', '10', 'EUR', ${ago(5000)}::timestamptz, now(), now())`);
    const out = capture();
    await purgeCommand(db, { retention: {}, file: 'trustloop.yml', now, dryRun: false }, out.say);
    expect(out.lines.slice(0, 2)).toEqual([
      'Cases, disputes and reviews are kept: trustloop.yml sets no retention.cases_days.',
      'Orders and customer records are kept: trustloop.yml sets no retention.orders_days.',
    ]);
    expect(countOf(out.lines, 'orders')).toBeNaN();
    expect(await present(db, 'orders', 'external_id', ['o-ancient'])).toEqual(['o-ancient']);
  });

  test('the nightly retention job deletes what purge would, and does nothing without a retention', async () => {
    const db = t.database.db;
    await db.execute(sql`insert into orders (provider, external_id, name, amount, currency, placed_at, received_at, updated_at)
      values ('shopify', 'o-nightly', '#2', '10', 'EUR', ${ago(1500)}::timestamptz, now(), now())`);
    const logger = pino({ level: 'silent' });
    const base = parseWorkspaceConfig('store: { name: Shop }\nchannels: { default: C0SUPPORT1, escalation: C0ESCALAT1 }\nteam: { members: [U0AGENT001] }\n');
    const off = retentionJob({ config: base, logger });
    expect(off.schedule).toBe('41 3 * * *');
    await db.transaction((tx) => off.run(tx, now));
    expect(await present(db, 'orders', 'external_id', ['o-nightly'])).toEqual(['o-nightly']);
    const on = retentionJob({ config: { ...base, retention: { orders_days: 1095 } }, logger });
    await db.transaction((tx) => on.run(tx, now));
    expect(await present(db, 'orders', 'external_id', ['o-nightly'])).toEqual([]);
  });

  test('a retention shorter than 30 days is refused with a sentence', () => {
    const base = 'store: { name: Shop }\nchannels: { default: C0SUPPORT1, escalation: C0ESCALAT1 }\nteam: { members: [U0AGENT001] }\n';
    expect(() => parseWorkspaceConfig(`${base}retention: { cases_days: 7 }\n`)).toThrow(ConfigError);
    try {
      parseWorkspaceConfig(`${base}retention: { cases_days: 7 }\n`);
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'retention.cases_days: must be at least 30 days (a shorter time would delete cases still being talked about)',
      ]);
    }
    expect(parseWorkspaceConfig(`${base}retention: { cases_days: 730, orders_days: 1095 }\n`).retention).toEqual(retention);
  });

  test('`trustloop purge --dry-run` reads the retention from the config file', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-purge-'));
    seedDataDir(dir);
    const database = await openDatabase({ dataDir: path.join(dir, 'pglite') });
    await migrate(database);
    await database.db.execute(sql`insert into customers (provider, external_id, received_at, updated_at) values ('shopify', 'c-1', now(), now() - interval '2000 days')`);
    await database.close();
    const file = path.join(dir, 'trustloop.yml');
    writeFileSync(file, 'store: { name: Shop }\nchannels: { default: C0SUPPORT1, escalation: C0ESCALAT1 }\nteam: { members: [U0AGENT001] }\nretention: { orders_days: 1095 }\n');
    const root = path.resolve(import.meta.dirname, '../..');
    const { stdout } = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'purge', '--dry-run'], {
      cwd: root,
      env: childEnv({ TRUSTLOOP_DATA_DIR: dir, TRUSTLOOP_CONFIG: file }),
    });
    expect(stdout).toContain('(retention.orders_days: 1095)');
    expect(stdout).toMatch(/^ {2}customers +1$/m);
    expect(stdout).toContain('Would delete (dry run, nothing deleted)');
  });
});
