import { describe, expect, test } from 'vitest';
import { buildDisputeCard } from '../../blocks/dispute-card';
import { publicHttpsUrl, safeLink } from '../../blocks/links';
import { buildReviewCard } from '../../blocks/review-card';
import { buildDraftModal } from '../../blocks/review-response';
import { buildReviewLead, buildUgcPost } from '../../blocks/ugc';
import { evidenceLines } from '../../src/domain/disputes';
import { DEFAULT_TAGS } from '../../src/domain/tag-catalogue';
import type { Dispute, Review } from '../../src/db/schema';
import { BLOCK, REVIEW, UGC } from '../../src/slack/ids';
import { blockProblems, viewProblems } from '../../src/sandbox/slack/block-limits';
import { blockById, caseRow } from '../support/factories';

const now = new Date('2027-03-16T12:00:00Z');
const HOSTILE = '<!channel> <@U0BOSS> & <https://evil.example|click>';

/** Every mrkdwn text in the blocks (plain_text is shown literally by Slack and parses no mentions). */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
    return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
  }
  return [];
}
const pings = (blocks: unknown) => mrkdwnTexts(blocks).filter((t) => /<!channel>|<@U0BOSS>|<https:\/\/evil/.test(t));

function review(over: Partial<Review> = {}): Review {
  return {
    id: 5,
    provider: 'judgeme',
    externalId: 'r1',
    rating: 1,
    title: HOSTILE,
    body: `${HOSTILE} ${'long text '.repeat(3000)}`,
    productId: null,
    productHandle: null,
    productTitle: `*bold* ${HOSTILE}`,
    productSku: null,
    providerUpdatedAt: null,
    leadReasons: [],
    leadChannel: null,
    leadTs: null,
    verified: false,
    media: [
      { type: 'image', url: 'https://cdn.example.com/a.jpg' },
      { type: 'image', url: 'http://cdn.example.com/plain-http.jpg' },
      { type: 'image', url: 'https://localhost/internal.jpg' },
      { type: 'image', url: 'https://10.0.0.7/lan.jpg' },
      { type: 'video', url: 'https://cdn.example.com/v.mp4?a=1|b>c' },
    ],
    reviewerName: HOSTILE,
    reviewerEmail: 'x@example.com',
    orderRef: null,
    language: 'en',
    published: true,
    writtenAt: now,
    receivedAt: now,
    updatedAt: now,
    negative: true,
    problemTags: ['quality'],
    sentiment: 'negative',
    caseId: 1042,
    checklist: null,
    ugcStatus: null,
    ugcConsent: 'none',
    ugcConsentAt: null,
    ugcConsentBy: null,
    ugcScope: [],
    ugcApprovedBy: null,
    ugcApprovedAt: null,
    ugcConsentScope: [],
    ugcConsentExpiresAt: null,
    ugcConsentRequestedAt: null,
    ugcConsentVia: null,
    ugcConsentNote: null,
    ugcChannel: null,
    ugcTs: null,
    ...over,
  };
}

describe('review card', () => {
  const c = caseRow({ kind: 'review', source: 'judgeme', customerName: HOSTILE, body: review().body });
  const card = buildReviewCard(
    { c, review: review(), related: [], response: null, negativeMaxRating: 3, teamUrl: null },
    { tags: DEFAULT_TAGS, now },
  );

  test('fits Slack’s limits whatever the reviewer wrote', () => {
    expect(blockProblems(card.blocks, 'message')).toEqual([]);
    expect(card.text.length).toBeLessThanOrEqual(300);
  });

  test('reviewer text pings nobody and is cut, with the whole text one click away', () => {
    const excerpt = blockById(card.blocks, BLOCK.excerpt);
    expect(excerpt.text.text.startsWith('>&lt;!channel&gt; &lt;@U0BOSS&gt; &amp; &lt;https://evil.example|click&gt; long text')).toBe(true);
    expect(excerpt.text.text.length).toBeLessThanOrEqual(601);
    expect(excerpt.text.text.endsWith('…')).toBe(true);
    expect(excerpt.accessory.text.text).toBe('Full review');
    expect(mrkdwnTexts(card.blocks).length).toBeGreaterThan(10);
    expect(pings(card.blocks)).toEqual([]);
  });

  test('only public https photos become image blocks', () => {
    expect(card.blocks.filter((b) => b.type === 'image').map((b: any) => b.image_url)).toEqual(['https://cdn.example.com/a.jpg']);
    expect(blockById(card.blocks, REVIEW.block.videos).elements[0].text).toBe(
      '<https://cdn.example.com/v.mp4?a=1%7Cb%3Ec|▶ video 1> · 3 more photos at Judge.me',
    );
  });

  test('url helpers refuse what Slack cannot fetch or what would break a link', () => {
    expect(publicHttpsUrl('https://user:pw@cdn.example.com/a.jpg')).toBeNull();
    expect(publicHttpsUrl('https://intranet/a.jpg')).toBeNull();
    expect(publicHttpsUrl('javascript:alert(1)')).toBeNull();
    expect(safeLink('https://x.example/<a>|b', 'label <x>')).toBe('<https://x.example/&lt;a&gt;%7Cb|label &lt;x&gt;>');
  });

  test('the draft modal fits the view limits and prefills from the suggestions', () => {
    const view = buildDraftModal({
      caseId: 1042,
      review: review(),
      tags: DEFAULT_TAGS,
      previous: null,
      suggestedAcknowledgement: 'Hi, sorry.',
      suggestedCause: 'quality',
      officialChannel: 'help@x',
    });
    expect(viewProblems(view)).toEqual([]);
    expect(blockById(view.blocks, REVIEW.block.responseActions).element.initial_options.map((o: any) => o.value)).toEqual(['contact']);
  });
});

describe('review lead', () => {
  test('a creator’s positive review reaches a person: the reason in Trustloop’s words, the reviewer’s words escaped', () => {
    const r = review({ rating: 5, negative: false, leadReasons: [{ code: 'kol', label: 'KOL/creator: says 80,000 followers ≥ 10,000' }] });
    const lead = buildReviewLead(r);
    expect(blockProblems(lead.blocks, 'message')).toEqual([]);
    expect(pings(lead.blocks)).toEqual([]);
    expect(lead.blocks.find((b) => b.block_id === UGC.block.lead)).toMatchObject({
      text: { text: ':star2: *This reviewer must reach a person:* KOL/creator: says 80,000 followers ≥ 10,000' },
    });
    // On a UGC candidate the same reason rides on the one post.
    expect(JSON.stringify(buildUgcPost({ ...r, ugcStatus: 'candidate' }).blocks)).toContain('This reviewer must reach a person');
  });
});

describe('UGC post', () => {
  test('escapes the reviewer’s words and fits the limits', () => {
    const post = buildUgcPost(review({ rating: 5, negative: false, ugcStatus: 'candidate' }));
    expect(blockProblems(post.blocks, 'message')).toEqual([]);
    expect(pings(post.blocks)).toEqual([]);
    expect(mrkdwnTexts(post.blocks).join('\n')).toContain('&lt;!channel&gt;');
  });
});

describe('dispute card', () => {
  const d: Dispute = {
    id: 3,
    provider: 'generic',
    externalId: HOSTILE,
    caseId: 1042,
    customerName: HOSTILE,
    orderExternalId: HOSTILE,
    providerUpdatedAt: null,
    remindAt: null,
    stage: 'inquiry',
    status: HOSTILE,
    state: 'needs_response',
    reasonCode: HOSTILE,
    reasonText: `${HOSTILE} `.repeat(40),
    amount: '1500',
    currency: 'JPY',
    respondBy: new Date('2027-03-17T12:00:00Z'),
    respondBySetAt: now,
    respondedAt: null,
    respondedBy: null,
    orderRef: null,
    chargeRef: null,
    customerEmail: null,
    openedAt: now,
    closedAt: null,
    outcome: null,
    evidence: { policy: { checked: true, note: HOSTILE, by: 'U0AGENT01' } },
    createdAt: now,
    updatedAt: now,
  };
  const card = buildDisputeCard(
    {
      c: caseRow({ kind: 'dispute', ownerId: 'U0AGENT01' }),
      dispute: d,
      related: [],
      held: { orderCase: null, communication: [], policies: {} },
      lines: evidenceLines({}, d.evidence),
      lastExport: null,
      teamUrl: null,
    },
    { tags: DEFAULT_TAGS, now },
  );

  test('fits the limits and pings nobody whatever the provider sent', () => {
    expect(blockProblems(card.blocks, 'message')).toEqual([]);
    expect(pings(card.blocks)).toEqual([]);
    expect(blockById(card.blocks, BLOCK.header).text.text.length).toBeLessThanOrEqual(150);
  });

  test('shows the amount in the currency’s own decimals and the countdown', () => {
    const fields = blockById(card.blocks, BLOCK.fields).fields.map((f: any) => f.text);
    expect(fields[0]).toBe('*Amount*\n¥1,500');
    expect(fields[3]).toBe('*Respond by*\n<!date^1805284800^{date_short_pretty} {time}|2027-03-17 12:00 UTC>\n:alarm_clock: due in 1d');
    expect(fields[6]).toBe('*Status*\n:new: New · <@U0AGENT01>');
  });
});
