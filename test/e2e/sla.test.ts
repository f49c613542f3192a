import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { slaSweepJob } from '../../src/jobs/sla-sweep';
import { ACTION, SLA_ACTION, SLA_BLOCK } from '../../src/slack/ids';
import { block, CHANNELS, cardOf, type Harness, PEOPLE, startHarness, testConfig, threadOf, ticket } from '../support/harness';

// The SLA through the real app and the Slack double, with the clock stepped by the test and
// the sweep run by hand (app.scheduler.runNow), as the cron would every 15 seconds.

let now = new Date('2026-03-02T08:00:00Z'); // a Monday
const T0 = now;
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let h: Harness;
let sweep: () => Promise<boolean>;
beforeAll(async () => {
  const config = testConfig({
    sla: {
      // 24/7; the ladder at 75 / 100 / 150 %.
      defaults: { targets: { first_response: '1h', next_response: '30m', resolution: '8h' }, manager: PEOPLE.manager },
    },
  });
  h = await startHarness({ config, clock: () => now });
  const job = slaSweepJob({ config, logger: h.app.deps.logger });
  sweep = () => h.app.scheduler.runNow(job);
});
afterAll(async () => {
  await h?.stop();
});

async function newCard(overrides: Record<string, unknown> = {}) {
  const res = await h.ingest(ticket(overrides));
  expect(res.status).toBe(201);
  await h.settle();
  const card = cardOf(h.slack, res.body.id)!;
  expect(card).toBeDefined();
  return { id: res.body.id as number, card };
}

const slaText = (blocks: any[] | undefined) => block(blocks, SLA_BLOCK.card).text.text as string;
const cardLink = (card: { channel: string; ts: string }) =>
  `https://acme-store.slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}`;
const postIndex = (pred: (args: any) => boolean) => h.slack.calls.findIndex((c) => c.method === 'chat.postMessage' && pred(c.args));

async function step(minutes: number) {
  now = at(minutes);
  expect(await sweep()).toBe(true);
  await h.settle();
}

describe('SLA reminders, end to end', () => {
  test('the card shows the clock; warning, breach DM and escalation post follow in order as time passes', async () => {
    const { id, card } = await newCard();
    expect(slaText(card.blocks)).toMatch(
      /^:stopwatch: First reply due in 1h \(by <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-03-02 09:00 UTC>\)/,
    );
    await h.click({
      actionId: ACTION.claim,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: id }),
    });
    // The click is acknowledged first and applied after: wait until the card shows the owner.
    await h.slack.waitFor(() => h.slack.callsOf('chat.update').find((c) => c.args.ts === card.ts), 5000, 'claimed card');
    await h.settle();

    await step(1);
    await step(30);
    // Nothing crossed yet: no reminder, no re-render by the sweep.
    expect(threadOf(h.slack, card.channel, card.ts).filter((m) => m.blocks?.[0]?.block_id === SLA_BLOCK.reminder)).toEqual([]);

    await step(46);
    const warning = threadOf(h.slack, card.channel, card.ts).find((m) => m.text?.startsWith(':hourglass_flowing_sand:'));
    expect(warning?.text).toMatch(new RegExp(`^:hourglass_flowing_sand: <@${PEOPLE.agent}> TL-${id}: first reply due in 14m`));
    // The card was re-rendered when the warning rung was crossed.
    expect(slaText(h.slack.messages.find((m) => m.ts === card.ts)!.blocks)).toMatch(/^:warning: First reply due in 14m/);

    await step(61);
    const agentDm = await h.slack.waitFor(() => h.slack.posts(`D${PEOPLE.agent.slice(1)}`)[0], 5000, 'breach DM');
    expect(block(agentDm.blocks, `${SLA_BLOCK.dmItems}.0`).text.text).toBe(
      `• :red_circle: <${cardLink(card)}|TL-${id} · Where is my order?>: first reply breached 1m ago`,
    );
    expect(slaText(h.slack.messages.find((m) => m.ts === card.ts)!.blocks)).toMatch(/^:red_circle: First reply breached 1m ago/);

    await step(91);
    const escalation = h.slack.posts(CHANNELS.escalation).find((m) => m.metadata?.event_payload?.case_id === id)!;
    expect(block(escalation.blocks, SLA_BLOCK.escalation).text.text).toBe(
      `:rotating_light: <${cardLink(card)}|TL-${id} · Where is my order?> is escalated: first reply breached 31m ago`,
    );
    const managerDm = h.slack.posts(`D${PEOPLE.manager.slice(1)}`)[0]!;
    expect(block(managerDm.blocks, SLA_BLOCK.dmHeader).text.text).toBe(':rotating_light: *1 case was escalated to you*');

    // In order: the warning, then the breach DM, then the escalation post.
    const iWarning = postIndex((a) => a.thread_ts === card.ts && a.text?.startsWith(':hourglass_flowing_sand:'));
    const iDm = postIndex((a) => a.channel === `D${PEOPLE.agent.slice(1)}`);
    const iEscalation = postIndex((a) => a.channel === CHANNELS.escalation && a.metadata?.event_payload?.case_id === id);
    expect(iWarning).toBeGreaterThan(-1);
    expect(iDm).toBeGreaterThan(iWarning);
    expect(iEscalation).toBeGreaterThan(iDm);

    // Each was sent once, however often the sweep runs.
    await step(92);
    await step(92);
    const thread = threadOf(h.slack, card.channel, card.ts).map((m) => m.text ?? '');
    expect(thread.filter((t) => t.startsWith(':hourglass_flowing_sand:'))).toHaveLength(1);
    expect(thread.filter((t) => t.startsWith(':red_circle:'))).toHaveLength(1);
    expect(thread.filter((t) => t.startsWith(':rotating_light:'))).toHaveLength(1);
    expect(h.slack.posts(`D${PEOPLE.agent.slice(1)}`)).toHaveLength(1);
    expect(h.slack.posts(CHANNELS.escalation).filter((m) => m.metadata?.event_payload?.case_id === id)).toHaveLength(1);
  });

  test('a must-escalate case: the rules announce it in the escalation channel, the sweep DMs the manager at once', async () => {
    now = at(95);
    const { id } = await newCard({
      subject: 'Refund now',
      body: 'The sofa arrived with a torn seam. I want a full refund, not a voucher.',
      order: { id: '2001', amount: '1299.00', currency: 'EUR', country: 'DE', items: [{ sku: 'SOFA-3', name: 'Sofa', quantity: 1 }] },
    });
    const announced = () => h.slack.posts(CHANNELS.escalation).filter((m) => m.metadata?.event_payload?.case_id === id);
    expect(announced()).toHaveLength(1);
    await step(95.25);
    const lines = h.slack
      .posts(`D${PEOPLE.manager.slice(1)}`)
      .flatMap((m) => (block(m.blocks, `${SLA_BLOCK.dmItems}.0`).text.text as string).split('\n'));
    expect(lines.filter((l) => l.includes(`TL-${id} ·`))).toEqual([
      expect.stringMatching(new RegExp(`^• :rotating_light: <[^|]+\\|TL-${id} · Refund now>: escalated: must be handled by a person$`)),
    ]);
    // Not announced twice.
    await step(96);
    expect(announced()).toHaveLength(1);
  });

  test('/trustloop sla lists breached and at-risk cases with links: the caller’s channel, or every channel for a manager', async () => {
    const breached = await h.ingest(ticket({ source: 'live_chat', subject: 'Chat breached', created_at: at(0).toISOString() }));
    const risky = await h.ingest(ticket({ subject: 'Email at risk', created_at: at(100).toISOString() }));
    const calm = await h.ingest(ticket({ subject: 'Email calm', created_at: at(140).toISOString() }));
    await h.settle();
    await step(150); // risky: 50 of 60 minutes used; calm: 10
    const chatCard = cardOf(h.slack, breached.body.id)!;

    await h.command({ text: 'sla', user: PEOPLE.agent, channel: CHANNELS.email });
    const mine = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.endsWith(`cmd-${PEOPLE.agent}`)), 5000, 'sla report');
    const text = JSON.stringify(mine.body.blocks);
    expect(mine.body.response_type).toBe('ephemeral');
    expect(block(mine.body.blocks, SLA_BLOCK.reportHeader).text.text).toMatch(
      new RegExp(`^\\*Response targets in <#${CHANNELS.email}> and on cases you own:\\*`),
    );
    expect(text).toContain(`TL-${risky.body.id} · Email at risk>: first reply due in 10m`);
    expect(text).not.toContain(`TL-${calm.body.id}`);
    // The chat case is in another channel and not the agent's.
    expect(text).not.toContain(`TL-${breached.body.id}`);

    await h.command({ text: 'sla', user: PEOPLE.manager, channel: CHANNELS.support });
    const all = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`cmd-${PEOPLE.manager}`)),
      5000,
      'manager report',
    );
    const allText = block(all.body.blocks, `${SLA_BLOCK.reportBreached}.0`).text.text as string;
    expect(allText).toContain(
      `<${cardLink(chatCard)}|TL-${breached.body.id} · Chat breached>: first reply breached 1h 30m ago · unowned · <#${CHANNELS.chat}>`,
    );

    await h.command({ text: 'sla', user: PEOPLE.outsider, channel: CHANNELS.email });
    const refused = await h.slack.waitFor(() => h.slack.responses.find((r) => r.path.endsWith(`cmd-${PEOPLE.outsider}`)), 5000, 'refusal');
    expect(refused.body.text).toMatch(/^Only the support team can see SLA risk/);
  });

  test('a must-escalate case that has an owner and an answer is not breached, so /trustloop sla does not list it', async () => {
    now = at(700);
    const { id, card } = await newCard({ subject: 'Money back please', body: 'The lamp flickers. I want my money back.', created_at: at(700).toISOString() });
    await h.click({ actionId: ACTION.claim, user: PEOPLE.agent, channel: card.channel, messageTs: card.ts, value: JSON.stringify({ c: id }) });
    await h.slack.waitFor(() => h.slack.callsOf('chat.update').find((c) => c.args.ts === card.ts), 5000, 'claimed card');
    now = at(705);
    const reply = await h.api('POST', `/api/v1/tickets/${id}/messages`, { direction: 'agent', body: 'Sorry about that, we are on it.' });
    expect(reply.status).toBe(201);
    await h.settle();
    await step(750); // 50 minutes in: the first reply was met; the 8h resolution target is far off

    const before = h.slack.responses.filter((r) => r.path.endsWith(`cmd-${PEOPLE.manager}`)).length;
    await h.command({ text: 'sla', user: PEOPLE.manager, channel: CHANNELS.support });
    const report = await h.slack.waitFor(
      () => h.slack.responses.filter((r) => r.path.endsWith(`cmd-${PEOPLE.manager}`))[before],
      5000,
      'manager report',
    );
    const text = JSON.stringify(report.body.blocks);
    // Flagged, owned, answered and inside every target: nothing to report as breached or at risk.
    expect(text).not.toContain(`TL-${id} ·`);
    expect(slaText(h.slack.messages.find((m) => m.ts === card.ts)!.blocks)).toMatch(/^:stopwatch: Resolution due in 7h 10m/);
  });

  test('Waiting on customer pauses the clocks on the card; the customer’s message resumes them', async () => {
    now = at(200);
    const { id, card } = await newCard({ created_at: at(200).toISOString() });
    now = at(210);
    await h.click({
      actionId: SLA_ACTION.wait,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      value: JSON.stringify({ c: id }),
    });
    const paused = await h.slack.waitFor(
      () => h.slack.callsOf('chat.update').find((c) => c.args.ts === card.ts && slaText(c.args.blocks).includes('paused')),
      5000,
      'paused card',
    );
    expect(slaText(paused.args.blocks)).toBe(
      ':double_vertical_bar: First reply paused, 50m left · resolution paused, 7h 50m left\n:double_vertical_bar: Waiting on the customer: the clocks are paused until they write.',
    );
    expect(block(paused.args.blocks, SLA_BLOCK.card).accessory.action_id).toBe(SLA_ACTION.resume);
    await h.settle();
    expect(threadOf(h.slack, card.channel, card.ts).map((m) => m.text)).toContain(
      `:double_vertical_bar: <@${PEOPLE.agent}> marked TL-${id} as waiting on the customer: the response clocks are paused`,
    );

    // Hours later, nothing is due while it waits.
    await step(500);
    expect(threadOf(h.slack, card.channel, card.ts).some((m) => m.blocks?.[0]?.block_id === SLA_BLOCK.reminder)).toBe(false);

    const res = await h.api('POST', `/api/v1/tickets/${id}/messages`, {
      direction: 'customer',
      body: 'Here are the photos.',
      external_id: 'm-photos',
    });
    expect(res.status).toBe(201);
    await h.settle();
    const api = await h.api('GET', `/api/v1/tickets/${id}`);
    expect(api.body.status).toBe('open');
    expect(slaText(h.slack.messages.find((m) => m.ts === card.ts)!.blocks)).toMatch(/^:stopwatch: First reply due in 50m/);
  });

  test('a helpdesk reply can leave the case waiting on the customer; only agent replies may', async () => {
    now = at(600);
    const { id } = await newCard({ created_at: at(600).toISOString() });
    const bad = await h.api('POST', `/api/v1/tickets/${id}/messages`, { direction: 'customer', body: 'hi', waiting_on_customer: true });
    expect(bad).toMatchObject({ status: 400, body: { issues: [{ path: 'waiting_on_customer' }] } });
    const ok = await h.api('POST', `/api/v1/tickets/${id}/messages`, {
      direction: 'agent',
      body: 'Could you send a photo of the label?',
      waiting_on_customer: true,
    });
    expect(ok.status).toBe(201);
    expect((await h.api('GET', `/api/v1/tickets/${id}`)).body.status).toBe('waiting');
  });
});
