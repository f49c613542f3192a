import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getCase, listEvents } from '../../src/db/queries/cases';
import { outbox } from '../../src/db/schema';
import { ticketCreateSchema } from '../../src/ingest/schemas';
import { JudgeAfterIngest } from '../../src/jobs/judge-after-ingest';
import { ingestTicket, judgeTicket, judgeTickets } from '../../src/services/tickets';
import { evaluateCaseSla } from '../../src/domain/sla-case';
import { loadJudgement } from '../../src/services/judgement-model';
import { JudgementThread } from '../../src/services/judgement-thread';
import { decide, read } from '../../src/domain/judgement/judge';
import { loadLanguageDetector } from '../../src/domain/judgement/language';
import type { JudgementInput } from '../../src/domain/judgement/types';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { testConfig, ticket } from '../support/harness';

// Ingest stores the case and its card row and answers; the judgement follows the commit, once,
// whoever runs it first (the worker after ingest, or the card's delivery).

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const clock = { now: new Date('2026-11-06T10:00:00Z') };
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, testConfig(), clock);
});
afterAll(async () => {
  await t?.close();
});

const refundDemand = (external_id: string, extra: Record<string, unknown> = {}) =>
  ticketCreateSchema.parse(
    ticket({
      external_id,
      subject: 'Refund now',
      body: 'The sofa arrived with a torn seam. I want a full refund, not a voucher.',
      order: { id: '2001', amount: '1299.00', currency: 'EUR', country: 'DE', items: [{ sku: 'SOFA-3', name: 'Sofa', quantity: 1 }] },
      ...extra,
    }),
  );

describe('judgement after ingest', () => {
  test('the case is stored unjudged; judging it escalates it once, and a second run changes nothing', async () => {
    const { case: stored } = await ingestTicket(deps, refundDemand('TJ-1'));
    expect(stored.judgement).toBeNull();
    expect(stored.priority).toBe('normal');
    expect(stored.escalatedAt).toBeNull();

    expect(await judgeTicket(deps, { caseId: stored.id })).toEqual({ escalated: true });
    const judged = (await getCase(deps.db, { id: stored.id }))!;
    expect(judged.priority).toBe('urgent');
    expect(judged.escalationReason).toMatch(/^Needs a human: Asks for money back/);
    expect(judged.tags).toEqual([...judged.suggestedTags].sort());
    expect(judged.tags).toContain('refund');

    expect(await judgeTicket(deps, { caseId: stored.id })).toBeNull();
    const events = (await listEvents(deps.db, { caseId: stored.id })).map((e) => e.action);
    expect(events).toEqual(['created', 'escalated']);
    const rows = await deps.db.select().from(outbox).where(eq(outbox.caseId, stored.id)).orderBy(outbox.id);
    // The escalation post follows the card in the case's order.
    expect(rows.map((r) => r.kind)).toEqual(['card_post', 'escalation_post']);
  });

  test('its judgement sets when the SLA sweep first looks: at the next threshold, or at once when one has passed', async () => {
    const ask = (external_id: string, extra: Record<string, unknown> = {}) =>
      ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id, subject: 'Sizes', body: 'Does the linen shirt run small?', ...extra })));
    const { case: fresh } = await ask('TJ-SLA-1');
    await judgeTicket(deps, { caseId: fresh.id });
    const judged = (await getCase(deps.db, { id: fresh.id }))!;
    const e = evaluateCaseSla(deps.config.sla, judged, clock.now);
    expect(e.due).toEqual([]);
    expect(judged.slaCheckAt).toEqual(e.nextCheckAt);
    expect(judged.slaCheckAt!.getTime()).toBeGreaterThan(clock.now.getTime());
    expect(judged.slaRiskAt).toEqual(e.riskAt);
    // Stored with the same clocks already: a judgement that moves no threshold leaves them as they are.
    expect([fresh.slaCheckAt, fresh.slaRiskAt]).toEqual([judged.slaCheckAt, judged.slaRiskAt]);

    // Sent in three days late: its first-response target has passed, so the sweep looks at once.
    const { case: late } = await ask('TJ-SLA-2', { created_at: new Date(clock.now.getTime() - 3 * 86_400_000).toISOString() });
    await judgeTicket(deps, { caseId: late.id });
    expect((await getCase(deps.db, { id: late.id }))!.slaCheckAt).toEqual(clock.now);
  });

  test('read on the judging thread, a message is read and decided exactly as on the main thread', async () => {
    const thread = JudgementThread.for(loadJudgement().file);
    const inputs: JudgementInput[] = [
      { subject: 'Refund now', body: 'The sofa arrived with a torn seam. I want a full refund, not a voucher.', source: 'email', kind: 'ticket', customer: { orderCount: 1, tags: [] }, order: { amount: '1299.00', currency: 'EUR', itemCount: 1 } },
      { subject: 'Sizes', body: 'Does the linen shirt run small? I am usually an M.', source: 'live_chat', kind: 'ticket', customer: { orderCount: null, tags: ['vip'] } },
      { subject: 'Rücksendung', body: 'Ich möchte die Jacke zurückschicken, sie ist zu groß.', source: 'email', kind: 'ticket', customer: { orderCount: 3, tags: [] } },
    ];
    const config = deps.config.judgement;
    const onThread = await thread.judge(inputs, config);
    await loadLanguageDetector();
    expect(onThread.map(({ reading, first }) => ({ reading, first }))).toEqual(
      inputs.map((input) => {
        const reading = read(input, deps.judgement);
        return { reading, first: decide(input, config, reading) };
      }),
    );
    // A ticket judged through it is judged.
    const { case: c } = await ingestTicket(deps, refundDemand('TJ-THREAD-1'));
    await judgeTickets({ ...deps, judgementThread: thread }, { caseIds: [c.id], skipLocked: false });
    expect((await getCase(deps.db, { id: c.id }))!).toMatchObject({ priority: 'urgent', escalationReason: expect.stringMatching(/^Needs a human/) });
  });

  test('tags and a priority sent by the helpdesk are kept; the suggestion is stored beside them', async () => {
    const { case: stored } = await ingestTicket(deps, refundDemand('TJ-2', { tags: ['other'], priority: 'low' }));
    await judgeTicket(deps, { caseId: stored.id });
    const judged = (await getCase(deps.db, { id: stored.id }))!;
    expect(judged.tags).toEqual(['other']);
    expect(judged.priority).toBe('low');
    expect(judged.suggestedTags).toContain('refund');
    expect(judged.escalatedAt).not.toBeNull();
  });

  test('a batch judges each case as judging it alone would, and skips the ones already judged', async () => {
    const { case: a } = await ingestTicket(deps, refundDemand('TJ-B1'));
    const { case: b } = await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id: 'TJ-B2' })));
    const { case: c } = await ingestTicket(deps, refundDemand('TJ-B3', { tags: ['other'], priority: 'low' }));
    await judgeTicket(deps, { caseId: c.id });
    const judgedAlone = (await getCase(deps.db, { id: c.id }))!;

    expect(await judgeTickets(deps, { caseIds: [a.id, b.id, c.id], skipLocked: true })).toEqual({ judged: 2, escalated: 1, busy: [] });
    const ja = (await getCase(deps.db, { id: a.id }))!;
    expect(ja.priority).toBe('urgent');
    expect(ja.escalationReason).toMatch(/^Needs a human: Asks for money back/);
    expect(ja.mustEscalateAt).toEqual(ja.escalatedAt);
    expect(ja.tags).toEqual([...ja.suggestedTags].sort());
    const jb = (await getCase(deps.db, { id: b.id }))!;
    expect(jb.judgement).not.toBeNull();
    expect(jb.escalatedAt).toBeNull();
    expect(jb.priority).toBe('normal');
    expect(jb.tags).toEqual([...jb.suggestedTags].sort());
    // The case judged before is left as it was.
    expect((await getCase(deps.db, { id: c.id }))!.updatedAt).toEqual(judgedAlone.updatedAt);
    expect((await listEvents(deps.db, { caseId: a.id })).map((e) => e.action)).toEqual(['created', 'escalated']);
    expect((await listEvents(deps.db, { caseId: b.id })).map((e) => e.action)).toEqual(['created']);
    const rows = await deps.db.select().from(outbox).where(eq(outbox.caseId, a.id)).orderBy(outbox.id);
    expect(rows.map((r) => r.kind)).toEqual(['card_post', 'escalation_post']);
  });

  test('the worker judges queued cases in order, and at start-up picks up the ones left unjudged', async () => {
    const { case: a } = await ingestTicket(deps, refundDemand('TJ-3'));
    const { case: b } = await ingestTicket(deps, ticketCreateSchema.parse(ticket({ external_id: 'TJ-4' })));
    const worker = new JudgeAfterIngest(deps);
    await worker.recover();
    await worker.idle();
    expect((await getCase(deps.db, { id: a.id }))!.judgement).not.toBeNull();
    expect((await getCase(deps.db, { id: b.id }))!.judgement).not.toBeNull();
    expect((await getCase(deps.db, { id: b.id }))!.escalatedAt).toBeNull();
    await worker.stop();
  });

  test.skipIf(!hasServer)(
    'a case someone else holds is named busy, and the worker judges it once it is free (needs TEST_DATABASE_URL: two connections)',
    async () => {
      const { case: held } = await ingestTicket(deps, refundDemand('TJ-5'));
      const other = postgres(t.url!, { max: 1, onnotice: () => {} });
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      // Another transaction holds the case's row (as an SLA sweep's batch does) until released.
      const holder = other.begin(async (tx) => {
        await tx`select id from cases where id = ${held.id} for update`;
        locked();
        await released;
      });
      await isLocked;
      expect(await judgeTickets(deps, { caseIds: [held.id], skipLocked: true })).toEqual({ judged: 0, escalated: 0, busy: [held.id] });
      const worker = new JudgeAfterIngest(deps);
      worker.add(held.id);
      await worker.idle();
      expect((await getCase(deps.db, { id: held.id }))!.judgement).toBeNull();
      release();
      await holder;
      await other.end();
      // Tried again shortly: no waiting for the card's hold to run out.
      for (let i = 0; i < 100 && (await getCase(deps.db, { id: held.id }))!.judgement === null; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await getCase(deps.db, { id: held.id }))!.escalatedAt).not.toBeNull();
      await worker.stop();
    },
  );
});
