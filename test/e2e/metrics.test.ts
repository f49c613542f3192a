import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { METRICS_BLOCK, HOME } from '../../src/slack/ids';
import { actOnCase } from '../../src/services/cases/commands';
import { blockProblems, viewProblems } from '../../src/sandbox/slack/block-limits';
import { block, CHANNELS, type Harness, PEOPLE, startHarness, testConfig, ticket } from '../support/harness';
import { BOT } from '../../src/sandbox/slack/slack-double';

// /trustloop metrics, queue, mine and export, and the App Home tab, through the real app and the
// Slack double: the command is acked at once and answered through response_url.
//
// Cases (SLA 24/7, first reply target 1 h), the period "7d" ending Fri 27 Nov 10:00 UTC:
// - A (email, order_status): received Wed 25 Nov 08:00, agent reply 08:30, resolved 10:00 by
//   the agent who owns it; rated 5. First reply 30 min, resolution 2 h, first contact.
// - B (live chat, damaged): received Thu 26 Nov 09:00, owned by agent2, reply 11:00 (2 h, late). Open.
// - C (email, no tag): the previous period: received Wed 18 Nov 10:00, reply 11:00 (1 h, on
//   time), resolved 14:00 (4 h), one reply.

let h: Harness;
let now = new Date('2026-11-18T10:00:00Z');
const ids: Record<string, number> = {};

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  const config = testConfig({ sla: { defaults: { targets: { first_response: '1h', next_response: '4h', resolution: '48h' } } } });
  h = await startHarness({ config, clock: () => now });
  const deps = h.app.deps;
  async function seed(
    key: string,
    t: { source: string; tags: string[]; received: string; reply: string; owner: string; resolved?: string },
  ): Promise<void> {
    now = at(t.received);
    const c = (await h.ingest(ticket({ external_id: `MX-${key}`, source: t.source, tags: t.tags, created_at: t.received }))).body;
    ids[key] = c.id;
    await actOnCase(deps, { caseId: c.id, actor: t.owner, command: { type: 'claim' } });
    now = at(t.reply);
    const reply = await h.api('POST', `/api/v1/tickets/${c.id}/messages`, {
      direction: 'agent',
      body: 'On it.',
      external_id: `r-${key}`,
      created_at: t.reply,
    });
    expect(reply.status).toBe(201);
    if (t.resolved) {
      now = at(t.resolved);
      await actOnCase(deps, { caseId: c.id, actor: t.owner, command: { type: 'resolve' } });
    }
  }
  await seed('C', {
    source: 'email',
    tags: [],
    received: '2026-11-18T10:00:00Z',
    reply: '2026-11-18T11:00:00Z',
    owner: PEOPLE.agent,
    resolved: '2026-11-18T14:00:00Z',
  });
  await seed('A', {
    source: 'email',
    tags: ['order_status'],
    received: '2026-11-25T08:00:00Z',
    reply: '2026-11-25T08:30:00Z',
    owner: PEOPLE.agent,
    resolved: '2026-11-25T10:00:00Z',
  });
  await seed('B', {
    source: 'live_chat',
    tags: ['damaged'],
    received: '2026-11-26T09:00:00Z',
    reply: '2026-11-26T11:00:00Z',
    owner: PEOPLE.agent2,
  });
  expect((await h.api('POST', '/api/v1/csat', { case_id: ids.A, rating: 5, responded_at: '2026-11-25T12:00:00Z' })).status).toBe(201);
  now = at('2026-11-27T10:00:00Z');
  await h.settle();
});
afterAll(async () => {
  await h?.stop();
});

/** Runs the command; returns Slack's view of the ack and the one message posted to response_url. */
async function command(text: string, user: string, channel: string = CHANNELS.support) {
  const before = h.slack.responses.length;
  const ack = await h.command({ text, user, channel });
  const answer = await h.slack.waitFor(() => h.slack.responses.slice(before).find((r) => r.path.endsWith(`cmd-${user}`)), 10_000, text);
  return { ack, body: answer.body };
}

describe('/trustloop metrics', () => {
  test('a manager gets the figures against the previous period, by source, tag and agent', async () => {
    const { ack, body } = await command('metrics 7d', PEOPLE.manager);
    // Acked with an empty 200 at once; the report follows through response_url.
    expect(ack).toEqual({ status: 200, text: '' });
    expect(body.response_type).toBe('ephemeral');
    expect(blockProblems(body.blocks)).toEqual([]);
    expect(block(body.blocks, METRICS_BLOCK.header).text.text).toBe('Team metrics · last 7 days');
    expect(block(body.blocks, METRICS_BLOCK.period).elements[0].text).toBe(
      '20 Nov 2026 11:00 – 27 Nov 2026 11:00 vs 13 Nov 2026 11:00 – 20 Nov 2026 11:00 (Europe/Berlin)',
    );
    // A 30 min and B 2 h: median 1h 15m, p90 30 + 0.9 × 90 = 111 min; C had 1 h before (+25%).
    expect(block(body.blocks, METRICS_BLOCK.summary).fields.map((f: { text: string }) => f.text)).toEqual([
      '*Cases received*\n2 ↑ 100%',
      '*First reply* median / p90\n1h 15m / 1h 51m ↑ 25%\n_business hours:_ 1h 15m / 1h 51m',
      '*First reply within SLA*\n50% ↓ 50 pts (2 replied)',
      '*Resolution* median / p90\n2h / 2h ↓ 50%\n_business hours:_ 2h / 2h',
      '*First contact resolution*\n100% (1 of 1) → 0 pts',
      '*CSAT*\n5.0 / 5 · 100% satisfied (1)',
      '*Reviews*\n–',
    ]);
    expect(block(body.blocks, `${METRICS_BLOCK.breakdown}.0`).text.text).toBe(
      [
        '*By source*',
        '• Email: 1 case · first reply 30m · 100% in SLA · 1 resolved in 2h · FCR 100% · CSAT 5.0',
        '• Live chat: 1 case · first reply 2h · 0% in SLA',
      ].join('\n'),
    );
    expect(block(body.blocks, `${METRICS_BLOCK.breakdown}.1`).text.text).toBe(
      [
        '*By tag*',
        '• Order status: 1 case · first reply 30m · 100% in SLA · 1 resolved in 2h · FCR 100% · CSAT 5.0',
        '• Damaged item: 1 case · first reply 2h · 0% in SLA',
      ].join('\n'),
    );
    expect(block(body.blocks, `${METRICS_BLOCK.breakdown}.2`).text.text).toBe(
      [
        '*By agent*',
        `• <@${PEOPLE.agent}>: 1 case · first reply 30m · 100% in SLA · 1 resolved in 2h · FCR 100% · CSAT 5.0`,
        `• <@${PEOPLE.agent2}>: 1 case · first reply 2h · 0% in SLA`,
      ].join('\n'),
    );
    expect(block(body.blocks, METRICS_BLOCK.footer).elements[0].text).toContain('`/trustloop export first_response 7d`');
  });

  test('the ack does not wait for the queries: the answer follows once they finish', async () => {
    // Hold the cases table so every metrics query waits.
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = h.app.database.db.transaction(async (t) => {
      await t.execute(sql`lock table cases in access exclusive mode`);
      locked();
      await held;
    });
    await isLocked;
    const before = h.slack.responses.length;
    const ack = await h.command({ text: 'metrics', user: PEOPLE.manager });
    expect(ack).toEqual({ status: 200, text: '' });
    expect(h.slack.responses.length).toBe(before);
    release();
    await tx;
    const answer = await h.slack.waitFor(() => h.slack.responses[before], 10_000, 'answer after the lock');
    expect(answer.path).toBe(`/respond/cmd-${PEOPLE.manager}`);
    expect(block(answer.body.blocks, METRICS_BLOCK.header).text.text).toBe('Team metrics · last 7 days');
  });

  test('a channel narrows it; the previous week has its own figures', async () => {
    const { body } = await command(`metrics last week <#${CHANNELS.email}|email>`, PEOPLE.manager);
    // Last full week, Mon 16 – Mon 23 Nov (Berlin): only C.
    expect(block(body.blocks, METRICS_BLOCK.header).text.text).toBe('Team metrics · week of 16 Nov 2026');
    expect(block(body.blocks, METRICS_BLOCK.period).elements[0].text).toContain(` · in <#${CHANNELS.email}>`);
    const fields = block(body.blocks, METRICS_BLOCK.summary).fields.map((f: { text: string }) => f.text);
    expect(fields[0]).toBe('*Cases received*\n1 ↑ new');
    expect(fields[3]).toBe('*Resolution* median / p90\n4h / 4h\n_business hours:_ 4h / 4h');
    // Reviews are store-wide: not shown for one channel.
    expect(fields).toHaveLength(6);
  });

  test('someone who is not a manager is refused, privately, and pointed at /trustloop mine', async () => {
    const { body } = await command('metrics', PEOPLE.agent);
    expect(body).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: "Only managers can see the whole team's metrics (`/trustloop mine` shows your own). Managers are listed under team.managers in the workspace config.",
    });
  });

  test('arguments it cannot read get the usage text', async () => {
    const { body } = await command('metrics yesterday', PEOPLE.manager);
    expect(body.text).toBe(
      'I can\'t read "yesterday" as a period; use `7d`, `30d`, `this week`, `last week` or `YYYY-MM-DD..YYYY-MM-DD`. Periods: `7d`, `30d`, `this week`, `last week` or `YYYY-MM-DD..YYYY-MM-DD`.\n\nUsage: `/trustloop metrics [7d|30d|this week|last week|YYYY-MM-DD..YYYY-MM-DD] [#channel|source]`',
    );
    const help = await command('help', PEOPLE.agent);
    expect(help.body.text).toContain('• `/trustloop metrics [7d|30d|this week|last week|YYYY-MM-DD..YYYY-MM-DD] [#channel|source]`');
    expect(help.body.text).toContain('• `/trustloop queue [#channel]` open cases by status and age');
    const unknown = await command('stats', PEOPLE.agent);
    expect(unknown.body.text).toMatch(/^I don't know `stats`\.\n\n\*Trustloop commands\*/);
  });

  test('a period from year 1 to 9999 gets an answer, not silence', async () => {
    const { body } = await command('metrics 0001-01-01..9999-12-31', PEOPLE.manager);
    expect(body.text).toBe(
      'dates must be between 1970 and 9999. Periods: `7d`, `30d`, `this week`, `last week` or `YYYY-MM-DD..YYYY-MM-DD`.\n\nUsage: `/trustloop metrics [7d|30d|this week|last week|YYYY-MM-DD..YYYY-MM-DD] [#channel|source]`',
    );
  });
});

describe('/trustloop queue and mine', () => {
  test('queue: open cases by status and age, for anyone on the team', async () => {
    const { body } = await command('queue', PEOPLE.agent);
    expect(blockProblems(body.blocks)).toEqual([]);
    expect(block(body.blocks, METRICS_BLOCK.queueHeader).text.text).toBe(':inbox_tray: *1 open case* in every channel');
    // B is open (claimed), received 25 h ago.
    expect(block(body.blocks, METRICS_BLOCK.queue).text.text).toBe(
      [
        '*New* 0: < 4h 0 · 4–24h 0 · 1–3d 0 · > 3d 0',
        '*Open* 1: < 4h 0 · 4–24h 0 · 1–3d 1 · > 3d 0',
        '*Waiting on customer* 0: < 4h 0 · 4–24h 0 · 1–3d 0 · > 3d 0',
      ].join('\n'),
    );
    const outsider = await command('queue', PEOPLE.outsider);
    expect(outsider.body.text).toMatch(/^Only the support team can see the queue/);
  });

  test('mine: my open cases with their SLA, then the figures of my cases', async () => {
    const { body } = await command('mine', PEOPLE.agent2);
    expect(blockProblems(body.blocks)).toEqual([]);
    const card = h.slack.posts(CHANNELS.chat).find((m) => m.metadata?.event_payload?.case_id === ids.B && !m.thread_ts)!;
    expect(block(body.blocks, METRICS_BLOCK.mine).text.text).toBe(
      `*Your open cases (1)*\n:large_green_circle: <${BOT.url}archives/${CHANNELS.chat}/p${card.ts.replace('.', '')}|TL-${ids.B} · Where is my order?> — Open · <#${CHANNELS.chat}> · resolution due in 23h`,
    );
    expect(block(body.blocks, METRICS_BLOCK.header).text.text).toBe('Your metrics · last 7 days');
    expect(block(body.blocks, METRICS_BLOCK.summary).fields[0].text).toBe('*Cases received*\n1 ↑ new');
  });
});

describe('/trustloop export', () => {
  test('a manager gets the rows behind the figure as a CSV file in a DM', async () => {
    h.slack.reset();
    const { body } = await command('export first_response 7d', PEOPLE.manager);
    expect(body.text).toBe('Sent `trustloop-first_response-2026-11-20-to-2026-11-27.csv` (2 rows) to your DM with Trustloop.');
    expect(h.slack.callsOf('conversations.open').map((c) => c.args.users)).toEqual([PEOPLE.manager]);
    const [get] = h.slack.callsOf('files.getUploadURLExternal');
    const [done] = h.slack.callsOf('files.completeUploadExternal');
    expect(h.slack.uploads).toHaveLength(1);
    const csv = h.slack.uploads[0]!.bytes.toString('utf8');
    expect(get!.args).toMatchObject({
      filename: 'trustloop-first_response-2026-11-20-to-2026-11-27.csv',
      length: String(Buffer.byteLength(csv)),
    });
    expect(done!.args).toMatchObject({
      channel_id: `D${PEOPLE.manager.slice(1)}`,
      initial_comment: '2 rows: first response · last 7 days.',
      files: [{ id: h.slack.uploads[0]!.id, title: 'trustloop-first_response-2026-11-20-to-2026-11-27.csv' }],
    });
    expect(csv).toBe(
      [
        'case_id,kind,source,channel_id,owner_id,tags,status,received_at,reported_at,first_response_at,first_response_ms,first_response_business_ms,first_response_within_sla',
        `${ids.A},ticket,email,${CHANNELS.email},${PEOPLE.agent},order_status,resolved,2026-11-25T08:00:00.000Z,2026-11-25T08:00:00.000Z,2026-11-25T08:30:00.000Z,1800000,1800000,true`,
        `${ids.B},ticket,live_chat,${CHANNELS.chat},${PEOPLE.agent2},damaged,open,2026-11-26T09:00:00.000Z,2026-11-26T09:00:00.000Z,2026-11-26T11:00:00.000Z,7200000,7200000,false`,
        '',
      ].join('\r\n'),
    );
  });

  test('a date range is named after its first and last days', async () => {
    h.slack.reset();
    const { body } = await command('export first_response 2026-11-20..2026-11-26', PEOPLE.manager);
    // The period ends (exclusive) at the start of 27 Nov; the file is named after 26 Nov, its last day.
    expect(body.text).toBe('Sent `trustloop-first_response-2026-11-20-to-2026-11-26.csv` (2 rows) to your DM with Trustloop.');
  });

  test('a failure after the ack still gets an answer', async () => {
    h.slack.reset();
    h.slack.fail('conversations.open', { kind: 'error', error: 'internal_error' });
    const { body } = await command('export first_response 7d', PEOPLE.manager);
    expect(body).toMatchObject({ response_type: 'ephemeral', text: "Couldn't build the report, try again." });
    expect(h.slack.uploads).toEqual([]);
  });

  test('someone who is not a manager is refused and nothing is uploaded; an unknown figure gets the usage', async () => {
    h.slack.reset();
    const { body } = await command('export csat 30d', PEOPLE.agent);
    expect(body.text).toMatch(/^Only managers can export metrics\./);
    const bad = await command('export happiness 7d', PEOPLE.manager);
    expect(bad.body.text).toMatch(/^Say which figure to export: `cases`, `first_response`/);
    expect(h.slack.callsOf('files.getUploadURLExternal')).toEqual([]);
    expect(h.slack.callsOf('files.completeUploadExternal')).toEqual([]);
  });
});

describe('App Home', () => {
  async function openHome(user: string) {
    const before = h.slack.callsOf('views.publish').length;
    const res = await h.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: '1.1' });
    expect(res.status).toBe(200);
    return (await h.slack.waitFor(() => h.slack.callsOf('views.publish')[before], 10_000, 'views.publish')).args;
  }

  test('staff see their open cases with SLA state and quick actions; no team part', async () => {
    const args = await openHome(PEOPLE.agent2);
    expect(args.user_id).toBe(PEOPLE.agent2);
    expect(viewProblems(args.view)).toEqual([]);
    const blocks = args.view.blocks as any[];
    expect(block(blocks, HOME.block.mineHeader).text.text).toBe('Your open cases (1)');
    expect(block(blocks, `${HOME.block.case}.${ids.B}`).text.text).toContain(
      `TL-${ids.B} · Where is my order?>\nOpen · <#${CHANNELS.chat}> · resolution due in 23h`,
    );
    const actions = block(blocks, `${HOME.block.caseActions}.${ids.B}`).elements;
    expect(actions.map((a: { action_id: string }) => a.action_id)).toEqual([HOME.action.resolve, HOME.action.openCard]);
    expect(JSON.parse(actions[0].value)).toEqual({ c: ids.B });
    expect(blocks.some((b) => b.block_id === HOME.block.teamHeader)).toBe(false);
  });

  test('managers also see the queue, SLA health and this week', async () => {
    const args = await openHome(PEOPLE.manager);
    expect(viewProblems(args.view)).toEqual([]);
    const blocks = args.view.blocks as any[];
    expect(block(blocks, HOME.block.mineHeader).text.text).toBe('Your open cases (0)');
    expect(block(blocks, `home_queue.${METRICS_BLOCK.queueHeader}`).text.text).toBe(':inbox_tray: *1 open case* in every channel');
    expect(block(blocks, HOME.block.sla).text.text).toBe(
      '*SLA health* :red_circle: 0 breached · :warning: 0 at risk · `/trustloop sla` lists them',
    );
    // This week: Monday 23 Nov 00:00 Berlin to now: A and B.
    expect(block(blocks, `home_week.${METRICS_BLOCK.header}`).text.text).toBe('This week · this week (since 23 Nov 2026)');
    expect(block(blocks, `home_week.${METRICS_BLOCK.summary}`).fields[0].text).toBe('*Cases received*\n2 ↑ 100%');
    expect(blocks.length).toBeLessThanOrEqual(100);
  });

  test('someone outside the team is told the tab is for the support team', async () => {
    const args = await openHome(PEOPLE.outsider);
    expect(args.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual([HOME.block.notOnTeam]);
  });

  test('Resolve on the home tab resolves the case and publishes the tab again', async () => {
    const before = h.slack.callsOf('views.publish').length;
    const res = await h.click({
      actionId: HOME.action.resolve,
      user: PEOPLE.agent2,
      channel: '',
      messageTs: '',
      value: JSON.stringify({ c: ids.B }),
    });
    expect(res.status).toBe(200);
    const again = (await h.slack.waitFor(() => h.slack.callsOf('views.publish')[before], 10_000, 'republish')).args;
    expect(block(again.view.blocks, HOME.block.mineHeader).text.text).toBe('Your open cases (0)');
    const c = await h.api('GET', `/api/v1/tickets/${ids.B}`);
    expect(c.body.status).toBe('resolved');
  });
});
