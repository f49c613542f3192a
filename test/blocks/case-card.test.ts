import { describe, expect, test } from 'vitest';
import { buildCaseCard, EXCERPT_CHARS } from '../../blocks/case-card';
import { buildEscalationPost } from '../../blocks/escalation';
import { buildEscalateModal, buildFullTextModal } from '../../blocks/modals';
import { buildEventEntry, buildMessageEntry } from '../../blocks/timeline';
import { DEFAULT_TAGS } from '../../src/domain/tag-catalogue';
import { cardActionsBlockId, ACTION, BLOCK, REPLY } from '../../src/slack/ids';
import { blockProblems, viewProblems } from '../../src/sandbox/slack/block-limits';
import { blockById, caseRow } from '../support/factories';

const now = new Date('2026-11-27T10:00:00Z');
const opts = { tags: DEFAULT_TAGS, now };

describe('case card', () => {
  test('shows subject, excerpt, customer, order, source, received time, status, owner, priority and tags', () => {
    const card = buildCaseCard(
      caseRow({ ownerId: 'U0AGENT01', status: 'open', tags: ['shipping_delay', 'order_status'], priority: 'high' }),
      opts,
    );
    expect(blockById(card.blocks, BLOCK.header).text.text).toBe('TL-1042 · Where is my order?');
    expect(blockById(card.blocks, BLOCK.excerpt).text.text).toBe('>Hi, my linen shirt has not arrived.');
    const fields = blockById(card.blocks, BLOCK.fields).fields.map((f: { text: string }) => f.text);
    expect(fields).toEqual([
      '*Customer*\nJane Doe\njane@example.com\n3 orders',
      '*Order*\n#1001 · €89.00 · DE\n1 item: Linen Shirt',
      '*Source*\nEmail · received <!date^1795771800^{date_short_pretty} {time}|2026-11-27 09:30 UTC>',
      '*Status*\n:large_green_circle: Open · <@U0AGENT01>',
      '*Priority*\n:large_orange_circle: High',
      '*Tags*\nShipping delay, Order status',
    ]);
    expect(card.text).toBe('TL-1042 (Email, Open): Where is my order?');
    expect(blockProblems(card.blocks)).toEqual([]);
  });

  test('open cards offer Claim, Assign, Tags, Reply, Escalate, Resolve; the tag menu starts at the case’s tags', () => {
    const card = buildCaseCard(caseRow({ tags: ['damaged'] }), opts);
    const actions = blockById(card.blocks, cardActionsBlockId(1042)).elements;
    expect(actions.map((a: { action_id: string }) => a.action_id)).toEqual([
      ACTION.claim,
      ACTION.assign,
      ACTION.tags,
      REPLY.action.open,
      ACTION.escalate,
      ACTION.resolve,
    ]);
    expect(actions[0].style).toBe('primary');
    // Claim carries the owner the card shows, so a click on a stale card cannot take over silently.
    expect(actions[0].value).toBe('{"c":1042,"o":null}');
    expect(actions[2].options).toHaveLength(DEFAULT_TAGS.length);
    expect(actions[2].initial_options).toEqual([{ text: { type: 'plain_text', text: 'Damaged item' }, value: 'damaged' }]);
  });

  test('resolved cards offer Reopen instead (and Reply), and show when they were resolved', () => {
    const card = buildCaseCard(caseRow({ status: 'resolved', resolvedAt: now, ownerId: 'U1' }), opts);
    const actions = blockById(card.blocks, cardActionsBlockId(1042)).elements;
    expect(actions.map((a: { action_id: string }) => a.action_id)).toEqual([ACTION.reopen, REPLY.action.open, ACTION.tags]);
    expect(blockById(card.blocks, BLOCK.fields).fields[3].text).toContain(':white_check_mark: Resolved <!date^');
  });

  test('escalated cards carry the reason', () => {
    const card = buildCaseCard(
      caseRow({ escalatedAt: now, escalationReason: 'VIP <!here> threatens chargeback', priority: 'urgent' }),
      opts,
    );
    expect(blockById(card.blocks, BLOCK.escalation).elements[0].text).toMatch(
      /^:rotating_light: Escalated <!date\^\d+\^.*>: VIP &lt;!here&gt; threatens chargeback$/,
    );
  });

  test('customer text that looks like Slack markup pings nobody', () => {
    const card = buildCaseCard(
      caseRow({
        subject: '<!channel> help',
        body: 'Hey <!here> <@U0BOSS> <!subteam^S123|@team> & <https://evil.example|click>',
        customerName: '<@U0ADMIN>',
      }),
      opts,
    );
    const json = JSON.stringify(card.blocks.filter((b) => (b as { block_id: string }).block_id !== BLOCK.header));
    expect(json).not.toMatch(/<!here>|<!channel>|<@U0BOSS>|<!subteam|<@U0ADMIN>|<https:/);
    expect(blockById(card.blocks, BLOCK.excerpt).text.text).toBe(
      '>Hey &lt;!here&gt; &lt;@U0BOSS&gt; &lt;!subteam^S123|@team&gt; &amp; &lt;https://evil.example|click&gt;',
    );
    expect(blockById(card.blocks, BLOCK.excerpt).text.verbatim).toBe(true);
    expect(card.text).not.toContain('<!channel>');
    // The header is plain_text, which Slack never parses for mentions.
    expect(blockById(card.blocks, BLOCK.header).text.type).toBe('plain_text');
  });

  test('customer words with *stars*, _underscores_, ~tildes~ and `backticks` are shown as typed, not as formatting', () => {
    const card = buildCaseCard(caseRow({ body: '*URGENT* the _blue_ one, ~not~ `red`', customerName: '_Ana_' }), opts);
    const excerpt = blockById(card.blocks, BLOCK.excerpt).text.text as string;
    expect(excerpt.replaceAll('\u200b', '')).toBe('>*URGENT* the _blue_ one, ~not~ `red`');
    // Slack formats a span only where a marker meets a space or the edge: none does any more.
    expect(excerpt.slice(1)).not.toMatch(/(^|\s)[*_~`]|[*_~`](\s|$)/);
    const customer = blockById(card.blocks, BLOCK.fields).fields[0].text as string;
    expect(customer).not.toMatch(/(^|\s)_|_(\s|$)/);
  });

  test('a 20,000-character body, a 300-character name, emoji and a 150-item order still make a valid card', () => {
    const body = '😀 '.repeat(2000) + 'x'.repeat(14_000);
    const items = Array.from({ length: 150 }, (_, i) => ({ name: `Item ${i} ${'long name '.repeat(10)}`, quantity: 2 }));
    const c = caseRow({
      subject: 'S'.repeat(1000),
      body,
      customerName: 'N'.repeat(300),
      customerEmail: `${'e'.repeat(240)}@x.com`,
      customerTags: Array.from({ length: 50 }, (_, i) => `tag${i}`),
      orderItems: items,
      orderId: '9'.repeat(100),
      tags: DEFAULT_TAGS.map((t) => t.id),
    });
    const card = buildCaseCard(c, opts);
    expect(blockProblems(card.blocks)).toEqual([]);
    const excerpt = blockById(card.blocks, BLOCK.excerpt);
    expect(excerpt.text.text.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    // The full text is one click away.
    expect(excerpt.accessory).toMatchObject({ action_id: ACTION.fullText, value: '{"c":1042}' });
    expect(blockById(card.blocks, BLOCK.fields).fields[1].text).toContain('300 items: ');
    expect(blockById(card.blocks, BLOCK.fields).fields[1].text).toContain('+147 more');
    expect(blockById(card.blocks, BLOCK.header).text.text.length).toBeLessThanOrEqual(150);
  });

  test('a short message has no Full message button', () => {
    expect(blockById(buildCaseCard(caseRow(), opts).blocks, BLOCK.excerpt).accessory).toBeUndefined();
  });
});

describe('timeline, escalation post and modals', () => {
  test('timeline entries say who did what, with the date', () => {
    const e = buildEventEntry(
      { caseId: 7, action: 'tagged', actor: 'U1', data: { added: ['sizing'], removed: ['refund'] }, at: now },
      DEFAULT_TAGS,
    );
    expect(e.text).toBe(':label: <@U1> changed tags: +Sizing, −Refund');
    expect(blockById(e.blocks, BLOCK.timeline).elements[0].text).toBe(
      ':label: <@U1> changed tags: +Sizing, −Refund · <!date^1795773600^{date_short_pretty} {time}|2026-11-27 10:00 UTC>',
    );
    expect(buildEventEntry({ caseId: 7, action: 'reopened', actor: 'customer', data: {}, at: now }, DEFAULT_TAGS).text).toBe(
      ':arrows_counterclockwise: The customer wrote again, so TL-7 is open again',
    );
  });

  test('a long message in the thread is cut with a Full message button', () => {
    const long = buildMessageEntry({
      id: 5,
      caseId: 7,
      direction: 'customer',
      authorName: 'Jane',
      body: 'a <@U1> '.repeat(1000),
      createdAt: now,
    });
    expect(blockProblems(long.blocks)).toEqual([]);
    expect(blockById(long.blocks, BLOCK.timeline).text.text).not.toContain('<@U1>');
    expect(blockById(long.blocks, BLOCK.timelineActions).elements[0]).toMatchObject({
      action_id: ACTION.messageFullText,
      value: '{"c":7,"m":5}',
    });
    const short = buildMessageEntry({
      id: 6,
      caseId: 7,
      direction: 'agent',
      authorName: null,
      body: 'Sent a replacement.',
      createdAt: now,
    });
    expect(short.blocks).toHaveLength(1);
    expect(blockById(short.blocks, BLOCK.timeline).text.text).toBe(
      ':outbox_tray: *Agent reply* (sent from the helpdesk) · <!date^1795773600^{date_short_pretty} {time}|2026-11-27 10:00 UTC>\n>Sent a replacement.',
    );
  });

  test('a message of many short lines that must be cut gets the button too, and stays within the limit', () => {
    const body = Array.from({ length: 560 }, (_, i) => `l${String(i).padStart(2, '0')}`).join('\n');
    expect(body.length).toBeLessThan(2800);
    const entry = buildMessageEntry({ id: 9, caseId: 7, direction: 'customer', authorName: null, body, createdAt: now });
    const text = blockById(entry.blocks, BLOCK.timeline).text.text as string;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('…')).toBe(true);
    expect(blockById(entry.blocks, BLOCK.timelineActions).elements[0].action_id).toBe(ACTION.messageFullText);
    // Every quoted line is still quoted.
    expect(
      text
        .split('\n')
        .slice(1)
        .every((line) => line.startsWith('>')),
    ).toBe(true);
  });

  test('the escalation post links back to the card', () => {
    const post = buildEscalationPost({
      c: caseRow({ priority: 'urgent' }),
      actor: 'U1',
      reason: 'Customer <!channel> threatens chargeback',
      cardUrl: 'https://acme.slack.com/archives/C1/p123',
    });
    expect(blockById(post.blocks, BLOCK.escalationSummary).text.text).toBe(
      ':rotating_light: <@U1> escalated <https://acme.slack.com/archives/C1/p123|TL-1042 · Where is my order?>\n*Reason:* Customer &lt;!channel&gt; threatens chargeback',
    );
    expect(post.text).toBe('TL-1042 escalated: Customer &lt;!channel&gt; threatens chargeback');
  });

  test('modals fit Slack’s limits, however long the message', () => {
    expect(viewProblems(buildEscalateModal(1042, 'S'.repeat(5000)))).toEqual([]);
    const huge = 'word '.repeat(100_000);
    const view = buildFullTextModal(1042, 'TL-1042 message', huge);
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.at(-1)).toMatchObject({ block_id: BLOCK.fullTextNote });
    const normal = buildFullTextModal(1042, 'TL-1042 message', 'x'.repeat(20_000));
    expect(normal.blocks).toHaveLength(7);
    expect(normal.blocks.map((b) => (b as { text: { text: string } }).text.text).join('')).toBe('x'.repeat(20_000));
  });
});
