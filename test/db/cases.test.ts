import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  changeCase,
  getCase,
  getCaseVersion,
  insertCase,
  insertCaseGathered,
  insertCases,
  insertMessage,
  listEvents,
  listMessages,
  type NewCaseRow,
} from '../../src/db/queries/cases';
import { cases, outbox } from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const row = (externalId: string, overrides: Partial<NewCaseRow> = {}): NewCaseRow => ({
  kind: 'ticket',
  source: 'email',
  externalId,
  subject: 'Hello',
  body: 'Body with "quotes", commas, {braces} and \\ backslashes',
  customerName: 'Jane',
  customerEmail: 'jane@example.com',
  customerTags: ['kol', 'has "quote"', 'comma,tag'],
  orderAmount: '349.50',
  orderCurrency: 'EUR',
  orderItems: [{ name: 'Shirt', quantity: 2 }],
  priority: 'normal',
  tags: ['sizing'],
  channelId: 'C0EMAIL01',
  receivedAt: new Date('2026-11-27T09:00:00Z'),
  actor: 'api',
  firstMessage: { authorName: 'Jane', body: 'Body', createdAt: new Date('2026-11-27T09:00:00Z') },
  ...overrides,
});

describe('case queries', () => {
  test('insertCase writes the case, its first message, the audit entry and the card post in one go', async () => {
    const { id, created, case: returned } = await insertCase(t.database.db, row('A-1'));
    expect(created).toBe(true);
    const c = await getCase(t.database.db, { id });
    // The row returned by the insert maps exactly as drizzle maps a select.
    expect(returned).toEqual(c);
    expect(c).toMatchObject({
      kind: 'ticket',
      externalId: 'A-1',
      body: 'Body with "quotes", commas, {braces} and \\ backslashes',
      customerTags: ['kol', 'has "quote"', 'comma,tag'],
      orderAmount: '349.50',
      orderItems: [{ name: 'Shirt', quantity: 2 }],
      tags: ['sizing'],
      status: 'new',
    });
    expect((await listMessages(t.database.db, { caseId: id })).map((m) => [m.direction, m.body])).toEqual([['customer', 'Body']]);
    expect((await listEvents(t.database.db, { caseId: id })).map((e) => [e.actor, e.action])).toEqual([['api', 'created']]);
    const rows = (await t.database.db.select().from(outbox)).filter((r) => r.caseId === id);
    expect(rows.map((r) => [r.kind, r.channel, r.orderKey, r.status])).toEqual([['card_post', 'C0EMAIL01', `case:${id}`, 'pending']]);
  });

  test('the database refuses a status or kind outside the case vocabularies', async () => {
    const { case: c } = await insertCase(t.database.db, row('VOCAB-1'));
    // drizzle wraps the database's error; the constraint is named in its cause.
    const refusal = (q: Promise<unknown>) => q.then(() => 'accepted', (e: { cause?: { message?: string } }) => e.cause?.message ?? String(e));
    expect(await refusal(t.database.db.execute(sql`update cases set status = 'archived' where id = ${c.id}`))).toMatch(/cases_status_check/);
    expect(await refusal(t.database.db.execute(sql`update cases set kind = 'chat' where id = ${c.id}`))).toMatch(/cases_kind_check/);
    expect((await getCase(t.database.db, { id: c.id }))!.status).toBe('new');
  });

  test('the same source and external id returns the existing case and writes nothing', async () => {
    const first = await insertCase(t.database.db, row('A-2'));
    const before = (await t.database.db.select().from(outbox)).length;
    const second = await insertCase(t.database.db, row('A-2', { subject: 'changed' }));
    expect(second).toMatchObject({ id: first.id, created: false });
    expect(second.case).toEqual(await getCase(t.database.db, { id: first.id }));
    expect((await getCase(t.database.db, { id: first.id }))!.subject).toBe('Hello');
    expect((await t.database.db.select().from(outbox)).length).toBe(before);
    // Another source with the same external id is a different ticket.
    expect((await insertCase(t.database.db, row('A-2', { source: 'live_chat' }))).created).toBe(true);
  });

  test('a change written without the row lock applies only to the version it read, with its audit entry, card update and thread entry', async () => {
    const { id } = await insertCase(t.database.db, row('VERSION-1'));
    const read = (await getCaseVersion(t.database.db, { id }))!;
    expect(read.case).toEqual(await getCase(t.database.db, { id }));
    const at = new Date('2026-11-27T10:00:00Z');
    const change = (version: string | null, owner: string) =>
      changeCase(t.database.db, {
        id,
        version,
        patch: { status: 'open', ownerId: owner },
        now: at,
        event: { actor: owner, action: 'claimed', data: { via: 'button' }, at },
        entry: { type: 'event', caseId: id, action: 'claimed', actor: owner, data: { via: 'button' }, at },
      });
    const rowsOf = async () => (await t.database.db.select().from(outbox)).filter((r) => r.caseId === id).map((r) => r.kind);
    const first = await change(read.version, 'U0AGENT01');
    expect(first!.case).toMatchObject({ id, status: 'open', ownerId: 'U0AGENT01' });
    expect(first!.case).toEqual(await getCase(t.database.db, { id }));
    // It answers with the version written, the one a read now sees.
    expect(first!.version).toBe((await getCaseVersion(t.database.db, { id }))!.version);
    expect(await rowsOf()).toEqual(['card_post', 'card_update', 'thread_post']);
    // A second writer that read the same version is refused and writes nothing.
    expect(await change(read.version, 'U0AGENT02')).toBeNull();
    expect((await getCase(t.database.db, { id }))!.ownerId).toBe('U0AGENT01');
    expect((await listEvents(t.database.db, { caseId: id })).map((e) => [e.actor, e.action])).toEqual([
      ['api', 'created'],
      ['U0AGENT01', 'claimed'],
    ]);
    expect(await rowsOf()).toEqual(['card_post', 'card_update', 'thread_post']);
    // Read again, it applies; the pending card update is not doubled.
    const again = (await getCaseVersion(t.database.db, { id }))!;
    expect(again.version).not.toBe(read.version);
    expect((await change(again.version, 'U0AGENT02'))!.case).toMatchObject({ ownerId: 'U0AGENT02' });
    expect(await rowsOf()).toEqual(['card_post', 'card_update', 'thread_post', 'thread_post']);
    // Under the row lock no version is given: it applies to the case as it is.
    expect((await change(null, 'U0AGENT01'))!.case).toMatchObject({ ownerId: 'U0AGENT01' });
    expect((await listEvents(t.database.db, { caseId: id })).map((e) => e.actor)).toEqual(['api', 'U0AGENT01', 'U0AGENT02', 'U0AGENT01']);
  });

  test('concurrent duplicates create one case', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => insertCase(t.database.db, row('A-3'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
  });

  test('many cases in one statement: each with its message, audit entry and card post, in the order given', async () => {
    const inserted = await insertCases(t.database.db, [
      row('M-1', { channelId: 'C0EMAIL01' }),
      row('M-2', { channelId: 'C0CHAT001', customerTags: [], orderItems: null, firstMessage: undefined }),
      row('M-3', { events: [{ actor: 'trustloop', action: 'escalated', data: { why: 'x' } }] }),
    ]);
    expect(inserted.map((r) => [r.case.externalId, r.created])).toEqual([
      ['M-1', true],
      ['M-2', true],
      ['M-3', true],
    ]);
    // Ids follow the order given, so cards of one channel go out in the order the cases came.
    expect(inserted.map((r) => r.id)).toEqual([...inserted.map((r) => r.id)].sort((a, b) => a - b));
    for (const r of inserted) expect(r.case).toEqual(await getCase(t.database.db, { id: r.id }));
    expect(inserted[1]!.case).toMatchObject({ customerTags: [], orderItems: null, channelId: 'C0CHAT001' });
    expect(await listMessages(t.database.db, { caseId: inserted[0]!.id })).toHaveLength(1);
    expect(await listMessages(t.database.db, { caseId: inserted[1]!.id })).toHaveLength(0);
    expect((await listEvents(t.database.db, { caseId: inserted[2]!.id })).map((e) => e.action)).toEqual(['created', 'escalated']);
    const posts = await t.database.db.select().from(outbox).where(sql`order_key in ('case:' || ${inserted[0]!.id}, 'case:' || ${inserted[1]!.id})`);
    expect(posts.map((p) => [p.kind, p.channel])).toEqual([
      ['card_post', 'C0EMAIL01'],
      ['card_post', 'C0CHAT001'],
    ]);
  });

  test('in one statement, a case that exists or comes twice is written once and answered as the existing case', async () => {
    const before = await insertCase(t.database.db, row('M-10'));
    const inserted = await insertCases(t.database.db, [
      row('M-10', { subject: 'again' }),
      row('M-11'),
      row('M-11', { subject: 'twice in one batch' }),
      row('M-12', { priority: 'high' }),
    ]);
    expect(inserted.map((r) => [r.id === before.id, r.created, r.case.subject])).toEqual([
      [true, false, 'Hello'],
      [false, true, 'Hello'],
      [false, false, 'Hello'],
      [false, true, 'Hello'],
    ]);
    expect(inserted[2]!.id).toBe(inserted[1]!.id);
    expect(await t.database.db.select().from(outbox).where(sql`order_key = ${`case:${inserted[1]!.id}`}`)).toHaveLength(1);
  });

  test('cases inserted at the same moment by many callers are gathered, and every caller gets its own case', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => insertCaseGathered(t.database.db, row(`G-${i % 30}`, { subject: `subject ${i}` }))),
    );
    // Thirty distinct cases; the ten repeats are answered with the case their twin created.
    expect(new Set(results.map((r) => r.id)).size).toBe(30);
    expect(results.filter((r) => r.created)).toHaveLength(30);
    results.forEach((r, i) => expect(r.case.externalId).toBe(`G-${i % 30}`));
    expect(results.slice(0, 30).every((r) => r.created)).toBe(true);
  });

  test('a gathered batch of several column sets is written whole or not at all: a refused case leaves the others created by their own callers', async () => {
    const results = await Promise.allSettled([
      insertCaseGathered(t.database.db, row('MIX-1')),
      // Another set of columns (an owner given): a statement of its own in the same batch.
      insertCaseGathered(t.database.db, row('MIX-2', { ownerId: 'U0AGENT01' })),
      insertCaseGathered(t.database.db, row('MIX-3', { status: 'lost' as never })),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.created : 'refused'))).toEqual([true, true, 'refused']);
  });

  test('inside a transaction a case is not gathered: it is written on the transaction and goes with it', async () => {
    await expect(
      t.database.db.transaction(async (tx) => {
        await insertCaseGathered(tx, row('TX-1'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await t.database.db.select().from(cases).where(sql`external_id = 'TX-1'`)).toEqual([]);
  });

  test('a case the database refuses fails its own caller only, even when gathered with others', async () => {
    const results = await Promise.allSettled([
      insertCaseGathered(t.database.db, row('BAD-1')),
      // Not a status the case vocabulary knows: the database refuses this one row.
      insertCaseGathered(t.database.db, row('BAD-2', { status: 'lost' as never })),
      insertCaseGathered(t.database.db, row('BAD-3')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = await t.database.db.select({ externalId: cases.externalId }).from(cases).where(sql`external_id like 'BAD-%'`);
    expect(stored.map((c) => c.externalId).sort()).toEqual(['BAD-1', 'BAD-3']);
  });

  test('messages are idempotent on their external id', async () => {
    const { id } = await insertCase(t.database.db, row('A-4'));
    const m = { caseId: id, direction: 'customer' as const, body: 'again', externalId: 'm-1', createdAt: new Date() };
    expect(await insertMessage(t.database.db, m)).not.toBeNull();
    expect(await insertMessage(t.database.db, m)).toBeNull();
    expect(await insertMessage(t.database.db, { ...m, externalId: null })).not.toBeNull();
    expect(await insertMessage(t.database.db, { ...m, externalId: null })).not.toBeNull();
  });
});

describe('reminders', () => {
  test('a reminder is recorded once per case, target, cycle and level', async () => {
    const { recordReminder } = await import('../../src/db/queries/reminders');
    const { id } = await insertCase(t.database.db, row('R-1'));
    const key = { caseId: id, target: 'first_response', cycleKey: 'c1', level: 'warning', dueAt: new Date('2026-11-27T10:00:00Z') };
    expect(await recordReminder(t.database.db, key)).toBe(true);
    expect(await recordReminder(t.database.db, key)).toBe(false);
    expect(await recordReminder(t.database.db, { ...key, level: 'breach' })).toBe(true);
    expect(await recordReminder(t.database.db, { ...key, cycleKey: 'c2' })).toBe(true);
  });
});
