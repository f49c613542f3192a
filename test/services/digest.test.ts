import { renderDigest } from '../../blocks/digest';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cases, digests, disputes, fixItems, type NewCase, outbox, reviews } from '../../src/db/schema';
import type { DigestModel } from '../../src/domain/digest';
import { weekOf } from '../../src/domain/period';
import { computeDigest, publishDueDigest, publishWeek, scheduleDueSince } from '../../src/services/digest';
import { DIGEST } from '../../src/slack/ids';
import { blockProblems } from '../../src/sandbox/slack/block-limits';
import { createTestDatabase, hasServer, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';
import pino from 'pino';

// The digest on a seeded history whose every figure is worked out by hand below. The store is in
// Berlin (UTC+1 in November): the digest's week is Monday 16 Nov 00:00 to Monday 23 Nov 00:00
// Berlin time, i.e. 15 Nov 23:00Z to 22 Nov 23:00Z; the week before starts 8 Nov 23:00Z.
//
// This week (38 cases):
//   A 20 × sizing, Linen Shirt, email                      B 4 × sizing, Wrap Dress (sku DR-01), live chat
//   C 5 × delivery_time, email, first reply 1h (within)   D 4 × shipping_delay, DE/DHL, email, first reply 5h (missed)
//   E 2 × shipping_delay + damaged, FR/UPS                 F 2 × refund + quality, Sun 22 Nov 20:00 Berlin (19:00Z)
//   G 1 × return_request, Mon 16 Nov 00:30 Berlin (15 Nov 23:30Z: in this week, though the UTC date is the 15th)
// The week before (22 cases):
//   H 1 × sizing, Sun 15 Nov 23:30 Berlin (22:30Z)          I 11 × sizing, Linen Shirt, Tue 10 Nov
//   J 10 × delivery_time, Wed 11 Nov, first reply 2h
// Tag counts this week (before): sizing 24 (12), shipping_delay 6 (0), delivery_time 5 (10), damaged 2,
// quality 2, refund 2, return_request 1.

let t: TestDatabase;
const config = testConfig({ digest: { thresholds: { delivery_time: 5 } } });
const week = weekOf('2026-11-16', 'Europe/Berlin');
const H = 3_600_000;
const at = (iso: string) => new Date(iso);
let seq = 0;

async function addCases(n: number, c: Partial<NewCase>): Promise<void> {
  const rows = Array.from({ length: n }, () => ({
    kind: 'ticket' as const,
    source: 'email',
    externalId: `D-${++seq}`,
    subject: 'Subject',
    body: 'Body',
    priority: 'normal',
    channelId: 'C0EMAIL01',
    receivedAt: at('2026-11-17T10:00:00Z'),
    ...c,
    reportedAt: c.reportedAt ?? c.receivedAt ?? at('2026-11-17T10:00:00Z'),
  }));
  await t.database.db.insert(cases).values(rows);
}

const shirt = { orderItems: [{ name: 'Linen Shirt', quantity: 1 }], productKeys: ['name:linen shirt'] };
const dress = { orderItems: [{ sku: 'DR-01', name: 'Wrap Dress', quantity: 1 }], productKeys: ['sku:dr-01'] };

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 4 });
  const db = t.database.db;
  // This week.
  await addCases(20, { tags: ['sizing'], ...shirt });
  await addCases(4, { tags: ['sizing'], source: 'live_chat', channelId: 'C0CHAT001', receivedAt: at('2026-11-18T10:00:00Z'), ...dress });
  const c = at('2026-11-19T10:00:00Z');
  await addCases(5, {
    tags: ['delivery_time'],
    automatable: true,
    receivedAt: c,
    firstResponseAt: new Date(c.getTime() + H),
    firstResponseBusinessMs: H,
    firstResponseWithinSla: true,
  });
  const d = at('2026-11-20T10:00:00Z');
  await addCases(4, {
    tags: ['shipping_delay'],
    orderCountry: 'de',
    carrier: 'DHL',
    receivedAt: d,
    firstResponseAt: new Date(d.getTime() + 5 * H),
    firstResponseBusinessMs: 5 * H,
    firstResponseWithinSla: false,
  });
  await addCases(2, { tags: ['damaged', 'shipping_delay'], orderCountry: 'FR', carrier: 'UPS', receivedAt: at('2026-11-21T10:00:00Z') });
  await addCases(2, { tags: ['quality', 'refund'], receivedAt: at('2026-11-22T19:00:00Z') });
  await addCases(1, { tags: ['return_request'], receivedAt: at('2026-11-15T23:30:00Z') });
  // The week before.
  await addCases(1, { tags: ['sizing'], receivedAt: at('2026-11-15T22:30:00Z') });
  await addCases(11, { tags: ['sizing'], receivedAt: at('2026-11-10T10:00:00Z'), ...shirt });
  const j = at('2026-11-11T10:00:00Z');
  await addCases(10, {
    tags: ['delivery_time'],
    receivedAt: j,
    firstResponseAt: new Date(j.getTime() + 2 * H),
    firstResponseBusinessMs: 2 * H,
    firstResponseWithinSla: true,
  });
  // Reviews: four negative this week (three damaged, one with no theme), one positive; one the week before.
  let r = 0;
  const review = (rating: number, body: string, problemTags: string[], receivedAt = at('2026-11-18T12:00:00Z')) => ({
    provider: 'generic',
    externalId: `R-${++r}`,
    rating,
    body,
    productTitle: 'Linen Shirt',
    writtenAt: receivedAt,
    receivedAt,
    updatedAt: receivedAt,
    negative: rating <= 3,
    problemTags,
  });
  await db
    .insert(reviews)
    .values([
      review(1, 'Arrived crushed & torn <!channel> — the box was flat', ['damaged'], at('2026-11-17T12:00:00Z')),
      review(2, 'Box was wet and the shirt was stained', ['damaged'], at('2026-11-19T12:00:00Z')),
      review(2, 'Damaged.', ['damaged'], at('2026-11-20T12:00:00Z')),
      review(3, 'Meh.', []),
      review(5, 'Lovely shirt', []),
      review(4, 'Good', [], at('2026-11-10T12:00:00Z')),
    ]);
  // Disputes: two opened this week (one due in 2 days), one won and one lost this week.
  const dispute = (id: string, amount: string, currency: string, opened: string, extra: Record<string, unknown> = {}) => ({
    provider: 'generic',
    externalId: id,
    stage: 'chargeback',
    status: 'open',
    state: 'needs_response',
    reasonCode: 'fraudulent',
    reasonText: 'Fraudulent',
    amount,
    currency,
    openedAt: at(opened),
    createdAt: at(opened),
    updatedAt: at(opened),
    ...extra,
  });
  await db
    .insert(disputes)
    .values([
      dispute('d1', '50.00', 'EUR', '2026-11-17T09:00:00Z', { respondBy: at('2026-11-25T12:00:00Z') }),
      dispute('d3', '30.00', 'EUR', '2026-11-19T09:00:00Z', {
        respondBy: at('2026-12-10T12:00:00Z'),
        reasonCode: 'product_not_received',
        reasonText: 'Customer says the item never arrived',
      }),
      dispute('d2', '20.00', 'USD', '2026-11-10T09:00:00Z', { state: 'won', outcome: 'won', closedAt: at('2026-11-18T09:00:00Z') }),
      dispute('d4', '10.00', 'GBP', '2026-10-01T09:00:00Z', { state: 'lost', outcome: 'lost', closedAt: at('2026-11-20T09:00:00Z') }),
    ]);
  // Fixes: two done the week before (one whose question fell, one whose did not), one done this
  // week (too soon to judge) and one still open.
  const fix = (tag: string, doneAt: string | null, extra: Record<string, unknown> = {}) => ({
    tag,
    target: 'faq',
    ownerId: 'U0OWNER01',
    dueOn: '2026-11-20',
    state: doneAt ? 'done' : 'open',
    doneAt: doneAt ? at(doneAt) : null,
    createdBy: 'U0MANAGER',
    createdAt: at('2026-11-02T09:00:00Z'),
    ...extra,
  });
  await db.insert(fixItems).values([
    fix('delivery_time', '2026-11-12T10:00:00Z'),
    fix('sizing', '2026-11-12T12:00:00Z', {
      productKey: 'name:linen shirt',
      productLabel: 'Linen Shirt',
      target: 'product_page',
      ownerId: 'U0OWNER02',
    }),
    fix('shipping_delay', '2026-11-18T10:00:00Z'),
    fix('quality', null),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('the digest on a seeded history', () => {
  let model: DigestModel;
  beforeAll(async () => {
    model = await computeDigest(t.database.db, config, week);
  });

  test('headline: this week against the week before, from the period metrics', () => {
    const fig = Object.fromEntries(model.headline.map((f) => [f.key, [f.current, f.previous]]));
    expect(fig).toEqual({
      cases: [38, 22],
      // 9 replies this week (5 × 1h, 4 × 5h): median 1h; last week 10 × 2h.
      first_response: [H, 2 * H],
      resolution: [null, null],
      fcr: [null, null],
      csat: [null, null],
      // (1 + 2 + 2 + 3 + 5) / 5 = 2.6 against one 4★ review.
      rating: [2.6, 4],
    });
  });

  test('top tags and pre-sales questions with the week before', () => {
    expect(model.topTags.map((l) => [l.tag, l.current, l.previous])).toEqual([
      ['sizing', 24, 12],
      ['shipping_delay', 6, 0],
      ['delivery_time', 5, 10],
      ['damaged', 2, 0],
      ['quality', 2, 0],
      ['refund', 2, 0],
      ['return_request', 1, 0],
    ]);
    expect(model.preSales.map((l) => [l.tag, l.current, l.previous])).toEqual([
      ['sizing', 24, 12],
      ['delivery_time', 5, 10],
    ]);
    // Group C: the judgement said self-service could answer them.
    expect(model.selfService).toBe(5);
  });

  test('repeated questions over their threshold (20, or 5 for delivery time), with the product most of them were about', () => {
    expect(model.repeated.map((q) => [q.tag, q.current, q.threshold, q.product])).toEqual([
      ['sizing', 24, 20, { key: 'name:linen shirt', label: 'Linen Shirt', count: 20 }],
      ['delivery_time', 5, 5, null],
    ]);
  });

  test('negative-review themes with at most two verbatim quotes, readable ones first', () => {
    expect(model.reviews).toMatchObject({ total: 5, negative: 4 });
    expect(model.reviews.themes.map((th) => [th.theme, th.count, th.quotes.map((q) => q.body)])).toEqual([
      ['damaged', 3, ['Box was wet and the shirt was stained', 'Arrived crushed & torn <!channel> — the box was flat']],
      ['other', 1, ['Meh.']],
    ]);
  });

  test('refund and return reasons, disputes, logistics and SLA per channel', () => {
    expect(model.returns.map((r) => [r.reason, r.label, r.count])).toEqual([
      ['quality', 'Quality', 2],
      ['unspecified', 'No reason tagged', 1],
    ]);
    expect(model.disputes).toEqual({
      opened: 2,
      won: 1,
      lost: 1,
      dueSoon: 1,
      atRisk: [{ currency: 'EUR', amount: '80.00', count: 2 }],
      byReason: [
        { code: 'fraudulent', label: 'Fraudulent', count: 1 },
        { code: 'product_not_received', label: 'Customer says the item never arrived', count: 1 },
      ],
    });
    expect(model.logistics).toEqual([
      { country: 'DE', carrier: 'DHL', count: 4, tags: [{ tag: 'shipping_delay', label: 'Shipping delay', count: 4 }] },
      {
        country: 'FR',
        carrier: 'UPS',
        count: 4,
        tags: [
          { tag: 'damaged', label: 'Damaged item', count: 2 },
          { tag: 'shipping_delay', label: 'Shipping delay', count: 2 },
        ],
      },
    ]);
    // Email: 5 of 9 first replies within target over 34 cases; live chat had no reply with a target.
    expect(model.sla).toEqual([{ channel: 'email', cases: 34, withinSla: 5 / 9 }]);
  });

  test('the loop: a fix whose question fell and one whose did not; this week’s and open fixes wait', () => {
    expect(model.loop.map((l) => [l.tag, l.productLabel, l.doneOn, l.before, l.since, l.fell])).toEqual([
      // 11 Linen Shirt sizing cases on 10 Nov, 20 this week.
      ['sizing', 'Linen Shirt', '2026-11-12', 11, 20, false],
      // 10 on 11 Nov, 5 this week.
      ['delivery_time', null, '2026-11-12', 10, 5, true],
    ]);
  });

  test('the chart: the top five tags over eight weeks', () => {
    expect(model.chart.weeks).toEqual([
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    expect(model.chart.series.map((s) => [s.tag, s.counts])).toEqual([
      ['sizing', [0, 0, 0, 0, 0, 0, 12, 24]],
      ['shipping_delay', [0, 0, 0, 0, 0, 0, 0, 6]],
      ['delivery_time', [0, 0, 0, 0, 0, 0, 10, 5]],
      ['damaged', [0, 0, 0, 0, 0, 0, 0, 2]],
      ['quality', [0, 0, 0, 0, 0, 0, 0, 2]],
    ]);
  });

  test('rendered: the main message fits, escapes the customer’s words, and flags the repeated questions', () => {
    const { main, thread } = renderDigest(config, model);
    expect(blockProblems(main.blocks, 'message')).toEqual([]);
    for (const m of thread) expect(blockProblems(m.blocks, 'message')).toEqual([]);
    const byId = (id: string) => main.blocks.find((b) => b.block_id === id) as any;
    expect(byId(DIGEST.block.headline).fields.map((f: any) => f.text)).toEqual([
      '*Cases*\n38 :red_circle: ↑ from 22',
      '*First response (median)*\n1h :large_green_circle: ↓ from 2h',
      '*Resolution (median)*\nn/a',
      '*First contact resolution*\nn/a',
      '*CSAT*\nn/a',
      '*Average review rating*\n2.6 ★ (5 reviews) :red_circle: ↓ from 4.0 ★',
    ]);
    const sizing = byId(`${DIGEST.block.repeatPrefix}sizing`);
    expect(sizing.text.text).toBe(':repeat: *Sizing*: 24 this week (threshold 20, last week 12), 20 about Linen Shirt');
    expect(JSON.parse(sizing.accessory.value)).toEqual({ t: 'sizing', p: 'name:linen shirt', l: 'Linen Shirt', w: '2026-11-16', n: 24 });
    expect(byId(DIGEST.block.loop).text.text).toBe(
      '*Did the fixes work?* Cases in the 7 days before each fix was marked done → this week\n' +
        ':warning: Sizing questions on Linen Shirt: 11 → 20 since the product page changed on 12 Nov (not fallen) · <@U0OWNER02>\n' +
        ':white_check_mark: Delivery time questions: 10 → 5 since the FAQ changed on 12 Nov · <@U0OWNER01>',
    );
    const details = thread.flatMap((m) => m.blocks.map((b: any) => b.text?.text ?? '')).join('\n');
    expect(details).toContain('>Arrived crushed &amp; torn &lt;!channel&gt; — the box was flat\n_★ on Linen Shirt_');
    expect(details).toContain(
      '*Disputes* · 2 opened, 1 due in the next 7 days, 1 won, 1 lost · at risk: €80.00 (2 open)\n' +
        'By reason: Fraudulent (`fraudulent`) 1 · Customer says the item never arrived (`product_not_received`) 1',
    );
    expect(details).toContain('• FR · UPS: 4 (Damaged item 2, Shipping delay 2)');
    expect(details).toContain('• Email: 56% of first replies within target (34 cases)');
    expect(details).toContain('*Self-service could have answered* 5 of 38 cases');
  });

  test('an empty week says so plainly', async () => {
    // Before the first dispute was opened (1 Oct): nothing to report at all.
    const quiet = await computeDigest(t.database.db, config, weekOf('2026-09-21', 'Europe/Berlin'));
    expect(quiet.empty).toBe(true);
    const { main, thread } = renderDigest(config, quiet);
    expect(main.text).toBe('Voice of the customer, week of 21 Sep 2026: a quiet week, nothing arrived.');
    expect(main.blocks.map((b) => b.block_id)).toEqual([DIGEST.block.header, DIGEST.block.period, DIGEST.block.empty]);
    expect(thread).toEqual([]);
  });

  test('a dispute case never counts as a customer question, whatever tags it carries', async () => {
    const week = weekOf('2026-11-16', 'Europe/Berlin');
    const before = await computeDigest(t.database.db, config, week);
    const when = at('2026-11-18T10:00:00Z');
    await t.database.db.insert(cases).values(
      Array.from({ length: 25 }, (_, i) => ({
        kind: 'dispute' as const,
        source: 'stripe',
        externalId: `dp_tags_${i}`,
        subject: 'Chargeback: item not received',
        body: '',
        priority: 'urgent',
        channelId: 'C0DISPUTE',
        tags: ['chargeback', 'shipping_delay'],
        receivedAt: when,
        reportedAt: when,
      })),
    );
    try {
      const after = await computeDigest(t.database.db, config, week);
      expect(after.repeated).toEqual(before.repeated);
      expect(after.topTags).toEqual(before.topTags);
      expect(after.logistics).toEqual(before.logistics);
    } finally {
      await t.database.db.delete(cases).where(eq(cases.kind, 'dispute'));
    }
  });

  test('disputes count as opened in the week the provider opened them, not when Trustloop stored them', async () => {
    const db = t.database.db;
    const row = (id: string, openedAt: string, createdAt: string) => ({
      provider: 'generic',
      externalId: id,
      stage: 'chargeback',
      status: 'won',
      state: 'won',
      outcome: 'won',
      reasonCode: 'product_not_received',
      reasonText: 'Not received',
      amount: '5.00',
      currency: 'EUR',
      openedAt: at(openedAt),
      createdAt: at(createdAt),
      updatedAt: at(createdAt),
      closedAt: at('2026-09-01T09:00:00Z'),
    });
    // Week of 12 Oct: o1 and o3 opened in it but imported weeks later; o2 opened in August, imported in the week.
    await db
      .insert(disputes)
      .values([
        row('o1', '2026-10-13T09:00:00Z', '2026-11-30T09:00:00Z'),
        row('o3', '2026-10-15T09:00:00Z', '2026-11-30T09:00:00Z'),
        row('o2', '2026-08-20T09:00:00Z', '2026-10-14T09:00:00Z'),
      ]);
    try {
      const model = await computeDigest(db, config, weekOf('2026-10-12', 'Europe/Berlin'));
      expect(model.disputes.opened).toBe(2); // o1 and o3
      expect(model.disputes.won).toBe(0);
    } finally {
      await db.delete(disputes).where(inArray(disputes.externalId, ['o1', 'o2', 'o3']));
    }
  });

  test('a week when nothing arrived but a dispute is still at risk is not quiet', async () => {
    // d4 (GBP 10.00, opened 1 Oct, lost 20 Nov) was open all through the week of 5 Oct.
    const model = await computeDigest(t.database.db, config, weekOf('2026-10-05', 'Europe/Berlin'));
    expect(model.empty).toBe(false);
    expect(model.disputes).toEqual({ opened: 0, won: 0, lost: 0, dueSoon: 0, atRisk: [{ currency: 'GBP', amount: '10.00', count: 1 }], byReason: [] });
    const { main, thread } = renderDigest(config, model);
    expect(main.text).not.toContain('a quiet week');
    const details = thread.flatMap((m) => m.blocks.map((b) => (b as { text?: { text?: string } }).text?.text ?? '')).join('\n');
    expect(details).toContain('*Disputes* · 0 opened, 0 due in the next 7 days, 0 won, 0 lost · at risk: £10.00 (1 open)');
  });
});

describe('publishing', () => {
  const logger = pino({ level: 'silent' });

  test('the schedule is due from its first time after the week ended (Monday 09:00 Berlin by default)', () => {
    const end = week.end; // Monday 23 Nov 00:00 Berlin
    expect(scheduleDueSince('0 9 * * 1', 'Europe/Berlin', end, at('2026-11-23T07:59:00Z'))).toBe(false);
    expect(scheduleDueSince('0 9 * * 1', 'Europe/Berlin', end, at('2026-11-23T08:00:00Z'))).toBe(true);
    // Down at 09:00, back on Wednesday: still due (catch-up).
    expect(scheduleDueSince('0 9 * * 1', 'Europe/Berlin', end, at('2026-11-25T15:00:00Z'))).toBe(true);
  });

  test('a scheduled run publishes each due week once, oldest first, from the week of the first case', async () => {
    const db = t.database.db;
    const run = (iso: string) => db.transaction((tx) => publishDueDigest(tx, { config, logger, renderDigest }, at(iso)));
    // Monday 23 Nov 08:00 Berlin: the week of 16 Nov is not due before 09:00, but the week of the
    // first case (9 Nov, Tuesday 10 Nov) was due on 16 Nov and was never published.
    const early = await run('2026-11-23T07:00:00Z');
    expect(early.map((d) => d.weekStart)).toEqual(['2026-11-09']);
    const [first, ...more] = await run('2026-11-24T10:00:00Z');
    expect(more).toEqual([]);
    expect(first).toMatchObject({ weekStart: '2026-11-16', publishedBy: 'schedule', channel: config.channels.default });
    expect(await run('2026-11-24T10:15:00Z')).toEqual([]);
    const rows = await db
      .select()
      .from(outbox)
      .where(eq(outbox.orderKey, `digest:${first!.id}`));
    expect(rows.map((r) => r.kind)).toEqual(['digest_post', ...first!.content.thread.map(() => 'digest_thread'), 'digest_chart']);
    // Stored whole: shown again exactly as published.
    expect(first!.content.main.blocks[0]).toMatchObject({ block_id: DIGEST.block.header });
    // Down for ten schedules (23 Nov to 25 Jan): the last eight weeks go out, oldest first.
    const caught = await run('2027-02-03T10:00:00Z');
    expect(caught.map((d) => d.weekStart)).toEqual([
      '2026-12-07',
      '2026-12-14',
      '2026-12-21',
      '2026-12-28',
      '2027-01-04',
      '2027-01-11',
      '2027-01-18',
      '2027-01-25',
    ]);
    await db.delete(outbox);
    await db.delete(digests);
  });

  test.skipIf(!hasServer)(
    'two publishers at once on PostgreSQL: one digest, one delivery (skipped on PGlite: one connection)',
    async () => {
      const db = t.database.db;
      const now = at('2026-11-24T10:00:00Z');
      const results = await Promise.all([
        db.transaction((tx) => publishWeek(tx, { config, renderDigest }, { week, by: 'U0MANAGER', now })),
        db.transaction((tx) => publishWeek(tx, { config, renderDigest }, { week, by: 'schedule', now })),
      ]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0]!.digest.id).toBe(results[1]!.digest.id);
      expect(await db.select().from(digests)).toHaveLength(1);
      expect(await db.select().from(outbox).where(eq(outbox.kind, 'digest_post'))).toHaveLength(1);
    },
  );
});
