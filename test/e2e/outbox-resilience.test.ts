import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { outbox } from '../../src/db/schema';
import { CHANNELS, type Harness, PEOPLE, startHarness, ticket } from '../support/harness';

// The dispatcher against a misbehaving Slack: rate limits, outages, and answers lost after
// Slack already did the work. Every card must arrive exactly once, in Slack's pace.

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const cardPosts = (hh: Harness, channel: string) =>
  hh.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts);

describe('outbox delivery', () => {
  test('a 429 storm: Retry-After is honoured per channel and every card is posted exactly once', async () => {
    // One delivery at a time: each post is claimed only after the previous answer (a 429 among
    // them) was handled, so "nothing to that channel before Retry-After" is exact, however busy
    // the machine running the test is.
    h = await startHarness({
      env: { SLACK_CHANNEL_INTERVAL_MS: '100' },
      start: { dispatcher: { pollMs: 50, leaseMs: 2_000, concurrency: 1 } },
    });
    // Slack answers 429 (Retry-After: 1 s) to the next 6 posts, whichever channel they are for.
    h.slack.fail('chat.postMessage', { kind: 'ratelimit', retryAfter: 1 }, 6);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await h.ingest(ticket({ source: i % 2 ? 'email' : 'live_chat' }))).body.id);
    // Six Retry-After waits one after another: give a busy machine room beyond them.
    await h.settle(45_000);
    const posted = h.slack.messages.filter((m) => !m.thread_ts).map((m) => m.metadata?.event_payload?.case_id as number);
    expect(posted.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    // After each 429 on a channel, nothing more went to that channel before Retry-After (1 s) had passed.
    const limited = cardPosts(h, CHANNELS.email)
      .concat(cardPosts(h, CHANNELS.chat))
      .filter((c) => c.fault?.kind === 'ratelimit');
    expect(limited).toHaveLength(6);
    for (const hit of limited) {
      const next = cardPosts(h, hit.args.channel).find((c) => c.at > hit.at);
      expect(next).toBeDefined();
      expect(next!.at - hit.at).toBeGreaterThanOrEqual(950);
    }
    const rows = await h.app.database.db.select().from(outbox).where(eq(outbox.kind, 'card_post'));
    expect(rows.every((r) => r.status === 'done' && r.resultTs)).toBe(true);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
  }, 60_000);

  test('an answer lost after Slack posted (5xx after processing) does not post the card twice', async () => {
    h = await startHarness();
    h.slack.fail('chat.postMessage', { kind: 'status', status: 503, processed: true }, 1);
    const { body } = await h.ingest(ticket());
    await h.settle(15_000);
    const posted = h.slack.messages.filter((m) => m.metadata?.event_payload?.case_id === body.id && !m.thread_ts);
    expect(posted).toHaveLength(1);
    // The retry looked in the channel's history (by the outbox id in the message metadata) and adopted the post.
    const history = h.slack.callsOf('conversations.history');
    expect(history).toHaveLength(1);
    expect(history[0]!.args).toMatchObject({ channel: CHANNELS.email, include_all_metadata: true });
    expect(cardPosts(h, CHANNELS.email)).toHaveLength(1);
    expect((await h.api('GET', `/api/v1/tickets/${body.id}`)).body.slack.ts).toBe(posted[0]!.ts);
  });

  test('a 5xx before Slack did anything is retried and posts once', async () => {
    h = await startHarness();
    h.slack.fail('chat.postMessage', { kind: 'status', status: 500 }, 2);
    const { body } = await h.ingest(ticket());
    await h.settle(15_000);
    expect(cardPosts(h, CHANNELS.email)).toHaveLength(3);
    expect(h.slack.messages.filter((m) => m.metadata?.event_payload?.case_id === body.id)).toHaveLength(1);
  });

  test('a refusal that retrying cannot fix fails that row only; the next card still goes out', async () => {
    h = await startHarness();
    h.slack.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' }, 1);
    const first = await h.ingest(ticket());
    await h.settle();
    const second = await h.ingest(ticket());
    await h.settle();
    const [row] = await h.app.database.db.select().from(outbox).where(eq(outbox.caseId, first.body.id));
    expect(row).toMatchObject({ status: 'failed', lastError: 'channel_not_found', attempts: 1 });
    expect(h.slack.messages.filter((m) => m.metadata?.event_payload?.case_id === second.body.id)).toHaveLength(1);
  });

  test('a row this release cannot read is failed with the reason; the other deliveries go on', async () => {
    h = await startHarness();
    const db = h.app.database.db;
    // Written by hand, as a bug or an older release might have: a payload that does not match its
    // kind, and a kind nothing here knows.
    const [wrongPayload] = await db
      .insert(outbox)
      .values({ kind: 'ugc_post', channel: CHANNELS.support, orderKey: 'ugc:bad', payload: { reviewId: 'seven' } })
      .returning({ id: outbox.id });
    const [unknownKind] = await db
      .insert(outbox)
      .values({ kind: 'carrier_pigeon', channel: CHANNELS.support, orderKey: 'pigeon:1', payload: {} })
      .returning({ id: outbox.id });
    const { body } = await h.ingest(ticket());
    await h.settle();
    const [bad] = await db.select().from(outbox).where(eq(outbox.id, wrongPayload!.id));
    expect(bad).toMatchObject({ status: 'failed', lastError: 'malformed ugc_post payload (reviewId: Invalid input: expected number, received string)' });
    const [pigeon] = await db.select().from(outbox).where(eq(outbox.id, unknownKind!.id));
    expect(pigeon).toMatchObject({ status: 'failed', lastError: 'unknown outbox kind "carrier_pigeon"' });
    expect(h.slack.messages.filter((m) => m.metadata?.event_payload?.case_id === body.id)).toHaveLength(1);
  });

  test('channels are paced: posts to one channel keep the configured gap, other channels go in parallel', async () => {
    const gap = 600;
    h = await startHarness({ env: { SLACK_CHANNEL_INTERVAL_MS: String(gap) } });
    for (let i = 0; i < 4; i++) await h.ingest(ticket({ source: 'email' }));
    for (let i = 0; i < 4; i++) await h.ingest(ticket({ source: 'live_chat' }));
    await h.settle(15_000);
    // The gap is kept when sending; the double sees each post when it arrives, which on a busy
    // machine (the app, the double and the test share one event loop) can lag its sending by a
    // couple of hundred milliseconds. Posts sent unpaced would arrive together.
    const jitter = 250;
    for (const channel of [CHANNELS.email, CHANNELS.chat]) {
      const at = cardPosts(h, channel).map((c) => c.at);
      expect(at).toHaveLength(4);
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(gap - jitter);
      expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(3 * gap - jitter);
    }
    // The two channels did not wait for each other: each channel's posts began before the other's
    // ended (their gaps overlap), which holds however slow the machine is; serial pacing would put
    // one channel's four posts wholly after the other's.
    const email = cardPosts(h, CHANNELS.email).map((c) => c.at);
    const chat = cardPosts(h, CHANNELS.chat).map((c) => c.at);
    expect(Math.min(...chat)).toBeLessThan(Math.max(...email));
    expect(Math.min(...email)).toBeLessThan(Math.max(...chat));
  });

  test('a click while the card post awaits its retry (answer lost) still reaches the card', async () => {
    h = await startHarness();
    h.slack.fail('chat.postMessage', { kind: 'status', status: 503, processed: true }, 1);
    const { body } = await h.ingest(ticket());
    const card = await h.slack.waitFor(
      () => h!.slack.messages.find((m) => m.metadata?.event_payload?.case_id === body.id),
      5000,
      'card in Slack',
    );
    // Slack shows the card, but Trustloop has not learned its ts yet: someone assigns from it.
    await h.click({
      actionId: 'case_assign',
      caseId: body.id,
      user: PEOPLE.agent,
      channel: card.channel,
      messageTs: card.ts,
      selectedUser: PEOPLE.agent2,
    });
    await h.settle(15_000);
    const updates = h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(updates.at(-1)!.args.blocks)).toContain(`Open · <@${PEOPLE.agent2}>`);
    expect(h.slack.messages.filter((m) => m.metadata?.event_payload?.case_id === body.id && !m.thread_ts)).toHaveLength(1);
  });

  test('several changes to a card while Slack is slow go out as one update', async () => {
    h = await startHarness();
    const { body } = await h.ingest(ticket());
    await h.settle();
    const card = h.slack.messages.find((m) => m.metadata?.event_payload?.case_id === body.id)!;
    // Hold the channel: the next call waits, so the following changes pile up behind it.
    h.slack.fail('chat.postMessage', { kind: 'delay', ms: 600 }, 1);
    await h.api('POST', `/api/v1/tickets/${body.id}/messages`, { direction: 'customer', body: 'hello?' });
    for (let i = 0; i < 4; i++) {
      await h.api('POST', `/api/v1/tickets/${body.id}/messages`, { direction: 'agent', body: `reply ${i}` });
    }
    await h.settle(15_000);
    const updates = h.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts);
    expect(updates.length).toBeLessThan(5);
    expect(updates.length).toBeGreaterThanOrEqual(1);
  });
});
