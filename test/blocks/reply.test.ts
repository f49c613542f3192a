import { describe, expect, it } from 'vitest';
import { buildComposerModal, buildConfirmModal, buildCopyModal, buildDraftPost, buildOverrideModal, buildReplyEvent, withReplyStatus } from '../../blocks/reply';
import type { ReplyDraftRow } from '../../src/db/schema';
import { blockProblems, viewProblems } from '../../src/sandbox/slack/block-limits';
import { PART_MAX } from '../../src/services/replies';
import { REPLY } from '../../src/slack/ids';
import { blockById } from '../support/factories';

const at = new Date('2027-03-10T09:00:00Z');
const draft = (over: Partial<ReplyDraftRow> = {}): ReplyDraftRow => ({
  id: 7,
  caseId: 1042,
  version: 2,
  language: 'en',
  type: 'refund',
  greeting: 'Hi Jane,',
  parts: { confirmation: 'You told us: “<!channel> *where* is my money & why”.', status: 'Your return arrived.', next: 'We will refund you within 2 days.', needs: null, contact: 'Reply to this e-mail.' },
  signoff: 'Best regards,\nSam',
  body: 'Hi Jane,\n\nYou told us: “<!channel> *where* is my money & why”.\n\nYour return arrived.\n\nWe will refund you within 2 days.\n\nReply to this e-mail.\n\nBest regards,\nSam',
  findings: [{ rule: 'refund_faster_than_policy', excerpt: 'We will refund you within 2 days.', policy: 'refunds take 5–10 business days' }],
  gaps: [],
  channel: 'email',
  target: 'jane@example.com',
  draftedBy: 'U0AGENT01',
  draftedAt: at,
  status: 'draft',
  approvedBy: null,
  approvedAt: null,
  overrideBy: null,
  overrideReason: null,
  overrideAt: null,
  escalationConfirmedBy: null,
  sentBy: null,
  sendRequestedAt: null,
  sendingSince: null,
  sentAt: null,
  externalId: null,
  lastError: null,
  ...over,
});

describe('reply blocks', () => {
  it('the draft post shows the text with Slack’s markup escaped, the findings with their rule, and the buttons a flagged draft needs', () => {
    const post = buildDraftPost({ draft: draft(), mustEscalate: false });
    expect(blockProblems(post.blocks)).toEqual([]);
    const text = blockById(post.blocks, `${REPLY.block.postTextPrefix}0`).text.text as string;
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp; why');
    expect(text).not.toContain('<!channel>');
    expect(blockById(post.blocks, REPLY.block.postFindings).text.text).toContain('*Refund faster than the policy*: “We will refund you within 2 days.” (policy: refunds take 5–10 business days)');
    expect(blockById(post.blocks, REPLY.block.postActions).elements.map((e: { action_id: string }) => e.action_id)).toEqual([
      REPLY.action.send,
      REPLY.action.approve,
      REPLY.action.override,
      REPLY.action.open,
    ]);
    const approved = buildDraftPost({ draft: draft({ approvedBy: 'U0AGENT02' }), mustEscalate: false });
    expect(blockById(approved.blocks, REPLY.block.postActions).elements.map((e: { action_id: string }) => e.action_id)).toEqual([REPLY.action.send, REPLY.action.open]);
    const copy = buildDraftPost({ draft: draft({ channel: null, findings: [] }), mustEscalate: false });
    expect(blockById(copy.blocks, REPLY.block.postActions).elements[0].text.text).toBe('Copy text');
  });

  it('stays inside Slack’s limits with every part at its longest and hostile text', () => {
    const long = (n: number) => '<@U1> *x* & '.repeat(Math.ceil(n / 12)).slice(0, n);
    const parts = { confirmation: long(PART_MAX.confirmation), status: long(PART_MAX.status), next: long(PART_MAX.next), needs: long(PART_MAX.needs), contact: long(PART_MAX.contact) };
    const body = [long(PART_MAX.greeting), ...Object.values(parts), long(PART_MAX.signoff)].join('\n\n');
    const d = draft({ parts, body, greeting: long(PART_MAX.greeting), signoff: long(PART_MAX.signoff), lastError: long(2000), overrideReason: long(500), findings: Array.from({ length: 30 }, () => ({ rule: 'arrival_date_not_ours', excerpt: long(3000), policy: long(300) })) });
    expect(blockProblems(buildDraftPost({ draft: d, mustEscalate: true }).blocks)).toEqual([]);
    for (const e of ['drafted', 'approved', 'override', 'sent', 'failed', 'copied'] as const) expect(blockProblems(buildReplyEvent(d, e, 'U1', at).blocks)).toEqual([]);
    for (const status of ['draft', 'sending', 'sent', 'failed']) {
      const card = withReplyStatus({ text: 'card', blocks: [{ type: 'actions', block_id: 'case_actions.1042', elements: [] }] as never }, { ...d, status }, 'case_actions.1042');
      expect(card.blocks[0]!.block_id).toBe(REPLY.block.cardStatus);
      expect(blockProblems(card.blocks.slice(0, 1))).toEqual([]);
    }
    const composer = buildComposerModal({ caseId: 1042, subject: long(500), draft: { language: 'en', type: 'refund', greeting: d.greeting, parts, signoff: d.signoff, gaps: ['refunds', 'contact'] }, route: { channel: 'email', available: false }, mustEscalateReason: long(3000) }, PART_MAX);
    expect(viewProblems(composer)).toEqual([]);
    expect(viewProblems(buildOverrideModal(d, 10))).toEqual([]);
    expect(viewProblems(buildConfirmModal(d, long(3000)))).toEqual([]);
    expect(viewProblems(buildCopyModal(d, 'zendesk'))).toEqual([]);
    // The copy modal holds the text exactly as stored: plain text, nothing escaped.
    expect(blockById(buildCopyModal(draft(), null).blocks, REPLY.block.copyText).element.initial_value).toBe(draft().body);
  });
});
