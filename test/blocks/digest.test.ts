import { describe, expect, test } from 'vitest';
import { buildDigest, loopLine, MAIN_LOOP, MAIN_REPEATED, previewDetails } from '../../blocks/digest';
import { decodeFixRequest, DIGEST } from '../../src/slack/ids';
import { DEFAULT_FIX_TARGETS } from '../../src/config/digest';
import type { DigestModel } from '../../src/domain/digest';
import { blockProblems } from '../../src/sandbox/slack/block-limits';

// The digest fits Slack whatever the week held and whatever customers wrote: every message within
// Slack's block and text limits, customer text escaped, the overflow in the thread.

const hostile = '<!channel> & <@U0BOSS01> ' + 'very long words '.repeat(300);

function extremeModel(): DigestModel {
  const n = (i: number) => `tag_${String(i).padStart(3, '0')}`;
  const tagLines = Array.from({ length: 100 }, (_, i) => ({
    tag: n(i),
    label: `Label ${i} ${'x'.repeat(60)}`,
    group: 'pre_sales' as const,
    current: 500 - i,
    previous: 3,
  }));
  return {
    storeName: hostile,
    timezone: 'Europe/Berlin',
    weekStart: '2026-11-16',
    label: 'week of 16 Nov 2026',
    periodStart: '2026-11-15T23:00:00.000Z',
    periodEnd: '2026-11-22T23:00:00.000Z',
    empty: false,
    headline: [
      { key: 'cases', label: 'Cases', current: 12345, previous: 12000, format: 'count', higherIsBetter: false },
      {
        key: 'first_response',
        label: 'First response (median)',
        current: 3_600_000,
        previous: null,
        format: 'duration',
        higherIsBetter: false,
      },
    ],
    topTags: tagLines.slice(0, 10),
    preSales: tagLines,
    selfService: 40,
    repeated: tagLines.map((l) => ({ ...l, threshold: 20, product: { key: `name:${hostile}`.slice(0, 500), label: hostile, count: 400 } })),
    reviews: {
      total: 900,
      negative: 800,
      leads: { total: 3, byReason: { kol: 2, bulk_purchase: 1, [hostile.slice(0, 50)]: 1 } },
      themes: Array.from({ length: 60 }, (_, i) => ({
        theme: n(i),
        label: `Theme ${i}`,
        count: 10,
        quotes: [
          { body: hostile, rating: 1, productTitle: hostile },
          { body: 'Short & <b>bold</b>', rating: 2, productTitle: null },
        ],
      })),
    },
    returns: tagLines.map((l) => ({ reason: l.tag, label: l.label, count: 5 })),
    reviewCauses: [{ cause: 'damaged', label: 'Damaged', responses: 3, page: 1, product: 0, supplier: 2 }],
    disputes: {
      opened: 4,
      dueSoon: 2,
      won: 1,
      lost: 0,
      atRisk: [{ currency: 'EUR', amount: '1234.50', count: 3 }],
      byReason: Array.from({ length: 20 }, (_, i) => ({ code: `${hostile.slice(0, 200)}${i}`, label: hostile, count: 1 })),
    },
    logistics: Array.from({ length: 200 }, (_, i) => ({
      country: `C${i}`,
      carrier: hostile.slice(0, 300),
      count: 7,
      tags: [{ tag: 'shipping_delay', label: 'Shipping delay', count: 7 }],
    })),
    sla: [{ channel: 'email', cases: 100, withinSla: 0.5 }],
    loop: Array.from({ length: 30 }, (_, i) => ({
      fixId: i + 1,
      tag: 'sizing',
      label: 'Sizing',
      productLabel: hostile,
      target: 'faq',
      ownerId: 'U0OWNER01',
      doneOn: '2026-03-03',
      before: 24,
      since: 9,
      fell: true,
    })),
    chart: { weeks: [], series: [] },
  };
}

describe('digest blocks', () => {
  test('an extreme week: every message within limits, overflow in the thread, nothing pings anyone', () => {
    const { main, thread } = buildDigest(extremeModel(), { fixTargets: DEFAULT_FIX_TARGETS });
    expect(blockProblems(main.blocks, 'message')).toEqual([]);
    expect(thread.length).toBeGreaterThan(1);
    for (const m of thread) expect(blockProblems(m.blocks, 'message')).toEqual([]);
    const repeatIds = (blocks: any[]) => blocks.filter((b) => b.block_id?.startsWith(DIGEST.block.repeatPrefix)).length;
    expect(repeatIds(main.blocks)).toBe(MAIN_REPEATED);
    expect(thread.reduce((s, m) => s + repeatIds(m.blocks), 0)).toBe(100 - MAIN_REPEATED);
    // What Slack renders (button values are data, never shown).
    const everything = JSON.stringify([main, thread], (key, v) => (key === 'value' ? undefined : v));
    expect(everything).not.toContain('<!channel>');
    expect(everything).not.toContain('<@U0BOSS01>');
    expect(everything).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS01&gt;');
    // Quotes are cut with an ellipsis, never rewritten.
    expect(everything).toContain('>&lt;!channel&gt; &amp; &lt;@U0BOSS01&gt; very long words very long words');
    expect(everything).toContain('>Short &amp; &lt;b&gt;bold&lt;/b&gt;');
    const loop = main.blocks.find((b) => b.block_id === DIGEST.block.loop) as any;
    expect(loop.text.text.split('\n')).toHaveLength(1 + MAIN_LOOP);
  });

  test('the Create fix button carries the whole product key, however long; only the label is cut', () => {
    const key = `name:${'é'.repeat(500)}`;
    const model = extremeModel();
    model.repeated = [{ ...model.repeated[0]!, product: { key, label: hostile, count: 400 } }];
    const { main } = buildDigest(model, { fixTargets: DEFAULT_FIX_TARGETS });
    expect(blockProblems(main.blocks, 'message')).toEqual([]);
    const button = (main.blocks.find((b) => b.block_id === `${DIGEST.block.repeatPrefix}${model.repeated[0]!.tag}`) as any).accessory;
    const request = decodeFixRequest(button.value);
    expect(request.p).toBe(key);
    expect(request.l).toBe(hostile.slice(0, 300));
  });

  test('a preview shows what fits and says how many detail messages only publishing shows', () => {
    const thread = buildDigest(extremeModel(), { fixTargets: DEFAULT_FIX_TARGETS }).thread;
    expect(thread.length).toBeGreaterThan(4);
    const shown = previewDetails(thread, 4);
    expect(shown.slice(0, 3)).toEqual(thread.slice(0, 3));
    expect(shown).toHaveLength(4);
    expect(shown[3]!.text).toBe(`…and ${thread.length - 3} more detail messages; publish to see them all.`);
    expect(blockProblems(shown[3]!.blocks, 'message')).toEqual([]);
    expect(previewDetails(thread.slice(0, 4), 4)).toEqual(thread.slice(0, 4));
  });

  test('headline shares and averages come with what they are computed from, each figure in one format', () => {
    const model = {
      ...extremeModel(),
      headline: [
        {
          key: 'fcr' as const,
          label: 'First contact resolution',
          current: 0,
          previous: null,
          format: 'percent' as const,
          higherIsBetter: true,
          basis: { part: 0, whole: 1, noun: 'resolved' },
        },
        { key: 'csat' as const, label: 'CSAT', current: 4.25, previous: 4, format: 'score' as const, higherIsBetter: true, basis: { whole: 12, noun: 'rating' } },
        { key: 'rating' as const, label: 'Average review rating', current: 2.75, previous: 4, format: 'stars' as const, higherIsBetter: true, basis: { whole: 1, noun: 'review' } },
      ],
    };
    const { main } = buildDigest(model, { fixTargets: DEFAULT_FIX_TARGETS });
    const headline = main.blocks.find((b) => b.block_id === DIGEST.block.headline) as { fields: { text: string }[] };
    expect(headline.fields.map((f) => f.text)).toEqual([
      '*First contact resolution*\n0% (0 of 1 resolved)',
      '*CSAT*\n4.3 / 5 (12 ratings) :large_green_circle: ↑ from 4.0 / 5',
      '*Average review rating*\n2.8 ★ (1 review) :red_circle: ↓ from 4.0 ★',
    ]);
  });

  test('a loop line reads like the brief', () => {
    const line = loopLine(
      {
        fixId: 1,
        tag: 'sizing',
        label: 'Sizing',
        productLabel: 'Linen Shirt',
        target: 'product_page',
        ownerId: 'U0OWNER01',
        doneOn: '2027-03-03',
        before: 24,
        since: 9,
        fell: true,
      },
      DEFAULT_FIX_TARGETS,
    );
    expect(line).toBe(':white_check_mark: Sizing questions on Linen Shirt: 24 → 9 since the product page changed on 3 Mar · <@U0OWNER01>');
  });
});
