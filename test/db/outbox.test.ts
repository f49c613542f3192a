import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { insertCase } from '../../src/db/queries/cases';
import {
  claimDue,
  completeDelivery,
  countFailedSince,
  enqueue,
  enqueueCardUpdate,
  failDelivery,
  requeueFailed,
  retryDelivery,
} from '../../src/db/queries/outbox';
import { outbox, outboxChannels } from '../../src/db/schema';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.database.db.execute(sql`truncate outbox, outbox_channels, cases restart identity cascade`);
});

const claim = (intervalMs = 0) => claimDue(t.database.db, { limit: 50, leaseMs: 60_000, intervalMs });

async function newCase(externalId: string, channelId = 'C1') {
  const { id } = await insertCase(t.database.db, {
    kind: 'ticket',
    source: 'email',
    externalId,
    subject: 's',
    body: 'b',
    priority: 'normal',
    channelId,
    receivedAt: new Date(),
    actor: 'api',
  });
  return id;
}

describe('outbox claiming', () => {
  test('rows of one case go in order: nothing after the card post until it is done', async () => {
    const id = await newCase('x1');
    await enqueue(t.database.db, [{ kind: 'thread_post', caseId: id, channel: 'C1', payload: { text: 'a' } }]);
    const first = await claim();
    expect(first.map((r) => r.kind)).toEqual(['card_post']);
    expect(await claim()).toEqual([]);
    await completeDelivery(t.database.db, { ...first[0]!, resultTs: '1.1' });
    expect((await claim()).map((r) => r.kind)).toEqual(['thread_post']);
  });

  test('one row per channel per claim, interactive rows first, other channels in parallel', async () => {
    const a = await newCase('a', 'C1');
    const b = await newCase('b', 'C1');
    const c = await newCase('c', 'C2');
    const rows = await claim();
    expect(rows.map((r) => [r.channel, r.caseId]).sort()).toEqual([
      ['C1', a],
      ['C2', c],
    ]);
    for (const r of rows) await completeDelivery(t.database.db, r);
    // b's card is waiting in C1; an interactive update on a's card goes first.
    await enqueueCardUpdate(t.database.db, { caseId: a, channel: 'C1' });
    expect((await claim()).map((r) => [r.kind, r.caseId])).toEqual([['card_update', a]]);
    expect(b).toBeGreaterThan(0);
  });

  test('pacing: a channel is not claimed again before its interval has passed', async () => {
    await newCase('p1', 'C9');
    await newCase('p2', 'C9');
    const first = await claim(60_000);
    expect(first).toHaveLength(1);
    await completeDelivery(t.database.db, first[0]!);
    expect(await claim(60_000)).toEqual([]);
    await t.database.db
      .update(outboxChannels)
      .set({ nextAt: new Date(Date.now() - 1000) })
      .where(eq(outboxChannels.channel, 'C9'));
    expect(await claim(60_000)).toHaveLength(1);
  });

  test('pending card updates coalesce to one and wait behind the card post', async () => {
    const id = await newCase('u1');
    for (let i = 0; i < 5; i++) await enqueueCardUpdate(t.database.db, { caseId: id, channel: 'C1' });
    expect((await t.database.db.select().from(outbox).orderBy(outbox.id)).map((r) => r.kind)).toEqual(['card_post', 'card_update']);
    const [post] = await claim();
    expect(post!.kind).toBe('card_post');
    // The post may have reached Slack (answer lost): it goes back for a retry; the update stays behind it.
    await retryDelivery(t.database.db, { ...post!, delayMs: 0, error: 'http 503', ambiguous: true });
    const [again] = await claim();
    expect(again).toMatchObject({ kind: 'card_post', ambiguous: true });
    await completeDelivery(t.database.db, { ...again!, resultTs: '1.1' });
    expect((await claim()).map((r) => r.kind)).toEqual(['card_update']);
  });

  test('a card update retried while a newer one is pending is superseded, not re-queued', async () => {
    const id = await newCase('s1');
    const [post] = await claim();
    await completeDelivery(t.database.db, post!);
    await enqueueCardUpdate(t.database.db, { caseId: id, channel: 'C1' });
    const [update] = await claim();
    await enqueueCardUpdate(t.database.db, { caseId: id, channel: 'C1' });
    await retryDelivery(t.database.db, { ...update!, delayMs: 1000, error: 'ratelimited', ambiguous: false });
    const rows = await t.database.db.select().from(outbox).where(eq(outbox.kind, 'card_update')).orderBy(outbox.id);
    expect(rows.map((r) => r.status)).toEqual(['done', 'pending']);
  });

  test('after a lease is taken over, the first holder’s late writes change nothing', async () => {
    await newCase('f1');
    const [first] = await claimDue(t.database.db, { limit: 10, leaseMs: 1, intervalMs: 0 });
    await new Promise((r) => setTimeout(r, 20));
    const [second] = await claim();
    expect(second!.attempts).toBe(first!.attempts + 1);
    await completeDelivery(t.database.db, { ...second!, resultTs: '2.2' });
    expect(await completeDelivery(t.database.db, { ...first!, resultTs: '1.1' })).toBe(false);
    await retryDelivery(t.database.db, { ...first!, delayMs: 0, error: 'late', ambiguous: true });
    await failDelivery(t.database.db, { ...first!, error: 'late' });
    const [row] = await t.database.db.select().from(outbox).where(eq(outbox.id, first!.id));
    expect(row).toMatchObject({ status: 'done', resultTs: '2.2', lastError: null });
  });

  test('failed rows can be re-queued once the cause is fixed', async () => {
    await newCase('q1');
    const [row] = await claim();
    await failDelivery(t.database.db, { ...row!, error: 'not_in_channel' });
    expect(await countFailedSince(t.database.db, { since: new Date(Date.now() - 60_000) })).toBe(1);
    expect(await requeueFailed(t.database.db, { since: new Date(Date.now() - 60_000) })).toBe(1);
    expect((await claim()).map((r) => r.id)).toEqual([row!.id]);
  });

  test('a row whose lease expired (its process died) is claimed again and marked ambiguous', async () => {
    await newCase('l1');
    const [row] = await claimDue(t.database.db, { limit: 10, leaseMs: 1, intervalMs: 0 });
    expect(row!.ambiguous).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    const [again] = await claim();
    expect(again!.id).toBe(row!.id);
    expect(again!.ambiguous).toBe(true);
    expect(again!.attempts).toBe(2);
  });

  test('a retried row waits for its time and keeps the ambiguity it had', async () => {
    await newCase('r1');
    const [row] = await claim();
    await retryDelivery(t.database.db, { ...row!, delayMs: 60_000, error: 'http 503', ambiguous: true });
    expect(await claim()).toEqual([]);
    await t.database.db
      .update(outbox)
      .set({ notBefore: new Date(Date.now() - 1) })
      .where(eq(outbox.id, row!.id));
    const [again] = await claim();
    expect(again).toMatchObject({ id: row!.id, ambiguous: true, lastError: 'http 503' });
  });

  test.skipIf(!hasServer)('two replicas claiming at once never take the same row (needs TEST_DATABASE_URL)', async () => {
    for (let i = 0; i < 40; i++) await newCase(`race${i}`, `C${i % 8}`);
    const other = await openDatabase({ url: t.url!, poolSize: 4 });
    try {
      const seen: number[] = [];
      for (let round = 0; round < 20; round++) {
        const [a, b] = await Promise.all([
          claimDue(t.database.db, { limit: 50, leaseMs: 60_000, intervalMs: 0 }),
          claimDue(other.db, { limit: 50, leaseMs: 60_000, intervalMs: 0 }),
        ]);
        for (const r of [...a, ...b]) {
          seen.push(r.id);
          await completeDelivery(t.database.db, r);
        }
      }
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
    } finally {
      await other.close();
    }
  });

  test.skipIf(!hasServer)(
    'two replicas claiming one paced channel at once take one row between them (needs TEST_DATABASE_URL)',
    async () => {
      for (let i = 0; i < 6; i++) await newCase(`paced${i}`, 'C7');
      const other = await openDatabase({ url: t.url!, poolSize: 4 });
      try {
        const paced = (db: typeof other.db) => claimDue(db, { limit: 50, leaseMs: 60_000, intervalMs: 60_000 });
        const [a, b] = await Promise.all([paced(t.database.db), paced(other.db)]);
        expect(a.length + b.length).toBe(1);
        const [again, againOther] = await Promise.all([paced(t.database.db), paced(other.db)]);
        expect([...again, ...againOther]).toEqual([]);
      } finally {
        await other.close();
      }
    },
  );
});
