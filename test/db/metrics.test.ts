import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listOwnedOpen, metricRows, metricsBreakdown, periodMetrics } from '../../src/db/queries/metrics';
import { caseReminders, cases, csatResponses, type NewCase, reviews } from '../../src/db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';

// The metrics' definitions on hand-built cases, with every expected number worked out by hand
// below. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.

let t: TestDatabase;
const config = testConfig();
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const at = (iso: string) => new Date(iso);
const H = 3_600_000;
// The period: Monday 2 Nov 2026 00:00 UTC to Monday 9 Nov (exclusive).
const period = { start: at('2026-11-02T00:00:00Z'), end: at('2026-11-09T00:00:00Z') };

let seq = 0;
async function addCase(c: Partial<NewCase>): Promise<number> {
  seq++;
  const [row] = await t.database.db
    .insert(cases)
    .values({
      kind: 'ticket',
      source: 'email',
      externalId: `M-${seq}`,
      subject: 'Subject',
      body: 'Body',
      priority: 'normal',
      channelId: 'C0EMAIL01',
      receivedAt: at('2026-11-03T10:00:00Z'),
      ...c,
      // Tickets are reported when they were received unless a test says otherwise.
      reportedAt: c.reportedAt ?? c.receivedAt ?? at('2026-11-03T10:00:00Z'),
    })
    .returning({ id: cases.id });
  return row!.id;
}

describe('periodMetrics', () => {
  test('no cases: zero counts and no figures', async () => {
    expect(await periodMetrics(t.database.db, config, period)).toEqual({
      cases: 0,
      firstResponse: {
        count: 0,
        medianMs: null,
        p90Ms: null,
        businessMedianMs: null,
        businessP90Ms: null,
        withinSla: null,
        unansweredPastTarget: 0,
      },
      resolution: { count: 0, medianMs: null, p90Ms: null, businessMedianMs: null, businessP90Ms: null },
      firstContactResolution: { resolved: 0, firstContact: 0, share: null },
      csat: { responses: 0, average: null, satisfiedShare: null },
      reviews: { count: 0, averageRating: null, negativeShare: null },
    });
  });

  let a = 0;
  test('one case: its own figures are the median and the p90', async () => {
    // A: received 10:00, first reply 11:00 (1 h), resolved 12:00 (2 h), one reply, never reopened.
    a = await addCase({
      ownerId: 'U1',
      tags: ['damaged', 'shipping'],
      receivedAt: at('2026-11-03T10:00:00Z'),
      firstResponseAt: at('2026-11-03T11:00:00Z'),
      firstResponseBusinessMs: H,
      firstResponseWithinSla: true,
      status: 'resolved',
      resolvedAt: at('2026-11-03T12:00:00Z'),
      resolutionBusinessMs: 2 * H,
      agentReplyCount: 1,
    });
    const m = await periodMetrics(t.database.db, config, period);
    expect(m.cases).toBe(1);
    expect(m.firstResponse).toEqual({
      count: 1,
      medianMs: H,
      p90Ms: H,
      businessMedianMs: H,
      businessP90Ms: H,
      withinSla: 1,
      unansweredPastTarget: 0,
    });
    expect(m.resolution).toEqual({ count: 1, medianMs: 2 * H, p90Ms: 2 * H, businessMedianMs: 2 * H, businessP90Ms: 2 * H });
    expect(m.firstContactResolution).toEqual({ resolved: 1, firstContact: 1, share: 1 });
  });

  let d = 0;
  test('boundary, reopened and open cases; CSAT and reviews', async () => {
    // B: received before the period, resolved inside it (8 h wall, 1 h business, two replies).
    const b = await addCase({
      receivedAt: at('2026-11-01T22:00:00Z'),
      firstResponseAt: at('2026-11-02T02:00:00Z'),
      firstResponseBusinessMs: 0,
      firstResponseWithinSla: true,
      status: 'resolved',
      resolvedAt: at('2026-11-02T06:00:00Z'),
      resolutionBusinessMs: H,
      agentReplyCount: 2,
    });
    // C: received inside (Sunday evening), answered after the end (5 h), resolved after the end.
    await addCase({
      source: 'live_chat',
      channelId: 'C0CHAT001',
      receivedAt: at('2026-11-08T20:00:00Z'),
      firstResponseAt: at('2026-11-09T01:00:00Z'),
      firstResponseBusinessMs: 0,
      firstResponseWithinSla: true,
      status: 'resolved',
      resolvedAt: at('2026-11-10T09:00:00Z'),
      resolutionBusinessMs: 4 * H,
      agentReplyCount: 1,
    });
    // D: reopened once, finally resolved 48 h after receipt; 30 min to first reply, late by its target.
    d = await addCase({
      source: 'live_chat',
      channelId: 'C0CHAT001',
      ownerId: 'U1',
      tags: ['shipping'],
      receivedAt: at('2026-11-04T09:00:00Z'),
      firstResponseAt: at('2026-11-04T09:30:00Z'),
      firstResponseBusinessMs: H / 2,
      firstResponseWithinSla: false,
      status: 'resolved',
      resolvedAt: at('2026-11-06T09:00:00Z'),
      resolutionBusinessMs: 16 * H,
      agentReplyCount: 1,
      reopenCount: 1,
    });
    // E: open, never answered.
    await addCase({ status: 'open', receivedAt: at('2026-11-05T12:00:00Z') });
    // F: answered after 10 min, resolved and reopened: open again, so no resolution.
    await addCase({
      status: 'open',
      receivedAt: at('2026-11-03T08:00:00Z'),
      firstResponseAt: at('2026-11-03T08:10:00Z'),
      firstResponseBusinessMs: H / 6,
      firstResponseWithinSla: true,
      reopenCount: 1,
      agentReplyCount: 1,
    });
    await t.database.db.insert(csatResponses).values([
      { caseId: a, rating: 5, via: 'link', respondedAt: at('2026-11-03T13:00:00Z') },
      { caseId: d, rating: 2, via: 'api', respondedAt: at('2026-11-06T10:00:00Z') },
      // Before the period.
      { caseId: b, rating: 4, via: 'api', respondedAt: at('2026-11-01T23:00:00Z') },
    ]);
    const review = (externalId: string, rating: number, negative: boolean, receivedAt: string) => ({
      provider: 'generic',
      externalId,
      rating,
      negative,
      writtenAt: at(receivedAt),
      receivedAt: at(receivedAt),
      updatedAt: at(receivedAt),
    });
    await t.database.db
      .insert(reviews)
      .values([
        review('r1', 5, false, '2026-11-03T10:00:00Z'),
        review('r2', 1, true, '2026-11-08T23:59:59Z'),
        review('r3', 1, true, '2026-11-09T00:00:00Z'),
      ]);

    const m = await periodMetrics(t.database.db, config, period);
    // Received in the period: A, C, D, E, F.
    expect(m.cases).toBe(5);
    // First replies (wall): F 10 min, D 30 min, A 1 h, C 5 h → median (0.5 h + 1 h) / 2 = 0.75 h;
    // p90 at rank 2.7: 1 h + 0.7 × (5 h − 1 h) = 3.8 h. Business: 0, 10 min, 30 min, 1 h → median
    // 20 min; p90: 30 min + 0.7 × 30 min = 51 min. Within target: A, C, F of four = 0.75.
    expect(m.firstResponse).toEqual({
      count: 4,
      medianMs: 0.75 * H,
      p90Ms: 13_680_000,
      businessMedianMs: 20 * 60_000,
      businessP90Ms: 51 * 60_000,
      withinSla: 0.75,
      unansweredPastTarget: 0,
    });
    // Final resolution in the period: A (2 h), B (8 h), D (48 h); C after the end, E and F open.
    // Median 8 h; p90 at rank 1.8: 8 h + 0.8 × 40 h = 40 h. Business 1 h, 2 h, 16 h → median 2 h,
    // p90 2 h + 0.8 × 14 h = 13.2 h.
    expect(m.resolution).toEqual({ count: 3, medianMs: 8 * H, p90Ms: 40 * H, businessMedianMs: 2 * H, businessP90Ms: 47_520_000 });
    // Only A: B had two replies, D was reopened.
    expect(m.firstContactResolution).toEqual({ resolved: 3, firstContact: 1, share: 1 / 3 });
    expect(m.csat).toEqual({ responses: 2, average: 3.5, satisfiedShare: 0.5 });
    expect(m.reviews).toEqual({ count: 2, averageRating: 3, negativeShare: 0.5 });
  });

  test('a filter narrows every case figure; reviews are store-wide so they are left out', async () => {
    const m = await periodMetrics(t.database.db, config, { ...period, filter: { ownerId: 'U1' } });
    // A and D.
    expect(m.cases).toBe(2);
    expect(m.firstResponse.medianMs).toBe(0.75 * H);
    expect(m.resolution).toMatchObject({ count: 2, medianMs: 25 * H });
    expect(m.firstContactResolution.share).toBe(0.5);
    expect(m.csat).toEqual({ responses: 2, average: 3.5, satisfiedShare: 0.5 });
    expect(m.reviews).toBeNull();
    const chat = await periodMetrics(t.database.db, config, { ...period, filter: { source: 'live_chat', channelId: 'C0CHAT001' } });
    // C and D received; only D resolved in the period.
    expect(chat.cases).toBe(2);
    expect(chat.resolution.count).toBe(1);
    expect(chat.csat.responses).toBe(1);
  });

  test('the previous period has its own cases', async () => {
    const m = await periodMetrics(t.database.db, config, { start: at('2026-10-26T00:00:00Z'), end: period.start });
    // B was received then (and answered only on 2 Nov, still counted with its receipt).
    expect(m.cases).toBe(1);
    expect(m.firstResponse.medianMs).toBe(4 * H);
    expect(m.resolution.count).toBe(0);
    expect(m.csat.average).toBe(4);
  });
});

describe('metricsBreakdown', () => {
  test('by source', async () => {
    const rows = await metricsBreakdown(t.database.db, config, { ...period, by: 'source' });
    expect(rows).toEqual([
      {
        key: 'email',
        // A, E, F received; first replies A 1 h and F 10 min; resolved A and B.
        cases: 3,
        firstResponseMedianMs: 35 * 60_000,
        firstResponseBusinessMedianMs: 35 * 60_000,
        withinSla: 1,
        resolved: 2,
        resolutionMedianMs: 5 * H,
        resolutionBusinessMedianMs: 1.5 * H,
        firstContactShare: 0.5,
        csatResponses: 1,
        csatAverage: 5,
      },
      {
        key: 'live_chat',
        // C and D received: replies 5 h and 30 min; only D resolved in the period.
        cases: 2,
        firstResponseMedianMs: 2.75 * H,
        firstResponseBusinessMedianMs: 0.25 * H,
        withinSla: 0.5,
        resolved: 1,
        resolutionMedianMs: 48 * H,
        resolutionBusinessMedianMs: 16 * H,
        firstContactShare: 0,
        csatResponses: 1,
        csatAverage: 2,
      },
    ]);
  });

  test('by tag: a case counts under each of its tags; untagged under null', async () => {
    const rows = await metricsBreakdown(t.database.db, config, { ...period, by: 'tag' });
    expect(rows.map((r) => [r.key, r.cases, r.resolved, r.csatResponses])).toEqual([
      [null, 3, 1, 0],
      ['shipping', 2, 2, 2],
      ['damaged', 1, 1, 1],
    ]);
  });

  test('by owner', async () => {
    const rows = await metricsBreakdown(t.database.db, config, { ...period, by: 'owner' });
    expect(rows.map((r) => [r.key, r.cases, r.resolved, r.firstContactShare])).toEqual([
      [null, 3, 1, 0],
      ['U1', 2, 2, 0.5],
    ]);
  });
});

describe('review and dispute cases by source', () => {
  // A later week of its own: an email ticket, a Judge.me review case and two Stripe dispute cases.
  // Review and dispute cases keep the provider's name in `source`; the metrics call them by kind.
  const week = { start: at('2026-12-07T00:00:00Z'), end: at('2026-12-14T00:00:00Z') };
  beforeAll(async () => {
    await addCase({ receivedAt: at('2026-12-08T10:00:00Z') });
    await addCase({ kind: 'review', source: 'judgeme', channelId: 'C0REVIEWS', receivedAt: at('2026-12-08T11:00:00Z') });
    await addCase({ kind: 'dispute', source: 'stripe', channelId: 'C0DISPUTE', receivedAt: at('2026-12-08T12:00:00Z') });
    await addCase({ kind: 'dispute', source: 'stripe', channelId: 'C0DISPUTE', receivedAt: at('2026-12-09T12:00:00Z') });
  });

  test('the review and dispute filters match their cases; a ticket source only tickets', async () => {
    const count = async (source: string) => (await periodMetrics(t.database.db, config, { ...week, filter: { source } })).cases;
    expect([await count('review'), await count('dispute'), await count('email'), await count('stripe')]).toEqual([1, 2, 1, 0]);
  });

  test('by source groups them under their kind, as the export names them', async () => {
    const rows = await metricsBreakdown(t.database.db, config, { ...week, by: 'source' });
    expect(rows.map((r) => [r.key, r.cases]).sort()).toEqual([
      ['dispute', 2],
      ['email', 1],
      ['review', 1],
    ]);
    const exported = await metricRows(t.database.db, { ...week, metric: 'cases', filter: { source: 'dispute' } });
    expect(exported.map((r) => [r.kind, r.source])).toEqual([
      ['dispute', 'dispute'],
      ['dispute', 'dispute'],
    ]);
  });
});

describe('listOwnedOpen', () => {
  test('most at risk first, cases never at risk last (oldest first), resolved cases left out', async () => {
    const old = await addCase({ ownerId: 'U9', receivedAt: at('2026-10-01T10:00:00Z') });
    const late = await addCase({ ownerId: 'U9', receivedAt: at('2026-11-20T10:00:00Z'), slaRiskAt: at('2026-11-21T10:00:00Z') });
    const early = await addCase({ ownerId: 'U9', receivedAt: at('2026-11-25T10:00:00Z'), slaRiskAt: at('2026-11-20T12:00:00Z') });
    const older = await addCase({ ownerId: 'U9', receivedAt: at('2026-09-01T10:00:00Z') });
    await addCase({ ownerId: 'U9', status: 'resolved', receivedAt: at('2026-08-01T10:00:00Z'), slaRiskAt: at('2026-08-01T11:00:00Z') });
    expect((await listOwnedOpen(t.database.db, { ownerId: 'U9', limit: 10 })).map((c) => c.id)).toEqual([early, late, older, old]);
    // With a limit, the riskiest are the ones listed.
    expect((await listOwnedOpen(t.database.db, { ownerId: 'U9', limit: 2 })).map((c) => c.id)).toEqual([early, late]);
  });
});

describe('first reply within SLA counts the unanswered cases whose target passed', () => {
  // Week of 1 Feb 2027, only these cases: A replied within target, B replied late, C unanswered
  // and its breach logged by the SLA sweep, D unanswered but its target not yet reached.
  // Met: A only. Judged: A, B (replied) + C (unanswered past target) = 3. Share 1/3.
  const dec = { start: at('2027-02-01T00:00:00Z'), end: at('2027-02-08T00:00:00Z') };
  test('share 1 of 3, one unanswered past target, in the total and in the breakdown', async () => {
    const received = at('2027-02-02T09:00:00Z');
    const reply = at('2027-02-02T10:00:00Z');
    await addCase({ source: 'live_chat', receivedAt: received, firstResponseAt: reply, firstResponseWithinSla: true, agentReplyCount: 1 });
    await addCase({ source: 'live_chat', receivedAt: received, firstResponseAt: reply, firstResponseWithinSla: false, agentReplyCount: 1 });
    const c = await addCase({ source: 'live_chat', receivedAt: received });
    await addCase({ source: 'live_chat', receivedAt: received });
    const breach = { caseId: c, target: 'first_response', cycleKey: 'first', dueAt: at('2027-02-02T11:00:00Z') };
    await t.database.db.insert(caseReminders).values([
      { ...breach, level: 'warning', dueAt: at('2027-02-02T10:30:00Z') },
      { ...breach, level: 'breach' },
      // A resolution breach says nothing about the first reply.
      { ...breach, target: 'resolution', level: 'breach' },
    ]);
    const m = await periodMetrics(t.database.db, config, dec);
    expect(m.cases).toBe(4);
    expect(m.firstResponse.count).toBe(2);
    expect(m.firstResponse.unansweredPastTarget).toBe(1);
    expect(m.firstResponse.withinSla).toBeCloseTo(1 / 3, 10);
    const [chat] = await metricsBreakdown(t.database.db, config, { ...dec, by: 'source' });
    expect(chat).toMatchObject({ key: 'live_chat', cases: 4 });
    expect(chat!.withinSla).toBeCloseTo(1 / 3, 10);
  });
});
