import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../../src/db/client';
import { insertCase } from '../../src/db/queries/cases';
import { listDeadlineCandidates } from '../../src/db/queries/disputes';
import { listInbox, recordInbox } from '../../src/db/queries/inbox';
import { relatedCases } from '../../src/db/queries/related';
import { insertResponseVersion, latestResponse } from '../../src/db/queries/reviews';
import { caseEvents, cases, clusterAlerts, disputes, outbox, reviews } from '../../src/db/schema';
import type { DisputeEvent, ReviewEvent } from '../../src/ingest/providers/types';
import { renderSlaReport } from '../../blocks/sla';
import { sendDisputeReminders } from '../../src/services/disputes/deadlines';
import { applyDisputeEvent } from '../../src/services/disputes/events';
import { markEvidenceSubmitted, saveEvidence } from '../../src/services/disputes/evidence';
import { actOnUgc } from '../../src/services/reviews/ugc';
import { applyReviewEvent } from '../../src/services/reviews/events';
import { approveDraft, prepareDraft, saveDraft } from '../../src/services/reviews/response';
import { slaReport } from '../../src/services/sla';
import { receiveEvents } from '../../src/services/webhooks';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { PEOPLE } from '../support/harness';
import { reviewsConfig } from '../support/providers';

// Queries and services of reviews and disputes on a real database: embedded PGlite by default,
// PostgreSQL when TEST_DATABASE_URL is set (the same tests run on both).

let t: TestDatabase;
const clock = { now: new Date('2027-03-15T10:00:00Z') };
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, reviewsConfig(), clock);
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
function reviewEvent(over: Partial<ReviewEvent> = {}): ReviewEvent {
  seq++;
  return {
    kind: 'review',
    provider: 'generic',
    eventId: `ev-${seq}`,
    action: 'created',
    externalId: `rv-${seq}`,
    rating: 1,
    title: 'Broke',
    body: 'The handle broke off the first time I used it.',
    product: { title: 'Stoneware Mug', sku: 'MUG-1' },
    verified: true,
    media: [],
    reviewer: { name: 'Kim', email: 'Kim@Example.com' },
    createdAt: new Date('2027-03-15T09:00:00Z'),
    raw: {},
    ...over,
  };
}

function disputeEvent(over: Partial<DisputeEvent> = {}): DisputeEvent {
  seq++;
  return {
    kind: 'dispute',
    provider: 'stripe',
    eventId: `evt_${seq}`,
    action: 'created',
    externalId: `dp_${seq}`,
    stage: 'chargeback',
    status: 'needs_response',
    state: 'needs_response',
    reasonCode: 'fraudulent',
    reasonText: 'The cardholder says they did not make this payment',
    amount: '49.99',
    currency: 'USD',
    respondBy: new Date('2027-03-25T23:59:59Z'),
    createdAt: new Date('2027-03-15T09:30:00Z'),
    raw: {},
    ...over,
  };
}

const outboxOf = async (caseId: number) =>
  (await t.database.db.select().from(outbox).where(eq(outbox.caseId, caseId))).map((r) => r.kind).sort();

describe('webhook inbox', () => {
  test('an event id is recorded once per provider; rejected and ignored deliveries need none', async () => {
    expect(await recordInbox(t.database.db, { provider: 'stripe', eventId: 'evt_A', status: 'processed' })).toBe(true);
    expect(await recordInbox(t.database.db, { provider: 'stripe', eventId: 'evt_A', status: 'processed' })).toBe(false);
    expect(await recordInbox(t.database.db, { provider: 'paypal', eventId: 'evt_A', status: 'processed' })).toBe(true);
    expect(await recordInbox(t.database.db, { provider: 'stripe', status: 'rejected', body: 'bad\u0000body' })).toBe(true);
    expect(await recordInbox(t.database.db, { provider: 'stripe', status: 'rejected', body: 'bad again' })).toBe(true);
    const rows = await listInbox(t.database.db, { provider: 'stripe' });
    expect(rows.map((r) => [r.eventId, r.status, r.body])).toEqual([
      ['evt_A', 'processed', null],
      [null, 'rejected', 'bad\uFFFDbody'],
      [null, 'rejected', 'bad again'],
    ]);
  });

  test('a replayed event changes nothing: one review, one case, one card post', async () => {
    const e = reviewEvent();
    const [first] = await receiveEvents(deps, { provider: 'generic', events: [e], headers: {} });
    const [second] = await receiveEvents(deps, { provider: 'generic', events: [e], headers: {} });
    expect(first).toMatchObject({ duplicate: false, review: { reviewCreated: true, caseCreated: true, negative: true } });
    expect(second).toEqual({ eventId: e.eventId, duplicate: true });
    const rows = await t.database.db.select().from(reviews).where(eq(reviews.externalId, e.externalId));
    expect(rows).toHaveLength(1);
    // The card, and (a 1★ review must reach a person) its announcement in the escalation channel.
    expect(await outboxOf(rows[0]!.caseId!)).toEqual(['card_post', 'escalation_post']);
  });

  test('the generic API keeps review and dispute event ids apart', async () => {
    const r = reviewEvent({ eventId: 'client-42' });
    const d = disputeEvent({ provider: 'generic', eventId: 'client-42' });
    const results = await receiveEvents(deps, { provider: 'generic', events: [r, d], headers: {} });
    expect(results.map((x) => x.duplicate)).toEqual([false, false]);
    const rows = (await listInbox(t.database.db))
      .filter((x) => x.eventId === 'client-42')
      .map((x) => x.provider)
      .sort();
    expect(rows).toEqual(['generic.dispute', 'generic.review']);
  });

  test.skipIf(!hasServer)('two deliveries of one event at the same moment store it once (needs TEST_DATABASE_URL)', async () => {
    const e = reviewEvent();
    const results = await Promise.all([1, 2, 3].map(() => receiveEvents(deps, { provider: 'generic', events: [e], headers: {} })));
    expect(results.flat().filter((r) => !r.duplicate)).toHaveLength(1);
    const [row] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from cases where external_id = ${e.externalId}`,
    );
    expect(Number(row!.n)).toBe(1);
  });
});

describe('review service', () => {
  test('a negative review becomes a case with the reviewer, the judged tags and the order of a matched case', async () => {
    await insertCase(t.database.db, {
      kind: 'ticket',
      source: 'email',
      externalId: 'ZD-match',
      subject: 'Mug',
      body: 'Where is my mug?',
      customerEmail: 'kim@example.com',
      orderId: '#5001',
      orderAmount: '24.00',
      orderCurrency: 'EUR',
      orderCountry: 'NL',
      priority: 'normal',
      channelId: 'C0EMAIL01',
      receivedAt: new Date('2027-03-10T10:00:00Z'),
      actor: 'api',
    });
    const outcome = await t.database.db.transaction((tx) =>
      applyReviewEvent(tx, deps, reviewEvent({ orderRef: '5001', product: { title: 'Teapot', sku: 'POT-1' } }), clock.now),
    );
    const [c] = await t.database.db.select().from(cases).where(eq(cases.id, outcome.caseId!));
    expect(c).toMatchObject({
      kind: 'review',
      source: 'generic',
      subject: '★☆☆☆☆ Broke',
      customerName: 'Kim',
      customerEmail: 'kim@example.com',
      orderId: '5001',
      orderAmount: '24.00',
      orderCurrency: 'EUR',
      orderCountry: 'NL',
      channelId: 'C0REVIEWS',
      productKeys: ['sku:pot-1'],
      tags: ['quality'],
      // Its clocks start when Trustloop received it; reports count it when it was written.
      receivedAt: clock.now,
      reportedAt: new Date('2027-03-15T09:00:00Z'),
    });
    // Escalated exactly when the judgement stored with it says so, with its reasons.
    const j = c!.judgement!;
    expect(c).toMatchObject(
      j.mustEscalate
        ? { priority: 'urgent', escalationReason: `Needs a human: ${j.reasons.map((r) => r.label).join('; ')}`, mustEscalateAt: clock.now }
        : { priority: 'normal', escalationReason: null, mustEscalateAt: null },
    );
  });

  test('an update that makes a happy review negative opens a case then; a 5★ with photos is a UGC candidate', async () => {
    const e = reviewEvent({
      rating: 5,
      title: 'Perfect',
      body: 'Gorgeous colour, fits perfectly.',
      media: [{ type: 'image', url: 'https://cdn.example.com/m.jpg' }],
    });
    const first = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, e, clock.now));
    expect(first).toMatchObject({ negative: false, caseId: null, ugcCandidate: true });
    const ugc = (await t.database.db.select().from(outbox)).filter((r) => r.kind === 'ugc_post' && r.payload.reviewId === first.reviewId);
    expect(ugc.map((r) => r.channel)).toEqual(['C0UGC0001']);
    const edit = {
      ...e,
      eventId: `${e.eventId}-2`,
      action: 'updated' as const,
      rating: 2,
      title: 'Cracked',
      body: 'It cracked in the dishwasher.',
    };
    const second = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, edit, clock.now));
    expect(second).toMatchObject({
      reviewId: first.reviewId,
      reviewCreated: false,
      caseCreated: true,
      negative: true,
      ugcCandidate: false,
    });
  });

  test('UGC consent is audited and nothing is usable before it is granted', async () => {
    const e = reviewEvent({
      rating: 5,
      title: 'Love it',
      body: 'Love it.',
      media: [{ type: 'video', url: 'https://cdn.example.com/v.mp4' }],
    });
    const { reviewId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, e, clock.now));
    expect(await actOnUgc(deps, { reviewId, actor: 'U0AGENT01', command: 'granted' })).toMatchObject({ changed: false });
    expect(await actOnUgc(deps, { reviewId, actor: 'U0AGENT01', command: 'request' })).toEqual({ changed: true });
    expect(await actOnUgc(deps, { reviewId, actor: 'U0AGENT02', command: 'declined' })).toEqual({ changed: true });
    const [r] = await t.database.db.select().from(reviews).where(eq(reviews.id, reviewId));
    expect(r).toMatchObject({ ugcConsent: 'declined', ugcConsentBy: 'U0AGENT02', ugcConsentAt: clock.now });
    const audit = (await t.database.db.select().from(caseEvents))
      .filter((ev) => ev.data.reviewId === reviewId)
      .map((ev) => [ev.actor, ev.action]);
    expect(audit).toEqual([
      ['generic', 'ugc_candidate'],
      ['U0AGENT01', 'ugc_consent_requested'],
      ['U0AGENT02', 'ugc_consent_declined'],
    ]);
    await expect(actOnUgc(deps, { reviewId, actor: 'U0STRANGER', command: 'request' })).rejects.toThrow(/not on the support team/);
  });

  test('response versions count up and an earlier pending draft is superseded', async () => {
    const { caseId, reviewId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, reviewEvent(), clock.now));
    const base = {
      caseId: caseId!,
      reviewId,
      acknowledge: 'Sorry',
      actions: ['refund'],
      officialChannel: 'help@x',
      causeTag: 'quality',
      body: 'Sorry…',
      draftedBy: 'U0AGENT01',
      draftedAt: clock.now,
    };
    const v1 = await t.database.db.transaction((tx) => insertResponseVersion(tx, base));
    const v2 = await t.database.db.transaction((tx) => insertResponseVersion(tx, { ...base, acknowledge: 'Sorry again' }));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await latestResponse(t.database.db, { caseId: caseId! }))!.id).toBe(v2.id);
    const statuses = await queryRows<{ version: number; status: string }>(
      t.database.db,
      sql`select version, status from review_responses where case_id = ${caseId} order by version`,
    );
    expect(statuses.map((s) => [Number(s.version), s.status])).toEqual([
      [1, 'superseded'],
      [2, 'pending'],
    ]);
  });
});

describe('related cases', () => {
  test('match by email without regard to case, and by order reference with or without #', async () => {
    const mk = (externalId: string, email: string | null, orderId: string | null) =>
      insertCase(t.database.db, {
        kind: 'ticket',
        source: 'email',
        externalId,
        subject: externalId,
        body: 'b',
        customerEmail: email,
        orderId,
        priority: 'normal',
        channelId: 'C0EMAIL01',
        receivedAt: new Date('2027-03-01T00:00:00Z'),
        actor: 'api',
      });
    const a = await mk('rel-a', 'ola@example.com', null);
    const b = await mk('rel-b', null, '#7001');
    await mk('rel-c', 'someone@example.com', '7002');
    const found = await relatedCases(t.database.db, { email: 'OLA@example.com', orderRef: '7001' });
    expect(found.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(await relatedCases(t.database.db, { excludeCaseId: a.id, email: 'ola@example.com' })).toEqual([]);
    expect(await relatedCases(t.database.db, {})).toEqual([]);
  });
});

describe('dispute service and deadline job', () => {
  test('a dispute is one case; updates move it; closure resolves it; a late update after closure changes nothing', async () => {
    const created = disputeEvent();
    const first = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, created, clock.now));
    expect(first).toMatchObject({ created: true, changed: true });
    const [c] = await t.database.db.select().from(cases).where(eq(cases.id, first.caseId!));
    expect(c).toMatchObject({
      kind: 'dispute',
      channelId: 'C0DISPUTE',
      priority: 'urgent',
      tags: ['chargeback'],
      status: 'new',
      escalationReason: 'Needs a human: Payment dispute opened',
    });

    const review = { ...created, eventId: 'x', action: 'updated' as const, status: 'under_review', state: 'under_review' as const };
    const second = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, review, clock.now));
    expect(second).toMatchObject({ caseId: first.caseId, created: false, changed: true });
    // Under review → needs response again is a real move (the provider asks for more), not a stale one.
    const again = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, { ...created, eventId: 'y' }, clock.now));
    expect(again.changed).toBe(true);
    const lost = { ...created, eventId: 'z', action: 'closed' as const, status: 'lost', state: 'lost' as const };
    await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, lost, clock.now));
    const late = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, { ...review, eventId: 'late' }, clock.now));
    expect(late.changed).toBe(false);
    const [d] = await t.database.db.select().from(disputes).where(eq(disputes.id, first.disputeId));
    expect(d).toMatchObject({ state: 'lost', outcome: 'lost', closedAt: clock.now });
    const [closed] = await t.database.db.select().from(cases).where(eq(cases.id, first.caseId!));
    expect(closed).toMatchObject({ status: 'resolved', resolvedAt: clock.now });
  });

  test('with the chargeback rule switched off, a dispute arrives at high priority and is not announced', async () => {
    const quiet = testDeps(t.database.db, reviewsConfig({ judgement: { rules: { chargeback: false } } }), clock);
    const { caseId } = await t.database.db.transaction((tx) => applyDisputeEvent(tx, quiet, disputeEvent(), clock.now));
    const [c] = await t.database.db.select().from(cases).where(eq(cases.id, caseId!));
    expect(c).toMatchObject({ priority: 'high', escalatedAt: null, mustEscalateAt: null });
    expect(await outboxOf(caseId!)).toEqual(['card_post']);
  });

  test('the deadline job looks only at disputes whose next rung is due, not at every open dispute on every tick', async () => {
    const start = new Date('2028-01-10T00:00:00Z');
    const due = new Date('2028-01-15T00:00:00Z'); // 72 h rung: 01-12 00:00, 24 h: 01-14 00:00, 6 h: 01-14 18:00
    const { disputeId, caseId } = await t.database.db.transaction((tx) =>
      applyDisputeEvent(tx, deps, disputeEvent({ respondBy: due }), start),
    );
    const answered = await t.database.db.transaction((tx) =>
      applyDisputeEvent(tx, deps, disputeEvent({ respondBy: due, status: 'under_review', state: 'under_review' }), start),
    );
    const candidates = async (now: Date) =>
      (await listDeadlineCandidates(t.database.db, { now }))
        .map((c) => c.disputeId)
        .filter((id) => id === disputeId || id === answered.disputeId);
    // New: looked at once, which finds nothing due yet and notes the 72 h rung as the next look.
    expect(await candidates(start)).toEqual([disputeId]);
    await t.database.db.transaction((tx) => sendDisputeReminders(tx, deps, start));
    expect(await candidates(start)).toEqual([]);
    expect(await candidates(new Date('2028-01-11T23:59:00Z'))).toEqual([]);
    const rung72 = new Date('2028-01-12T00:00:00Z');
    expect(await candidates(rung72)).toEqual([disputeId]);
    await t.database.db.transaction((tx) => sendDisputeReminders(tx, deps, rung72));
    // Sent, and nothing more to look at until the 24 h rung.
    expect(await candidates(new Date('2028-01-13T23:59:00Z'))).toEqual([]);
    expect(await candidates(new Date('2028-01-14T00:00:00Z'))).toEqual([disputeId]);
    const levels = await queryRows<{ level: string }>(t.database.db, sql`select level from case_reminders where case_id = ${caseId}`);
    expect(levels.map((l) => l.level)).toEqual(['due_in_72h']);
  });

  test('a dispute arriving 20 h before its deadline gets the 24 h reminder once, not the 72 h one too', async () => {
    const arrival = new Date('2027-04-01T04:00:00Z');
    const due = new Date('2027-04-02T00:00:00Z');
    const { caseId } = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, disputeEvent({ respondBy: due }), arrival));
    const sent = await t.database.db.transaction((tx) => sendDisputeReminders(tx, deps, arrival));
    expect(sent).toBeGreaterThanOrEqual(1);
    const levels = await queryRows<{ level: string; superseded: boolean }>(
      t.database.db,
      sql`select level, superseded from case_reminders where case_id = ${caseId} order by level`,
    );
    expect(levels.map((l) => [l.level, l.superseded])).toEqual([['due_in_24h', false]]);
    expect(await t.database.db.transaction((tx) => sendDisputeReminders(tx, deps, arrival))).toBe(0);
    const threadPosts = (await t.database.db.select().from(outbox).where(eq(outbox.caseId, caseId!))).filter(
      (r) => r.kind === 'thread_post',
    );
    expect(threadPosts).toHaveLength(1);
  });
});

describe('SLA bookkeeping on review and dispute cases', () => {
  const at = (iso: string) => new Date(iso);
  const caseOf = async (id: number) => (await t.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;
  const apply = (e: DisputeEvent, now: Date) => t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, e, now));

  test('a provider closing a dispute records the resolution; moving on to pre-arbitration records the reopen', async () => {
    const created = disputeEvent();
    const t0 = at('2027-03-16T08:00:00Z');
    const { caseId } = await apply(created, t0);
    const t1 = at('2027-03-20T12:00:00Z');
    await apply({ ...created, eventId: `${created.eventId}-won`, action: 'closed', status: 'won', state: 'won' }, t1);
    expect(await caseOf(caseId!)).toMatchObject({
      status: 'resolved',
      resolvedAt: t1,
      slaResolutions: [{ resolvedAt: '2027-03-20T12:00:00.000Z', reopenedAt: null }],
      // Resolved, it has no clock left running: the sweep has nothing to look at.
      slaCheckAt: null,
    });
    const t2 = at('2027-04-02T09:00:00Z');
    await apply({ ...created, eventId: `${created.eventId}-pa`, action: 'updated', stage: 'pre_arbitration' }, t2);
    expect(await caseOf(caseId!)).toMatchObject({
      status: 'new',
      resolvedAt: null,
      slaResolutions: [{ resolvedAt: '2027-03-20T12:00:00.000Z', reopenedAt: '2027-04-02T09:00:00.000Z' }],
      slaCheckAt: t2,
    });
  });

  test('a dispute is tagged as a chargeback only, whatever its reason: never as a customer question', async () => {
    const t0 = at('2027-03-16T08:00:00Z');
    const fraud = await apply(disputeEvent(), t0);
    const notReceived = await apply(
      disputeEvent({ reasonCode: 'product_not_received', reasonText: 'Customer says the item never arrived and asks for a refund' }),
      t0,
    );
    for (const { caseId } of [fraud, notReceived]) {
      expect(await caseOf(caseId!)).toMatchObject({ tags: ['chargeback'], suggestedTags: ['chargeback'] });
    }
  });

  test('a dispute that arrives already closed is recorded as resolved for the clocks', async () => {
    const t0 = at('2027-03-16T08:00:00Z');
    const { caseId } = await apply(disputeEvent({ action: 'closed', status: 'lost', state: 'lost' }), t0);
    expect(await caseOf(caseId!)).toMatchObject({
      status: 'resolved',
      slaResolutions: [{ resolvedAt: '2027-03-16T08:00:00.000Z', reopenedAt: null }],
    });
  });

  test('evidence submitted is the agent response of a dispute case', async () => {
    const t0 = at('2027-03-16T08:00:00Z');
    const { caseId } = await apply(disputeEvent(), t0);
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseAt: null, lastAgentReplyAt: null });
    clock.now = at('2027-03-16T09:30:00Z');
    expect(await markEvidenceSubmitted(deps, { caseId: caseId!, actor: PEOPLE.agent })).toEqual({ changed: true });
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseAt: clock.now, lastAgentReplyAt: clock.now, slaCheckAt: clock.now });
  });

  test('the provider saying the dispute was answered (under review) is the agent response too', async () => {
    const created = disputeEvent();
    const { caseId } = await apply(created, at('2027-03-16T08:00:00Z'));
    const t1 = at('2027-03-17T10:00:00Z');
    await apply({ ...created, eventId: `${created.eventId}-ur`, action: 'updated', status: 'under_review', state: 'under_review' }, t1);
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseAt: t1, lastAgentReplyAt: t1 });
  });

  test("a review case's clocks stop when a second person approves the drafted response, not at the draft", async () => {
    clock.now = at('2027-03-16T08:00:00Z');
    const { caseId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, reviewEvent(), clock.now));
    clock.now = at('2027-03-16T09:00:00Z');
    const draft = await saveDraft(deps, {
      caseId: caseId!,
      actor: PEOPLE.agent,
      draft: {
        acknowledge: 'Sorry the handle broke.',
        actions: ['replacement'],
        officialChannel: 'support@example.com',
        causeTag: 'quality',
        improvements: [],
      },
    });
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseAt: null, lastAgentReplyAt: null });
    clock.now = at('2027-03-16T09:20:00Z');
    expect(await approveDraft(deps, { caseId: caseId!, responseId: draft.id, actor: PEOPLE.agent2 })).toEqual({ changed: true });
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseAt: clock.now, lastAgentReplyAt: clock.now, slaCheckAt: clock.now });
  });
});

describe('the drafted response to a review', () => {
  test('a German review gets a German draft that names what the reviewer reported', async () => {
    const e = reviewEvent({
      title: 'Enttäuscht',
      body: 'Schöne Farbe. Aber der Henkel ist nach einer Woche abgebrochen, einfach so beim Spülen.',
      reviewer: { name: 'Jonas Berger', email: 'jonas@example.com' },
      language: 'de',
    });
    const { caseId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, e, clock.now));
    const form = await prepareDraft(deps, { caseId: caseId!, actor: PEOPLE.agent });
    expect(form.suggestedAcknowledgement).toBe(
      'Hallo Jonas, danke, dass Sie uns das geschrieben haben. Es tut uns leid, was mit dem Produkt „Stoneware Mug“ passiert ist. ' +
        'Sie schreiben „Aber der Henkel ist nach einer Woche abgebrochen, einfach so beim Spülen“: So soll es bei uns nicht sein.',
    );
    const draft = await saveDraft(deps, {
      caseId: caseId!,
      actor: PEOPLE.agent,
      draft: {
        acknowledge: form.suggestedAcknowledgement,
        actions: ['replacement'],
        officialChannel: 'hilfe@example.com',
        causeTag: 'quality',
        improvements: [],
      },
    });
    expect(draft.body).toBe(
      `${form.suggestedAcknowledgement}\n\nWir schicken Ihnen Ersatz.\n\nSchreiben Sie uns bitte an hilfe@example.com, dann klären wir das direkt mit Ihnen.`,
    );
  });
});

describe('out-of-order provider updates', () => {
  const apply = (e: DisputeEvent) => t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, e, clock.now));

  test('an older dispute update arriving after a newer one changes nothing', async () => {
    const created = disputeEvent({ occurredAt: new Date('2027-03-15T09:30:00Z') });
    const { disputeId } = await apply(created);
    const newer = {
      ...created,
      eventId: `${created.eventId}-2`,
      action: 'updated' as const,
      status: 'under_review',
      state: 'under_review' as const,
      occurredAt: new Date('2027-03-16T12:00:00Z'),
    };
    expect((await apply(newer)).changed).toBe(true);
    // Sent at 11:00, before the 12:00 one, but delivered after it: the dispute asked for a response then.
    const older = {
      ...created,
      eventId: `${created.eventId}-1`,
      action: 'updated' as const,
      amount: '39.99',
      occurredAt: new Date('2027-03-16T11:00:00Z'),
    };
    expect(await apply(older)).toMatchObject({ disputeId, changed: false });
    const [d] = await t.database.db.select().from(disputes).where(eq(disputes.id, disputeId));
    expect(d).toMatchObject({ state: 'under_review', status: 'under_review', amount: '49.99' });
    expect(d!.providerUpdatedAt).toEqual(new Date('2027-03-16T12:00:00Z'));
    // Two updates within one second (Stripe's created is in seconds) are both applied.
    const same = { ...newer, eventId: `${created.eventId}-3`, status: 'needs_response', state: 'needs_response' as const };
    expect((await apply(same)).changed).toBe(true);
  });

  test('an older dispute update after the close does not reopen or regress it', async () => {
    const created = disputeEvent({ occurredAt: new Date('2027-03-15T09:30:00Z') });
    const { disputeId, caseId } = await apply(created);
    await apply({ ...created, eventId: 'c', action: 'closed', status: 'won', state: 'won', occurredAt: new Date('2027-03-20T00:00:00Z') });
    // An older pre-arbitration notice would otherwise reopen a won dispute.
    const older = {
      ...created,
      eventId: 'o',
      action: 'updated' as const,
      stage: 'pre_arbitration' as const,
      occurredAt: new Date('2027-03-19T00:00:00Z'),
    };
    expect((await apply(older)).changed).toBe(false);
    const [d] = await t.database.db.select().from(disputes).where(eq(disputes.id, disputeId));
    expect(d).toMatchObject({ stage: 'chargeback', state: 'won', outcome: 'won' });
    const [c] = await t.database.db.select().from(cases).where(eq(cases.id, caseId!));
    expect(c!.status).toBe('resolved');
  });

  test('an older review edit arriving after a newer one does not bring the old text back', async () => {
    const first = reviewEvent({ rating: 2, body: 'Zip broke.', occurredAt: new Date('2027-03-15T09:00:00Z') });
    const { reviewId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, first, clock.now));
    const newer = {
      ...first,
      eventId: `${first.eventId}-b`,
      action: 'updated' as const,
      rating: 4,
      body: 'They replaced it, thanks.',
      occurredAt: new Date('2027-03-17T09:00:00Z'),
    };
    const older = {
      ...first,
      eventId: `${first.eventId}-a`,
      action: 'updated' as const,
      rating: 1,
      body: 'Still waiting!',
      occurredAt: new Date('2027-03-16T09:00:00Z'),
    };
    await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, newer, clock.now));
    await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, older, clock.now));
    const [r] = await t.database.db.select().from(reviews).where(eq(reviews.id, reviewId));
    expect(r).toMatchObject({ rating: 4, body: 'They replaced it, thanks.', providerUpdatedAt: new Date('2027-03-17T09:00:00Z') });
  });
});

describe('/trustloop sla in the reviews and disputes channels', () => {
  test('staff see that channel and their own cases; managers every channel', async () => {
    const report = async (userId: string, channelId: string) =>
      renderSlaReport(await slaReport(deps, { userId, channelId, teamUrl: null }));
    for (const channel of ['C0DISPUTE', 'C0REVIEWS']) {
      expect((await report(PEOPLE.agent, channel)).text).toContain(`in <#${channel}> and on cases you own`);
    }
    expect((await report(PEOPLE.manager, 'C0DISPUTE')).text).toContain('in every channel');
    expect((await report(PEOPLE.agent, 'C0RANDOM01')).text).toContain(
      'on cases you own (run it in a support channel to see that channel too)',
    );
  });
});

describe('evidence checklist', () => {
  test('saving the same ticks and notes again changes nothing and posts nothing', async () => {
    const { caseId } = await t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, disputeEvent(), clock.now));
    const form = {
      caseId: caseId!,
      actor: PEOPLE.agent,
      checked: ['shipping_proof', 'policy'],
      notes: { shipping_proof: 'UPS 1Z999AA10123456784', policy: 'Terms accepted at checkout' },
    };
    expect(await saveEvidence(deps, form)).toEqual({ changed: true });
    const posts = (await outboxOf(caseId!)).length;
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect(await saveEvidence(deps, form)).toEqual({ changed: false, notice: 'The evidence checklist is unchanged.' });
    expect(
      await saveEvidence(deps, {
        ...form,
        actor: PEOPLE.agent2,
        notes: { shipping_proof: ' UPS 1Z999AA10123456784 ', policy: 'Terms accepted at checkout', communication: '' },
      }),
    ).toEqual({
      changed: false,
      notice: 'The evidence checklist is unchanged.',
    });
    expect((await outboxOf(caseId!)).length).toBe(posts);
  });
});

describe.skipIf(!hasServer)('quality clusters under concurrency (needs TEST_DATABASE_URL)', () => {
  test('six bad reviews of one product delivered at once raise one alert', async () => {
    const product = { title: 'Enamel Teapot', sku: 'POT-9' };
    const events = Array.from({ length: 6 }, () => reviewEvent({ product, body: 'The enamel chipped straight away.' }));
    await Promise.all(events.map((e) => receiveEvents(deps, { provider: 'generic', events: [e], headers: {} })));
    const alerts = (await t.database.db.select().from(clusterAlerts)).filter((a) => a.productLabel === 'Enamel Teapot');
    expect(alerts).toHaveLength(1);
    const queued = (await t.database.db.select().from(outbox)).filter(
      (r) => r.kind === 'cluster_alert' && (r.payload as { alertId: number }).alertId === alerts[0]!.id,
    );
    expect(queued).toHaveLength(1);
    const grown = (await t.database.db.select().from(outbox)).filter(
      (r) => r.kind === 'cluster_followup' && (r.payload as { alertId: number }).alertId === alerts[0]!.id,
    );
    // The alert's cases grew to all six; each later case was reported once in its thread.
    const followed = grown.flatMap((r) => (r.payload as { caseIds: number[] }).caseIds);
    expect(new Set(alerts[0]!.caseIds).size).toBe(6);
    expect(followed).toHaveLength(3);
    expect(new Set([...alerts[0]!.caseIds.slice(0, 3), ...followed]).size).toBe(6);
  });
});
