import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { periodMetrics } from '../../src/db/queries/metrics';
import { cases, reviews } from '../../src/db/schema';
import { evaluateCaseSla } from '../../src/domain/sla-case';
import type { DisputeEvent, ReviewEvent } from '../../src/ingest/providers/types';
import { actOnCase } from '../../src/services/cases/commands';
import { applyDisputeEvent } from '../../src/services/disputes/events';
import { markEvidenceSubmitted } from '../../src/services/disputes/evidence';
import { applyReviewEvent } from '../../src/services/reviews/events';
import { approveDraft, saveDraft } from '../../src/services/reviews/response';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { PEOPLE } from '../support/harness';
import { reviewsConfig } from '../support/providers';

// Review and dispute cases change outside the helpdesk (a provider closing or reopening a dispute,
// evidence submitted, a review response approved); their metrics figures are kept as a helpdesk
// reply's or a Slack resolution's are. The SLA clock runs 24/7 here, first response target 2 h.

let t: TestDatabase;
const clock = { now: new Date('2027-03-15T10:00:00Z') };
let deps: ReturnType<typeof testDeps>;
const config = reviewsConfig({ sla: { defaults: { targets: { first_response: '2h', next_response: '2h', resolution: '48h' } } } });
beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.database.db, config, clock);
});
afterAll(async () => {
  await t?.close();
});

const M = 60_000;
const H = 60 * M;
const at = (iso: string) => new Date(iso);
const caseOf = async (id: number) => (await t.database.db.select().from(cases).where(eq(cases.id, id)))[0]!;
let seq = 0;
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
    reasonText: 'x',
    amount: '49.99',
    currency: 'USD',
    respondBy: new Date('2027-03-25T23:59:59Z'),
    createdAt: new Date('2027-03-16T08:00:00Z'),
    raw: {},
    ...over,
  };
}
function reviewEvent(): ReviewEvent {
  seq++;
  return {
    kind: 'review',
    provider: 'generic',
    eventId: `ev-${seq}`,
    action: 'created',
    externalId: `rv-${seq}`,
    rating: 1,
    title: 'Broke',
    body: 'The handle broke off.',
    product: { title: 'Mug', sku: 'MUG-1' },
    verified: true,
    media: [],
    reviewer: { name: 'Kim', email: 'kim@example.com' },
    createdAt: new Date('2027-03-16T08:00:00Z'),
    raw: {},
  };
}
const apply = (e: DisputeEvent, now: Date) => t.database.db.transaction((tx) => applyDisputeEvent(tx, deps, e, now));

describe('metrics figures on dispute and review cases', () => {
  test('evidence submitted is the first response; the provider closing the dispute is the resolution', async () => {
    const created = disputeEvent();
    const { caseId } = await apply(created, at('2027-03-16T08:00:00Z'));
    const received = (await caseOf(caseId!)).receivedAt;
    // Evidence 1 h 30 min after receipt: within the 2 h target, one agent response.
    clock.now = new Date(received.getTime() + 90 * M);
    await markEvidenceSubmitted(deps, { caseId: caseId!, actor: PEOPLE.agent });
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseBusinessMs: 90 * M, firstResponseWithinSla: true, agentReplyCount: 1 });
    // Won 4 days (96 h) after receipt.
    await apply({ ...created, eventId: 'won', action: 'closed', status: 'won', state: 'won' }, new Date(received.getTime() + 96 * H));
    expect(await caseOf(caseId!)).toMatchObject({ status: 'resolved', resolutionBusinessMs: 96 * H, agentReplyCount: 1 });
  });

  test('a dispute reopened by the provider loses its resolution figure; the final close carries the whole time', async () => {
    const created = disputeEvent();
    const { caseId } = await apply(created, at('2027-03-16T08:00:00Z'));
    const received = (await caseOf(caseId!)).receivedAt.getTime();
    await apply({ ...created, eventId: 'w1', action: 'closed', status: 'won', state: 'won' }, new Date(received + 10 * H));
    expect((await caseOf(caseId!)).resolutionBusinessMs).toBe(10 * H);
    await apply({ ...created, eventId: 'pa', action: 'updated', stage: 'pre_arbitration' }, new Date(received + 20 * H));
    expect(await caseOf(caseId!)).toMatchObject({ status: 'new', resolutionBusinessMs: null, reopenCount: 1 });
    const final: DisputeEvent = { ...created, eventId: 'pa-won', action: 'closed', status: 'won', state: 'won', stage: 'pre_arbitration' };
    await apply(final, new Date(received + 50 * H));
    expect(await caseOf(caseId!)).toMatchObject({ status: 'resolved', resolutionBusinessMs: 50 * H });
  });

  test('a dispute created already closed has its resolution figure', async () => {
    const { caseId } = await apply(disputeEvent({ status: 'won', state: 'won', action: 'closed' }), at('2027-03-16T08:00:00Z'));
    expect(await caseOf(caseId!)).toMatchObject({ status: 'resolved', resolutionBusinessMs: 0 });
  });

  test('an approved review response is the first response; a late one misses the target', async () => {
    clock.now = at('2027-03-16T08:00:00Z');
    const { caseId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, reviewEvent(), clock.now));
    const received = (await caseOf(caseId!)).receivedAt.getTime();
    clock.now = new Date(received + 2 * H);
    const draft = await saveDraft(deps, {
      caseId: caseId!,
      actor: PEOPLE.agent,
      draft: {
        acknowledge: 'Sorry.',
        actions: ['replacement'],
        officialChannel: 'support@example.com',
        causeTag: 'quality',
        improvements: [],
      },
    });
    clock.now = new Date(received + 3 * H);
    await approveDraft(deps, { caseId: caseId!, responseId: draft.id, actor: PEOPLE.agent2 });
    expect(await caseOf(caseId!)).toMatchObject({ firstResponseBusinessMs: 3 * H, firstResponseWithinSla: false, agentReplyCount: 1 });
  });
});

describe('a review delivered long after it was written', () => {
  test('its clocks start on delivery (nothing breached on arrival); reports count it in the week it was written', async () => {
    const written = at('2027-02-01T09:00:00Z');
    const delivered = at('2027-03-20T10:00:00Z');
    clock.now = delivered;
    const e = { ...reviewEvent(), createdAt: written };
    const { caseId } = await t.database.db.transaction((tx) => applyReviewEvent(tx, deps, e, delivered));
    const c = await caseOf(caseId!);
    expect(c).toMatchObject({ receivedAt: delivered, reportedAt: written });

    const sla = evaluateCaseSla(config.sla, c, delivered);
    expect(sla.state.targets.find((x) => x.target === 'first_response')).toMatchObject({ status: 'running', dueAt: at('2027-03-20T12:00:00Z') });
    expect(sla.due.filter((r) => r.target !== 'must_escalate')).toEqual([]);

    const week = (start: string, end: string) => periodMetrics(t.database.db, config, { start: at(start), end: at(end), filter: {} });
    const writtenWeek = await week('2027-02-01T00:00:00Z', '2027-02-08T00:00:00Z');
    const deliveredWeek = await week('2027-03-15T00:00:00Z', '2027-03-22T00:00:00Z');
    expect(writtenWeek.reviews?.count).toBe(1);
    expect(writtenWeek.cases).toBe(1);
    expect(deliveredWeek.reviews?.count).toBe(
      (await t.database.db.select().from(reviews)).filter((r) => r.writtenAt >= at('2027-03-15T00:00:00Z') && r.writtenAt < at('2027-03-22T00:00:00Z')).length,
    );
  });
});
