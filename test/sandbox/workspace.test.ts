import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SandboxSlack } from '../../src/sandbox/slack/workspace';
import { SlackDouble } from '../../src/sandbox/slack/slack-double';

// The sandbox's Slack stand-in enforces what Slack enforces, so what works in the sandbox is valid
// for Slack: Block Kit limits, and the pace of posts per channel (429 with Retry-After).

const people = [{ id: 'U0AGENT01', name: 'Alex', role: 'agent' }];
const channels = [
  { id: 'C0ONE0001', name: 'one' },
  { id: 'C0TWO0001', name: 'two' },
];
let slack: SandboxSlack;

beforeAll(async () => {
  slack = await new SandboxSlack(people, channels, path.resolve(import.meta.dirname, '../../src/sandbox/page')).start();
});
afterAll(async () => {
  await slack.stop();
});

async function post(channel: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${slack.url}chat.postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-sandbox' },
    body: JSON.stringify({ channel, text: 'hello', ...extra }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { ok: boolean; error?: string } };
}

describe('the sandbox Slack', () => {
  test('a burst of posts in one channel is rate-limited as Slack does; another channel is not', async () => {
    let now = 1_800_000_000_000;
    slack.clock = () => now;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post('C0ONE0001'));
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers[4]).toEqual({ status: 429, retryAfter: '1', body: { ok: false, error: 'ratelimited' } });
    expect((await post('C0TWO0001')).status).toBe(200);
    expect(slack.posts('C0ONE0001')).toHaveLength(4);
    // Once the burst's window has passed, the channel takes posts again.
    now += 3_000;
    expect((await post('C0ONE0001')).status).toBe(200);
  });

  test('blocks past Slack limits are refused with invalid_blocks', async () => {
    const r = await post('C0TWO0001', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] });
    expect(r.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  test('message metadata is held to the shape and size Slack accepts, and is kept for history', async () => {
    // Each post a few seconds after the last, so the channel's pace is not what answers.
    let now = 1_900_000_000_000;
    slack.clock = () => (now += 5_000);
    const good = { event_type: 'trustloop_card', event_payload: { outbox_id: 41, case_id: 7, tags: [{ name: 'delivery' }] } };
    const posted = await post('C0TWO0001', { metadata: good });
    expect(posted.body).toMatchObject({ ok: true });
    const history = await fetch(`${slack.url}conversations.history`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-sandbox' },
      body: JSON.stringify({ channel: 'C0TWO0001', include_all_metadata: true }),
    }).then((r) => r.json() as Promise<{ messages: { metadata?: unknown }[] }>);
    expect(history.messages.map((m) => m.metadata)).toContainEqual(good);

    const refused = [
      { event_type: 'has spaces', event_payload: {} },
      { event_type: 'ok', event_payload: 'not an object' },
      { event_type: 'ok', event_payload: { nested: { deeper: { x: 1 } } } },
      { event_payload: { outbox_id: 1 } },
    ];
    for (const metadata of refused) expect((await post('C0TWO0001', { metadata })).body).toEqual({ ok: false, error: 'invalid_metadata_format' });
    const big = { event_type: 'ok', event_payload: { text: 'x'.repeat(9_000) } };
    expect((await post('C0TWO0001', { metadata: big })).body).toEqual({ ok: false, error: 'metadata_too_large' });
  });

  test("an answer to a command's response_url reaches only the person who asked", async () => {
    const url = (slack as unknown as { responseUrlFor(u: string, c: string): string }).responseUrlFor('U0AGENT01', 'C0TWO0001');
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'only for Alex' }) });
    expect(slack.state('U0AGENT01').ephemerals.map((e) => e.text)).toEqual(['only for Alex']);
    expect(slack.state('U0OTHER01').ephemerals).toEqual([]);
  });

  test('the test double itself does not pace posts (tests set their own pace)', async () => {
    const double = await new SlackDouble().start();
    try {
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${double.url}chat.postMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'C0ONE0001', text: 'x' }),
        });
        expect(res.status).toBe(200);
      }
    } finally {
      await double.stop();
    }
  });
});
