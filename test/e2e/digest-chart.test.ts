import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { digests, outbox } from '../../src/db/schema';
import { CHANNELS, type Harness, PEOPLE, startHarness, testConfig, ticket } from '../support/harness';

// The digest's chart upload going wrong through the real app and the Slack double: it must hold
// nothing else up, and a retry must not post a second chart.

const DIGEST_CHANNEL = 'C0DIGEST1';
const now = new Date('2026-11-24T10:00:00Z'); // Tuesday; the last full week is 16–22 Nov (Berlin)

let h: Harness;
beforeEach(async () => {
  const config = testConfig({
    channels: { default: CHANNELS.support, sources: { email: CHANNELS.email }, escalation: CHANNELS.escalation, digest: DIGEST_CHANNEL },
    digest: { repeated_question_threshold: 2 },
  });
  h = await startHarness({ config, clock: () => now });
  for (let i = 0; i < 3; i++) {
    const res = await h.ingest(ticket({ subject: `Q ${i}`, body: 'A question.', tags: ['sizing'], created_at: '2026-11-18T10:00:00Z' }));
    expect(res.status).toBe(201);
  }
  await h.settle();
  h.slack.reset();
});
afterEach(async () => {
  await h?.stop();
});

const digestPosts = () => h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === DIGEST_CHANNEL);

test('without the files:write scope the chart waits, and the thread still goes out', async () => {
  h.slack.fail('files.getUploadURLExternal', { kind: 'error', error: 'missing_scope' });
  await h.command({ text: 'digest publish', user: PEOPLE.manager });
  const main = await h.slack.waitFor(() => digestPosts().find((c) => !c.args.thread_ts), 10_000, 'main message');
  expect(main.args.text).toContain('week of 16 Nov 2026');
  // The digest learns its message's ts just after Slack answers the post.
  const stored = await vi.waitFor(
    async () => {
      const [row] = await h.app.database.db.select().from(digests);
      expect(row?.slackTs).toBeTruthy();
      return row!;
    },
    { timeout: 10_000 },
  );
  const expected = stored.content.thread.length;
  expect(expected).toBeGreaterThan(0);
  const replies = await h.slack.waitFor(
    () => {
      const r = digestPosts().filter((c) => c.args.thread_ts === stored.slackTs);
      return r.length === expected ? r : undefined;
    },
    10_000,
    'thread replies',
  );
  expect(replies.map((r) => r.args.text)).toEqual(stored.content.thread.map((m) => m.text));
  const chart = await vi.waitFor(
    async () => {
      const [row] = await h.app.database.db.select().from(outbox).where(eq(outbox.kind, 'digest_chart'));
      expect(row).toMatchObject({ status: 'pending', lastError: 'missing_scope' });
      return row!;
    },
    { timeout: 10_000 },
  );
  expect(chart.notBefore.getTime()).toBeGreaterThan(Date.now());
  expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
  expect(h.slack.callsOf('files.completeUploadExternal')).toEqual([]);
});

test('Slack completed the chart but answered 500: the retry finds it in the thread and shares it only once', async () => {
  h.slack.fail('files.completeUploadExternal', { kind: 'status', status: 500, processed: true });
  await h.command({ text: 'digest publish', user: PEOPLE.manager });
  await vi.waitFor(
    async () => {
      const [row] = await h.app.database.db.select().from(outbox).where(eq(outbox.kind, 'digest_chart'));
      expect(row).toMatchObject({ status: 'done' });
      expect(row!.attempts).toBeGreaterThan(1);
    },
    { timeout: 20_000, interval: 100 },
  );
  const [stored] = await h.app.database.db.select().from(digests);
  expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
  expect(h.slack.uploads).toHaveLength(1);
  expect(stored!.chartFileId).toBe(h.slack.uploads[0]!.id);
  // One completion (the one whose answer was lost); the retry looked in the thread instead.
  expect(h.slack.callsOf('files.completeUploadExternal')).toHaveLength(1);
  expect(h.slack.callsOf('conversations.replies').map((c) => c.args)).toEqual([
    { channel: DIGEST_CHANNEL, ts: stored!.slackTs, limit: '200' },
  ]);
  const shared = h.slack.posts(DIGEST_CHANNEL).filter((m) => m.files?.some((f) => f.id === stored!.chartFileId));
  expect(shared).toHaveLength(1);
});
