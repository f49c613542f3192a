import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseEvents } from '../../src/db/schema';
import { DEFAULT_TAGS } from '../../src/domain/tag-catalogue';
import { cardActionsBlockId, ACTION, BLOCK, INPUT, REPLY, VIEW } from '../../src/slack/ids';
import { block, CHANNELS, cardOf, type Harness, PEOPLE, startHarness, threadOf, ticket } from '../support/harness';

// Ingest → card → Claim → Assign → Tags → Escalate → Resolve → Reopen, through real HTTP with
// Slack-signed requests; every assertion is on the calls the Slack double received.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function newCard(overrides: Record<string, unknown> = {}) {
  const res = await h.ingest(ticket(overrides));
  expect(res.status).toBe(201);
  await h.settle();
  const card = cardOf(h.slack, res.body.id);
  expect(card).toBeDefined();
  return { id: res.body.id as number, card: card! };
}

const value = (id: number) => JSON.stringify({ c: id });
const statusField = (blocks: any[] | undefined) => block(blocks, BLOCK.fields).fields[3].text as string;

async function updatesFor(ts: string, count: number) {
  await h.settle();
  return h.slack.waitFor(
    () => {
      const u = h.slack.callsOf('chat.update').filter((c) => c.args.ts === ts);
      return u.length >= count ? u : null;
    },
    5000,
    `${count} chat.update calls`,
  );
}

describe('a ticket’s card, end to end', () => {
  test('at start-up the bot joined every configured channel (events only come from channels it is in)', () => {
    expect([...h.slack.joined].sort()).toEqual([CHANNELS.chat, CHANNELS.email, CHANNELS.escalation, CHANNELS.support].sort());
  });

  test('a new ticket is posted once, as one card, to the channel its source routes to', async () => {
    const { id, card } = await newCard({ source: 'live_chat', subject: '', body: 'Does the linen shirt run small?' });
    expect(card.channel).toBe(CHANNELS.chat);
    const posts = h.slack.callsOf('chat.postMessage').filter((c) => c.args.metadata?.event_payload?.case_id === id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.token).toBe('xoxb-e2e-token');
    expect(posts[0]!.args).toMatchObject({
      channel: CHANNELS.chat,
      text: `TL-${id} (Live chat, New): Does the linen shirt run small?`,
      unfurl_links: false,
      metadata: { event_type: 'trustloop_message', event_payload: { case_id: id } },
    });
    expect(block(card.blocks, BLOCK.header).text.text).toBe(`TL-${id} · Does the linen shirt run small?`);
    expect(block(card.blocks, BLOCK.excerpt).text.text).toBe('>Does the linen shirt run small?');
    expect(statusField(card.blocks)).toBe('*Status*\n:new: New · unowned');
    const api = await h.api('GET', `/api/v1/tickets/${id}`);
    expect(api.body.slack).toEqual({ channel: CHANNELS.chat, ts: card.ts });
  });

  test('Claim, Assign, Tags, Escalate, Resolve and Reopen re-render the same card in place', async () => {
    const { id, card } = await newCard();
    const postsBefore = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.email && !c.args.thread_ts).length;

    const claim = await h.click({
      actionId: ACTION.claim,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      value: value(id),
    });
    expect(claim.status).toBe(200);
    let updates = await updatesFor(card.ts, 1);
    expect(updates[0]!.args.channel).toBe(CHANNELS.email);
    expect(statusField(updates[0]!.args.blocks)).toBe(`*Status*\n:large_green_circle: Open · <@${PEOPLE.agent}>`);

    await h.click({
      actionId: ACTION.assign,
      caseId: id,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      selectedUser: PEOPLE.agent2,
    });
    updates = await updatesFor(card.ts, 2);
    expect(statusField(updates[1]!.args.blocks)).toBe(`*Status*\n:large_green_circle: Open · <@${PEOPLE.agent2}>`);

    await h.click({
      actionId: ACTION.tags,
      caseId: id,
      user: PEOPLE.agent2,
      channel: card.channel,
      messageTs: card.ts,
      selectedOptions: ['shipping_delay', 'damaged'],
    });
    updates = await updatesFor(card.ts, 3);
    // The card started with Trustloop's suggestion (about where the order is); the agent changed it.
    const firstPost = h.slack.callsOf('chat.postMessage').find((c) => c.args.metadata?.event_payload?.case_id === id && !c.args.thread_ts)!;
    const suggested = (await h.app.deps.db.query.cases.findFirst({ where: (c, { eq: e }) => e(c.id, id) }))!.suggestedTags;
    expect(suggested).toContain('order_status');
    const label = (tag: string) => DEFAULT_TAGS.find((t) => t.id === tag)!.label;
    expect(block(firstPost.args.blocks, BLOCK.fields).fields[5].text).toBe(`*Tags*\n${suggested.map(label).join(', ')}`);
    expect(block(updates[2]!.args.blocks, BLOCK.fields).fields[5].text).toBe('*Tags*\nDamaged item, Shipping delay');

    // Escalate opens a modal; submitting it escalates.
    await h.click({ actionId: ACTION.escalate, user: PEOPLE.agent2, channel: card.channel, messageTs: card.ts, value: value(id) });
    const open = await h.slack.waitFor(() => h.slack.callsOf('views.open')[0], 5000, 'views.open');
    expect(open.args.trigger_id).toBe('1234.5678.trigger');
    expect(open.args.view).toMatchObject({ callback_id: VIEW.escalate, private_metadata: value(id) });
    const submit = await h.submitView({
      callbackId: VIEW.escalate,
      user: PEOPLE.agent2,
      privateMetadata: open.args.view.private_metadata,
      values: {
        [BLOCK.escalateReason]: {
          [INPUT.escalateReason]: { type: 'plain_text_input', value: 'Customer says <!channel> she will file a chargeback' },
        },
      },
    });
    expect(submit.status).toBe(200);
    updates = await updatesFor(card.ts, 4);
    expect(block(updates[3]!.args.blocks, BLOCK.fields).fields[4].text).toBe('*Priority*\n:red_circle: Urgent');
    expect(block(updates[3]!.args.blocks, BLOCK.escalation).elements[0].text).toContain(
      'Customer says &lt;!channel&gt; she will file a chargeback',
    );
    const escalationPost = await h.slack.waitFor(() => h.slack.posts(CHANNELS.escalation)[0], 5000, 'escalation post');
    expect(escalationPost.blocks![0].text.text).toBe(
      `:rotating_light: <@${PEOPLE.agent2}> escalated <https://acme-store.slack.com/archives/${CHANNELS.email}/p${card.ts.replace('.', '')}|TL-${id} · Where is my order?>\n*Reason:* Customer says &lt;!channel&gt; she will file a chargeback`,
    );

    await h.click({ actionId: ACTION.resolve, user: PEOPLE.agent2, channel: card.channel, messageTs: card.ts, value: value(id) });
    updates = await updatesFor(card.ts, 5);
    expect(statusField(updates[4]!.args.blocks)).toMatch(/^\*Status\*\n:white_check_mark: Resolved <!date\^/);
    expect(block(updates[4]!.args.blocks, cardActionsBlockId(id)).elements.map((e: any) => e.action_id)).toEqual([
      ACTION.reopen,
      REPLY.action.open,
      ACTION.tags,
    ]);

    await h.click({ actionId: ACTION.reopen, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    updates = await updatesFor(card.ts, 6);
    expect(statusField(updates[5]!.args.blocks)).toBe(`*Status*\n:large_green_circle: Open · <@${PEOPLE.agent2}>`);

    // The thread holds the timeline, in order; no second card was posted. Thread posts are paced
    // per channel, so the last one can land after the card's update: wait until it has.
    await h.settle();
    const thread = threadOf(h.slack, card.channel, card.ts).map((m) => m.text);
    const changedTags = [
      ...['damaged', 'shipping_delay'].filter((t) => !suggested.includes(t)).map((t) => `+${label(t)}`),
      ...suggested.filter((t) => !['damaged', 'shipping_delay'].includes(t)).map((t) => `−${label(t)}`),
    ].join(', ');
    expect(thread).toEqual([
      `:raising_hand: <@${PEOPLE.agent}> claimed TL-${id}`,
      `:bust_in_silhouette: <@${PEOPLE.agent}> assigned TL-${id} to <@${PEOPLE.agent2}>`,
      `:label: <@${PEOPLE.agent2}> changed tags: ${changedTags}`,
      `:rotating_light: <@${PEOPLE.agent2}> escalated TL-${id} (priority urgent): Customer says &lt;!channel&gt; she will file a chargeback`,
      `:white_check_mark: <@${PEOPLE.agent2}> resolved TL-${id}`,
      `:arrows_counterclockwise: <@${PEOPLE.agent}> reopened TL-${id}`,
    ]);
    const postsAfter = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === CHANNELS.email && !c.args.thread_ts).length;
    expect(postsAfter).toBe(postsBefore);
    const audit = await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.id);
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['api', 'created'],
      [PEOPLE.agent, 'claimed'],
      [PEOPLE.agent, 'assigned'],
      [PEOPLE.agent2, 'tagged'],
      [PEOPLE.agent2, 'escalated'],
      [PEOPLE.agent2, 'resolved'],
      [PEOPLE.agent, 'reopened'],
    ]);
  });

  test('clicking Claim on your own case changes nothing and says so privately', async () => {
    const { id, card } = await newCard();
    await h.click({ actionId: ACTION.claim, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    await updatesFor(card.ts, 1);
    await h.click({ actionId: ACTION.claim, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    const reply = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.body.text === `You already own TL-${id}.`),
      5000,
      'ephemeral',
    );
    expect(reply.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: `You already own TL-${id}.` });
    await h.settle();
    expect(h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts)).toHaveLength(1);
  });

  test('someone outside the support team is refused privately and nothing changes; a user-group member may act', async () => {
    const { id, card } = await newCard();
    await h.click({ actionId: ACTION.resolve, user: PEOPLE.outsider, channel: card.channel, messageTs: card.ts, value: value(id) });
    const refusal = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.includes(PEOPLE.outsider)), 5000, 'refusal');
    expect(refusal.body).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Only the support team can resolve cases. Ask a Trustloop admin to add you to the team in the workspace config.',
    });
    // The outsider also cannot open the escalation modal.
    await h.click({ actionId: ACTION.escalate, user: PEOPLE.outsider, channel: card.channel, messageTs: card.ts, value: value(id) });
    await h.slack.waitFor(() => h.slack.responses.filter((r) => r.path.includes(PEOPLE.outsider)).length >= 2, 5000, 'second refusal');
    await h.settle();
    expect(h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts)).toHaveLength(0);
    expect(h.slack.callsOf('views.open').filter((c) => c.args.view.private_metadata === value(id))).toHaveLength(0);
    const audit = await h.app.database.db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
    expect(audit.filter((e) => e.action === 'denied').map((e) => [e.actor, e.data])).toEqual([
      [PEOPLE.outsider, { attempted: 'resolve', via: 'button' }],
      [PEOPLE.outsider, { attempted: 'escalate', via: 'button' }],
    ]);

    await h.click({ actionId: ACTION.claim, user: PEOPLE.groupMember, channel: card.channel, messageTs: card.ts, value: value(id) });
    const [update] = await updatesFor(card.ts, 1);
    expect(statusField(update!.args.blocks)).toBe(`*Status*\n:large_green_circle: Open · <@${PEOPLE.groupMember}>`);
  });

  test('an escalation without a reason is refused inside the modal', async () => {
    const { id } = await newCard();
    const res = await h.submitView({
      callbackId: VIEW.escalate,
      user: PEOPLE.agent,
      privateMetadata: value(id),
      values: { [BLOCK.escalateReason]: { [INPUT.escalateReason]: { type: 'plain_text_input', value: ' ' } } },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      response_action: 'errors',
      errors: { [BLOCK.escalateReason]: 'Say why the case needs escalating.' },
    });
  });

  test('the Full message button opens the whole customer message in a modal', async () => {
    const body = `${'Long story. '.repeat(2000)}<!here> end`;
    const { id, card } = await newCard({ body });
    expect(block(card.blocks, BLOCK.excerpt).accessory.action_id).toBe(ACTION.fullText);
    await h.click({ actionId: ACTION.fullText, user: PEOPLE.outsider, channel: card.channel, messageTs: card.ts, value: value(id) });
    const open = await h.slack.waitFor(
      () => h.slack.callsOf('views.open').find((c) => c.args.view.callback_id === VIEW.fullText),
      5000,
      'modal',
    );
    const text = open.args.view.blocks.map((b: any) => b.text.text).join('');
    expect(text).toBe(body.replace('<!here>', '&lt;!here&gt;'));
  });

  test('the same ticket sent again is not duplicated', async () => {
    const t = ticket();
    const first = await h.ingest(t);
    const second = await h.ingest({ ...t, subject: 'Different subject' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false });
    await h.settle();
    const cards = h.slack
      .callsOf('chat.postMessage')
      .filter((c) => c.args.metadata?.event_payload?.case_id === first.body.id && !c.args.thread_ts);
    expect(cards).toHaveLength(1);
  });

  test('mentions and links in a ticket never reach Slack unescaped', async () => {
    const { id } = await newCard({
      subject: '<!channel> urgent',
      body: '<!here> <!everyone> <@U0CEO0001> <!subteam^S0ALL> <https://phish.example|your account>',
      customer: { name: '<@U0ADMIN01>', email: 'x@example.com' },
    });
    const call = h.slack.callsOf('chat.postMessage').find((c) => c.args.metadata?.event_payload?.case_id === id)!;
    const sent = JSON.stringify({ text: call.args.text, blocks: call.args.blocks.filter((b: any) => b.type !== 'header') });
    for (const raw of ['<!here>', '<!everyone>', '<!channel>', '<@U0CEO0001>', '<!subteam', '<@U0ADMIN01>', '<https://phish']) {
      expect(sent).not.toContain(raw);
    }
    expect(block(call.args.blocks, BLOCK.excerpt).text.text).toBe(
      '>&lt;!here&gt; &lt;!everyone&gt; &lt;@U0CEO0001&gt; &lt;!subteam^S0ALL&gt; &lt;https://phish.example|your account&gt;',
    );
  });

  test('helpdesk messages land in the thread; the first agent reply sets first response; the customer writing again reopens', async () => {
    const ticketExternalId = 'ZD/77 #a';
    const { id, card } = await newCard({ external_id: ticketExternalId });
    const caseRow = async () => (await h.app.deps.db.query.cases.findFirst({ where: (c, { eq: e }) => e(c.id, id) }))!;
    // The helpdesk dates its reply 15 minutes after the case was received.
    const repliedAt = new Date((await caseRow()).receivedAt.getTime() + 15 * 60_000);
    const reply = await h.api('POST', `/api/v1/tickets/${id}/messages`, {
      direction: 'agent',
      body: 'We have shipped a replacement.',
      external_id: 'msg-1',
      created_at: repliedAt.toISOString(),
      author: { name: 'Ana' },
    });
    expect(reply.status).toBe(201);
    const again = await h.api('POST', `/api/v1/tickets/${id}/messages`, {
      direction: 'agent',
      body: 'We have shipped a replacement.',
      external_id: 'msg-1',
    });
    expect(again).toMatchObject({ status: 200, body: { created: false, message_id: reply.body.message_id } });
    const t = await h.api('GET', `/api/v1/tickets/${id}`);
    expect(t.body.status).toBe('new');
    await h.click({ actionId: ACTION.resolve, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: value(id) });
    await updatesFor(card.ts, 1);
    const unknown = await h.api('POST', '/api/v1/tickets/email/NO-SUCH-TICKET/messages', { direction: 'customer', body: 'x' });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'case_not_found' } });
    // Addressed by the helpdesk's own ticket id, as a helpdesk would.
    const customer = await h.api('POST', `/api/v1/tickets/email/${encodeURIComponent(ticketExternalId)}/messages`, {
      direction: 'customer',
      body: 'Still nothing <!here>',
    });
    expect(customer.status).toBe(201);
    await updatesFor(card.ts, 2);
    await h.settle();
    const thread = threadOf(h.slack, card.channel, card.ts);
    expect(thread.map((m) => m.text)).toEqual([
      `Agent reply on TL-${id}: We have shipped a replacement.`,
      `:white_check_mark: <@${PEOPLE.agent}> resolved TL-${id}`,
      `Customer on TL-${id}: Still nothing &lt;!here&gt;`,
      `:arrows_counterclockwise: The customer wrote again, so TL-${id} is open again`,
    ]);
    const row = await caseRow();
    expect(row.firstResponseAt).toEqual(repliedAt);
    expect(row.status).toBe('new');
    expect(row.reopenCount).toBe(1);
  });
});
