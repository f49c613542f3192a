import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { digests, fixItems } from '../../src/db/schema';
import { digestJob } from '../../src/jobs/digest';
import { DIGEST } from '../../src/slack/ids';
import { block, CHANNELS, type Harness, PEOPLE, startHarness, testConfig, ticket } from '../support/harness';

// The weekly digest through the real app and the Slack double: published by a manager, the main
// message, the chart through the three upload calls and the details in the thread; a Create fix
// from a repeated question, the owner's DM, /trustloop fixes and Mark done.

const DIGEST_CHANNEL = 'C0DIGEST1';
const now = new Date('2026-11-24T10:00:00Z'); // Tuesday; the last full week is 16–22 Nov (Berlin)
// Ten questions asked twice each: all over a threshold of 2, more than the main message shows.
const TAGS = [
  'sizing',
  'material',
  'compatibility',
  'installation',
  'delivery_time',
  'payment',
  'discount_code',
  'return_policy',
  'stock',
  'order_status',
];
const SORTED = [...TAGS].sort();

let h: Harness;
beforeAll(async () => {
  const config = testConfig({
    channels: { default: CHANNELS.support, sources: { email: CHANNELS.email }, escalation: CHANNELS.escalation, digest: DIGEST_CHANNEL },
    digest: { repeated_question_threshold: 2 },
  });
  h = await startHarness({ config, clock: () => now });
  for (const tag of TAGS) {
    for (let i = 0; i < 2; i++) {
      const res = await h.ingest(
        ticket({
          subject: `Question ${tag} ${i}`,
          body: 'A question about the product.',
          tags: [tag],
          created_at: '2026-11-18T10:00:00Z',
          order: { id: `O-${tag}-${i}`, country: 'DE', carrier: 'DHL', items: [{ name: 'Linen Shirt', quantity: 1 }] },
        }),
      );
      expect(res.status).toBe(201);
    }
  }
  await h.settle();
  h.slack.reset();
});
afterAll(async () => {
  await h?.stop();
});

const responseTo = (user: string, after = 0) =>
  h.slack.waitFor(() => h.slack.responses.slice(after).find((r) => r.path.endsWith(`cmd-${user}`)), 10_000, `response to ${user}`);

describe('weekly digest, end to end', () => {
  let mainTs: string;

  test('only managers publish; anyone on the team previews, privately', async () => {
    await h.command({ text: 'digest publish', user: PEOPLE.agent });
    const refused = await responseTo(PEOPLE.agent);
    expect(refused.body.text).toBe(
      'Only managers can publish the digest. Managers are listed under team.managers in the workspace config.',
    );

    const before = h.slack.responses.length;
    await h.command({ text: 'digest preview last week', user: PEOPLE.agent2 });
    const preview = await responseTo(PEOPLE.agent2, before);
    expect(preview.body.response_type).toBe('ephemeral');
    expect(preview.body.text.split('\n')[0]).toBe('Preview: not published.');
    expect(block(preview.body.blocks, DIGEST.block.header).text.text).toBe('Voice of the customer · week of 16 Nov 2026');
    expect(h.slack.callsOf('chat.postMessage')).toEqual([]);
    expect(await h.app.database.db.select().from(digests)).toEqual([]);
  });

  test('a manager publishes: main message, details with the overflow in its thread, then the chart uploaded in three calls', async () => {
    await h.command({ text: 'digest publish', user: PEOPLE.manager });
    const ok = await responseTo(PEOPLE.manager);
    expect(ok.body.text).toBe(`Publishing the digest for the week of 2026-11-16 in <#${DIGEST_CHANNEL}>.`);
    await h.settle();

    const posts = h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === DIGEST_CHANNEL);
    const [main, ...replies] = posts;
    expect(main!.args.thread_ts).toBeUndefined();
    mainTs = h.slack.posts(DIGEST_CHANNEL).find((m) => !m.thread_ts)!.ts;
    const blocks = main!.args.blocks as any[];
    expect(block(blocks, DIGEST.block.headline).fields[0].text).toBe('*Cases*\n20 :red_circle: ↑ from 0');
    // Eight repeated questions with a button on the main message, in order; two more in the thread.
    const repeatIds = (bs: any[]) =>
      bs.filter((b) => b.block_id?.startsWith(DIGEST.block.repeatPrefix)).map((b) => b.block_id.slice(DIGEST.block.repeatPrefix.length));
    expect(repeatIds(blocks)).toEqual(SORTED.slice(0, 8));
    expect(block(blocks, DIGEST.block.more).elements[0].text).toContain('2 more repeated questions');
    expect(blocks.length).toBeLessThanOrEqual(50);

    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) expect(r.args.thread_ts).toBe(mainTs);
    expect(replies.flatMap((r) => repeatIds(r.args.blocks))).toEqual(SORTED.slice(8));
    const details = replies.flatMap((r) => (r.args.blocks as any[]).map((b) => b.text?.text ?? '')).join('\n');
    expect(details).toContain('*Logistics issues* · none this week.');
    expect(details).toContain('*SLA compliance* · no first reply this week had a target to meet.');
    expect(details).toContain('*Disputes* · 0 opened, 0 due in the next 7 days, 0 won, 0 lost · at risk: nothing open');

    // The chart: URL, upload, complete, in that order, after the details.
    const methods = h.slack.calls.map((c) => c.method).filter((m) => m !== 'conversations.open');
    const iGet = h.slack.calls.findIndex((c) => c.method === 'files.getUploadURLExternal');
    const iComplete = h.slack.calls.findIndex((c) => c.method === 'files.completeUploadExternal');
    const iLastReply = h.slack.calls.indexOf(replies.at(-1)!);
    expect(iLastReply).toBeLessThan(iGet);
    expect(iGet).toBeLessThan(iComplete);
    expect(methods.filter((m) => m.startsWith('files.'))).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    const [getUrl] = h.slack.callsOf('files.getUploadURLExternal');
    expect(getUrl!.args.filename).toBe('trustloop-top-tags-2026-11-16.png');
    expect(h.slack.uploads).toHaveLength(1);
    const png = h.slack.uploads[0]!;
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(Number(getUrl!.args.length)).toBe(png.bytes.length);
    expect(h.slack.callsOf('files.completeUploadExternal')[0]!.args).toMatchObject({
      channel_id: DIGEST_CHANNEL,
      thread_ts: mainTs,
      files: [{ id: png.id, title: 'Top tags, 8 weeks to week of 16 Nov 2026' }],
    });
    const [stored] = await h.app.database.db.select().from(digests);
    expect(stored).toMatchObject({ weekStart: '2026-11-16', publishedBy: PEOPLE.manager, slackTs: mainTs, chartFileId: png.id });
  });

  test('exactly once: publishing again, or the schedule catching up, posts nothing more', async () => {
    const before = h.slack.responses.length;
    const calls = h.slack.calls.length;
    await h.command({ text: 'digest publish 2026-11-18', user: PEOPLE.manager });
    const again = await responseTo(PEOPLE.manager, before);
    expect(again.body.text).toBe(
      `The digest for the week of 2026-11-16 was already published (by <@${PEOPLE.manager}>); \`/trustloop digest preview 2026-11-16\` shows it again.`,
    );
    expect(await h.app.scheduler.runNow(digestJob(h.app.deps))).toBe(true);
    await h.settle();
    expect(h.slack.calls.slice(calls).filter((c) => c.method === 'chat.postMessage' || c.method.startsWith('files.'))).toEqual([]);
    expect(await h.app.database.db.select().from(digests)).toHaveLength(1);

    // Shown again as published.
    const n = h.slack.responses.length;
    await h.command({ text: 'digest preview 2026-11-16', user: PEOPLE.agent });
    const shown = await responseTo(PEOPLE.agent, n);
    expect(shown.body.text.split('\n')[0]).toBe('Published on 2026-11-24; shown as it was published.');
  });

  test('a week that has not ended cannot be published', async () => {
    const before = h.slack.responses.length;
    await h.command({ text: 'digest publish 2026-11-24', user: PEOPLE.manager });
    const refused = await responseTo(PEOPLE.manager, before);
    expect(refused.body.text).toBe(
      'the week of 23 Nov 2026 has not ended yet; a digest covers a whole week (Monday to Sunday). Give a date in the week, such as `2026-11-16`, or `last week`.',
    );
  });

  test('Create fix from a repeated question in the thread: form, owner DM, /trustloop fixes, Mark done', async () => {
    const reply = h.slack
      .posts(DIGEST_CHANNEL)
      .find((m) => m.thread_ts === mainTs && m.blocks?.some((b) => b.block_id === 'digest_repeat.sizing'))!;
    const button = block(reply.blocks, 'digest_repeat.sizing').accessory;
    await h.click({
      actionId: DIGEST.action.createFix,
      user: PEOPLE.agent,
      channel: DIGEST_CHANNEL,
      messageTs: reply.ts,
      value: button.value,
    });
    const open = await h.slack.waitFor(() => h.slack.callsOf('views.open')[0], 10_000, 'fix form');
    const view = open.args.view;
    expect(view.callback_id).toBe(DIGEST.view.createFix);
    expect(block(view.blocks, DIGEST.block.fixSummary).text.text).toBe(
      '*Sizing questions on Linen Shirt*: 2 in the week of 2026-11-16. Fix the page, not the reply: who changes what, by when?',
    );
    expect(block(view.blocks, DIGEST.block.fixTarget).element.options.map((o: any) => o.value)).toEqual([
      'product_page',
      'faq',
      'policy_page',
      'email',
      'ad_creative',
      'supplier',
      'logistics',
    ]);
    expect(block(view.blocks, DIGEST.block.fixDue).element.initial_date).toBe('2026-12-01');

    const values = (due: string) => ({
      [DIGEST.block.fixOwner]: { [DIGEST.input]: { type: 'users_select', selected_user: PEOPLE.agent2 } },
      [DIGEST.block.fixTarget]: { [DIGEST.input]: { type: 'static_select', selected_option: { value: 'product_page' } } },
      [DIGEST.block.fixDue]: { [DIGEST.input]: { type: 'datepicker', selected_date: due } },
      [DIGEST.block.fixNote]: { [DIGEST.input]: { type: 'plain_text_input', value: 'Add a <b>fit</b> note & a size chart' } },
    });
    const past = await h.submitView({
      callbackId: DIGEST.view.createFix,
      user: PEOPLE.agent,
      privateMetadata: view.private_metadata,
      values: values('2026-11-20'),
    });
    expect(JSON.parse(past.text)).toEqual({
      response_action: 'errors',
      errors: { [DIGEST.block.fixDue]: 'The due date has passed; pick today or later.' },
    });
    const ok = await h.submitView({
      callbackId: DIGEST.view.createFix,
      user: PEOPLE.agent,
      privateMetadata: view.private_metadata,
      values: values('2026-12-01'),
    });
    expect(ok.status).toBe(200);
    await h.settle();
    const dm = await h.slack.waitFor(() => h.slack.posts(`D${PEOPLE.agent2.slice(1)}`)[0], 10_000, 'owner DM');
    expect(block(dm.blocks, DIGEST.block.fixSummary).text.text).toBe(
      `:hammer_and_wrench: <@${PEOPLE.agent}> asked you to change the product page behind *Sizing questions on Linen Shirt*, due 2026-12-01.\n` +
        'It came up 2 times in the week of 2026-11-16. Mark it done when the change is live: the weekly digest then shows whether the questions fell.\n' +
        '>Add a &lt;b&gt;fit&lt;/b&gt; note &amp; a size chart',
    );
    const [fix] = await h.app.database.db.select().from(fixItems);
    expect(fix).toMatchObject({
      tag: 'sizing',
      productKey: 'name:linen shirt',
      target: 'product_page',
      ownerId: PEOPLE.agent2,
      state: 'open',
    });

    // The form submitted again (a double click, or a colleague on the same question): still one fix.
    const again = await h.submitView({
      callbackId: DIGEST.view.createFix,
      user: PEOPLE.agent,
      privateMetadata: view.private_metadata,
      values: values('2026-12-02'),
    });
    expect(again.status).toBe(200);
    const told = await h.slack.waitFor(() => h.slack.posts(`D${PEOPLE.agent.slice(1)}`)[0], 10_000, 'already open');
    expect(told.text).toBe(
      `Sizing questions on Linen Shirt already has an open fix by <@${PEOPLE.agent2}>; \`/trustloop fixes\` lists it.`,
    );
    await h.settle();
    expect(await h.app.database.db.select().from(fixItems)).toHaveLength(1);
    expect(h.slack.posts(`D${PEOPLE.agent2.slice(1)}`)).toHaveLength(1);

    // Open fixes are for the team only.
    const o = h.slack.responses.length;
    await h.command({ text: 'fixes', user: PEOPLE.outsider });
    const outsider = await responseTo(PEOPLE.outsider, o);
    expect(outsider.body.text).toBe(
      'Only the support team can see the open fixes. Ask a Trustloop admin to add you to the team in the workspace config.',
    );
    expect(outsider.body.blocks).toBeUndefined();

    const n = h.slack.responses.length;
    await h.command({ text: 'fixes', user: PEOPLE.manager });
    const list = await responseTo(PEOPLE.manager, n);
    expect(block(list.body.blocks, `${DIGEST.block.fixItemPrefix}${fix!.id}`).text.text).toBe(
      `*Sizing questions on Linen Shirt* → the product page, due 2026-12-01 · <@${PEOPLE.agent2}>`,
    );

    const doneValue = block(dm.blocks, DIGEST.block.fixSummary).accessory.value;
    await h.click({ actionId: DIGEST.action.fixDone, user: PEOPLE.outsider, channel: dm.channel, messageTs: dm.ts, value: doneValue });
    const refused = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.outsider}-${DIGEST.action.fixDone}`)),
      10_000,
      'refusal',
    );
    expect(refused.body.text).toBe('Only the fix’s owner, the person who created it, or a manager can mark it done.');
    await h.click({ actionId: DIGEST.action.fixDone, user: PEOPLE.agent2, channel: dm.channel, messageTs: dm.ts, value: doneValue });
    const done = await h.slack.waitFor(
      () => h.slack.responses.find((r) => r.path.endsWith(`${PEOPLE.agent2}-${DIGEST.action.fixDone}`)),
      10_000,
      'done',
    );
    expect(done.body.text).toBe('Marked done: Sizing questions on Linen Shirt. The next weekly digests show whether the questions fell.');
    const [after] = await h.app.database.db.select().from(fixItems).where(eq(fixItems.id, fix!.id));
    expect(after).toMatchObject({ state: 'done', doneBy: PEOPLE.agent2, doneAt: now });
  });
});

describe('schedules missed while the app was down', () => {
  const config = testConfig({
    channels: { default: CHANNELS.support, escalation: CHANNELS.escalation, digest: DIGEST_CHANNEL },
  });
  const digestPosts = (hh: Harness) =>
    hh.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === DIGEST_CHANNEL && !c.args.thread_ts);

  test('down for two schedules: both weeks go out, oldest first; a quiet week says so', async () => {
    let clock = new Date('2026-11-11T10:00:00Z'); // Wednesday of the week of 9 Nov
    const later = await startHarness({ config, clock: () => clock, start: { scheduleJobs: true } });
    try {
      // The check at start: no case yet, nothing to publish.
      await later.app.scheduler.stop();
      expect(await later.app.database.db.select().from(digests)).toEqual([]);
      const res = await later.ingest(
        ticket({ subject: 'Sizing', body: 'Which size?', tags: ['sizing'], created_at: '2026-11-10T10:00:00Z' }),
      );
      expect(res.status).toBe(201);
      await later.settle();
      // Down over Monday 16 and Monday 23 Nov 09:00; back on Wednesday 25 Nov, the next check runs.
      clock = new Date('2026-11-25T10:00:00Z');
      expect(await later.app.scheduler.runNow(digestJob(later.app.deps))).toBe(true);
      const posts = await later.slack.waitFor(
        () => (digestPosts(later).length >= 2 ? digestPosts(later) : undefined),
        15_000,
        'catch-up digests',
      );
      expect(posts.map((p) => p.args.text.split(':')[0])).toEqual([
        'Voice of the customer, week of 9 Nov 2026',
        'Voice of the customer, week of 16 Nov 2026',
      ]);
      const quiet = posts[1]!;
      expect(quiet.args.text).toBe('Voice of the customer, week of 16 Nov 2026: a quiet week, nothing arrived.');
      expect(block(quiet.args.blocks, DIGEST.block.empty).text.text).toBe(
        '*A quiet week:* no tickets, reviews or disputes arrived in the week of 16 Nov 2026. Nothing to report.',
      );
      const stored = await later.app.database.db.select().from(digests).orderBy(digests.id);
      expect(stored.map((d) => [d.weekStart, d.publishedBy])).toEqual([
        ['2026-11-09', 'schedule'],
        ['2026-11-16', 'schedule'],
      ]);
      // A later check finds nothing more to do.
      clock = new Date('2026-11-25T10:15:00Z');
      expect(await later.app.scheduler.runNow(digestJob(later.app.deps))).toBe(true);
      expect(await later.app.database.db.select().from(digests)).toHaveLength(2);
    } finally {
      await later.stop();
    }
  });

  test('a new install with no cases publishes nothing (and draws no chart) at start', async () => {
    const fresh = await startHarness({ config, clock: () => new Date('2026-11-25T10:00:00Z'), start: { scheduleJobs: true } });
    try {
      await fresh.app.scheduler.stop(); // waits for the check run at start
      expect(await fresh.app.database.db.select().from(digests)).toEqual([]);
      await fresh.settle();
      expect(digestPosts(fresh)).toEqual([]);
      expect(fresh.slack.callsOf('files.getUploadURLExternal')).toEqual([]);
    } finally {
      await fresh.stop();
    }
  });
});
