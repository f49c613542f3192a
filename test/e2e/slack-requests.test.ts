import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { caseMessages } from '../../src/db/schema';
import { slackSignature } from '../support/signing';
import { cardOf, type Harness, PEOPLE, SIGNING_SECRET, startHarness, ticket } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function newCard() {
  const res = await h.ingest(ticket());
  await h.settle();
  return { id: res.body.id as number, card: cardOf(h.slack, res.body.id)! };
}

const statusOf = async (id: number) => (await h.api('GET', `/api/v1/tickets/${id}`)).body;

describe('requests from Slack', () => {
  test('the signature scheme matches Slack’s own worked example', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  test('Slack’s worked example is refused here: right signature, but stale and for another secret', async () => {
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fwebhook-collect&text=';
    const res = await fetch(`${h.app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': '1531420618',
        'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      },
      body,
    });
    expect(res.status).toBe(401);
  });

  test('unsigned, wrongly signed and stale requests are rejected with 401 and change nothing', async () => {
    const { id, card } = await newCard();
    const payload = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: PEOPLE.agent }, actions: [{ action_id: 'case_resolve', value: JSON.stringify({ c: id }) }], container: { channel_id: card.channel, message_ts: card.ts } }))}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${h.app.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: payload,
      });
    expect((await post({})).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await post({ 'x-slack-request-timestamp': String(now), 'x-slack-signature': slackSignature('wrong-secret', now, payload) })).status,
    ).toBe(401);
    const stale = now - 6 * 60;
    expect(
      (await post({ 'x-slack-request-timestamp': String(stale), 'x-slack-signature': slackSignature(SIGNING_SECRET, stale, payload) }))
        .status,
    ).toBe(401);
    await h.settle();
    expect((await statusOf(id)).status).toBe('new');
  });

  test('reacting :eyes: claims and :white_check_mark: resolves; a retried event counts once', async () => {
    const { id, card } = await newCard();
    const eyes = {
      type: 'reaction_added',
      user: PEOPLE.agent,
      reaction: 'eyes',
      item: { type: 'message', channel: card.channel, ts: card.ts },
      event_ts: '1.2',
    };
    expect((await h.event(eyes, 'EvEYES01')).status).toBe(200);
    await vi.waitFor(async () => expect((await statusOf(id)).owner).toBe(PEOPLE.agent));
    const done = { ...eyes, reaction: 'white_check_mark', user: PEOPLE.agent2 };
    await h.event(done, 'EvDONE01');
    // Slack retries the same event (it thought the first delivery failed): nothing happens twice.
    await h.event(done, 'EvDONE01', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await h.event(done, 'EvDONE01', { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    await vi.waitFor(async () => expect((await statusOf(id)).status).toBe('resolved'));
    await h.settle();
    const resolvedEntries = h.slack.posts(card.channel).filter((m) => m.thread_ts === card.ts && m.text?.includes('resolved'));
    expect(resolvedEntries).toHaveLength(1);
    // A reaction that means nothing to Trustloop, or on another message, changes nothing.
    await h.event({ ...eyes, reaction: 'tada' });
    await h.event({ ...eyes, item: { type: 'message', channel: card.channel, ts: '999.999' } });
    await h.settle();
    expect((await statusOf(id)).status).toBe('resolved');
  });

  test('a retried event is not applied again after the case moved on', async () => {
    const { id, card } = await newCard();
    const done = {
      type: 'reaction_added',
      user: PEOPLE.agent,
      reaction: 'white_check_mark',
      item: { type: 'message', channel: card.channel, ts: card.ts },
      event_ts: '1.5',
    };
    await h.event(done, 'EvRETRY01');
    await vi.waitFor(async () => expect((await statusOf(id)).status).toBe('resolved'));
    await h.click({
      actionId: 'case_reopen',
      user: PEOPLE.agent2,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: id }),
    });
    await vi.waitFor(async () => expect((await statusOf(id)).status).toBe('new'));
    // Slack retries the first delivery of the ✅ event: it must not resolve the reopened case.
    expect((await h.event(done, 'EvRETRY01', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await h.settle();
    expect((await statusOf(id)).status).toBe('new');
  });

  test('two people clicking Claim at once: one gets the case, the other is told who has it', async () => {
    const { id, card } = await newCard();
    const value = JSON.stringify({ c: id, o: null });
    await Promise.all([
      h.click({ actionId: 'case_claim', user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value }),
      h.click({ actionId: 'case_claim', user: PEOPLE.agent2, channel: card.channel, messageTs: card.ts, value }),
    ]);
    const notice = await h.slack.waitFor(
      () => h.slack.responses.find((r) => /was just claimed by/.test(r.body.text ?? '') && r.body.text.includes(`TL-${id} `)),
      5000,
      'notice',
    );
    const owner = (await statusOf(id)).owner as string;
    expect([PEOPLE.agent, PEOPLE.agent2]).toContain(owner);
    expect(notice.body.text).toBe(`TL-${id} was just claimed by <@${owner}>. Use Assign if you mean to take it over.`);
    expect(notice.path).toContain(owner === PEOPLE.agent ? PEOPLE.agent2 : PEOPLE.agent);
  });

  test('assigning to someone outside the team is refused with a reason', async () => {
    const { id, card } = await newCard();
    await h.click({
      actionId: 'case_assign',
      caseId: id,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      selectedUser: PEOPLE.outsider,
    });
    const notice = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.body.text?.includes(`<@${PEOPLE.outsider}> is not on the support team`)),
      5000,
      'notice',
    );
    expect(notice.body.response_type).toBe('ephemeral');
    expect((await statusOf(id)).owner).toBeNull();
  });

  test('escalating a case that was resolved while the modal was open is refused inside the modal', async () => {
    const { id, card } = await newCard();
    await h.click({
      actionId: 'case_resolve',
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: id }),
    });
    await vi.waitFor(async () => expect((await statusOf(id)).status).toBe('resolved'));
    const res = await h.submitView({
      callbackId: 'case_escalate_modal',
      user: PEOPLE.agent,
      privateMetadata: JSON.stringify({ c: id }),
      values: { escalate_reason: { reason: { type: 'plain_text_input', value: 'Customer is furious' } } },
    });
    expect(JSON.parse(res.text)).toEqual({
      response_action: 'errors',
      errors: { escalate_reason: `TL-${id} is resolved. Reopen it before you escalate it.` },
    });
  });

  test('a reaction from someone outside the team is refused privately', async () => {
    const { id, card } = await newCard();
    await h.event({
      type: 'reaction_added',
      user: PEOPLE.outsider,
      reaction: 'eyes',
      item: { type: 'message', channel: card.channel, ts: card.ts },
      event_ts: '1.3',
    });
    const eph = await h.slack.waitFor(
      () => h.slack.callsOf('chat.postEphemeral').find((c) => c.args.user === PEOPLE.outsider),
      5000,
      'ephemeral',
    );
    expect(eph.args).toMatchObject({
      channel: card.channel,
      user: PEOPLE.outsider,
      text: expect.stringContaining('Only the support team can claim cases'),
    });
    expect((await statusOf(id)).owner).toBeNull();
  });

  test('a staff reply in the card’s thread is stored as an internal note; others are not', async () => {
    const { id, card } = await newCard();
    const reply = (user: string, ts: string, extra: Record<string, unknown> = {}) => ({
      type: 'message',
      channel: card.channel,
      user,
      text: `Checked the warehouse <!here> (${ts})`,
      ts,
      thread_ts: card.ts,
      event_ts: ts,
      channel_type: 'channel',
      ...extra,
    });
    await h.event(reply(PEOPLE.agent, '1800000000.000100'), 'EvNOTE01');
    await h.event(reply(PEOPLE.agent, '1800000000.000100'), 'EvNOTE01', { 'x-slack-retry-num': '1' });
    await h.event(reply(PEOPLE.outsider, '1800000000.000200'));
    await h.event(reply(PEOPLE.agent, '1800000000.000300', { bot_id: 'B0OTHER01' }));
    await h.event(reply(PEOPLE.agent, '1800000000.000400', { subtype: 'message_changed' }));
    await h.event({ ...reply(PEOPLE.agent, '1800000000.000500'), thread_ts: undefined });
    const notesOf = async () =>
      (await h.app.database.db.select().from(caseMessages).where(eq(caseMessages.caseId, id))).filter((n) => n.direction === 'note');
    await vi.waitFor(async () => expect(await notesOf()).toHaveLength(1));
    // Give the ignored events the same time to (wrongly) land before the final check.
    await new Promise((r) => setTimeout(r, 300));
    const notes = await notesOf();
    expect(notes.filter((n) => n.direction === 'note').map((n) => [n.authorSlackId, n.body, n.slackTs])).toEqual([
      [PEOPLE.agent, 'Checked the warehouse <!here> (1800000000.000100)', '1800000000.000100'],
    ]);
  });

  test('/trustloop help answers with the usage; unknown input gets the usage, not silence', async () => {
    expect((await h.command({ text: 'help', user: PEOPLE.agent })).status).toBe(200);
    const help = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.includes(`cmd-${PEOPLE.agent}`)), 5000, 'help');
    expect(help.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('`/trustloop help` this list') });
    await h.command({ text: 'frobnicate <!channel>', user: PEOPLE.agent2 });
    const unknown = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.includes(`cmd-${PEOPLE.agent2}`)), 5000, 'usage');
    expect(unknown.body.text).toMatch(/^I don't know `frobnicate`\.\n\n\*Trustloop commands\*/);
  });
});
