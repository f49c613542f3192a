import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evidenceExports } from '../../src/db/schema';
import { DISPUTE } from '../../src/slack/ids';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, PEOPLE, startHarness } from '../support/harness';
import { deliver, REVIEW_CHANNELS, reviewsConfig, SECRETS, sign } from '../support/providers';

// Export evidence uploads one document per export request: a double click asks once, and a
// delivery retried after Slack failed to answer reuses the uploaded file instead of uploading again.

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: reviewsConfig(), env: { ...SECRETS } });
});
afterAll(async () => {
  await h?.stop();
});

describe('evidence export', () => {
  let caseId: number;
  let cardTs: string;
  const click = () =>
    h.click({
      actionId: DISPUTE.action.export,
      user: PEOPLE.agent,
      channel: REVIEW_CHANNELS.disputes,
      messageTs: cardTs,
      value: JSON.stringify({ c: caseId }),
    });

  beforeAll(async () => {
    const created = fixture('providers/stripe-dispute-created.json');
    expect((await deliver(h.app.url, '/webhooks/stripe', created, sign.stripe(created, new Date()))).status).toBe(200);
    await h.settle();
    const card = h.slack.messages.find((m) => m.channel === REVIEW_CHANNELS.disputes && !m.thread_ts)!;
    caseId = Number(card.metadata!.event_payload.case_id);
    cardTs = card.ts;
  });

  test('a double click exports once', async () => {
    await Promise.all([click(), click()]);
    await h.slack.waitFor(() => h.slack.callsOf('files.completeUploadExternal')[0], 10_000, 'upload completed');
    await h.settle();
    expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(h.slack.uploads).toHaveLength(1);
    expect(h.slack.callsOf('files.completeUploadExternal')).toHaveLength(1);
    expect(await h.app.database.db.select().from(evidenceExports)).toHaveLength(1);
  });

  test('a retry after Slack failed to answer the completion reuses the uploaded file', async () => {
    h.slack.reset();
    h.slack.fail('files.completeUploadExternal', { kind: 'status', status: 500 }, 1);
    await click();
    await h.slack.waitFor(() => h.slack.callsOf('files.completeUploadExternal')[1], 15_000, 'completion retried');
    await h.settle(15_000);
    expect(h.slack.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(h.slack.uploads).toHaveLength(1);
    const completions = h.slack.callsOf('files.completeUploadExternal');
    expect(completions).toHaveLength(2);
    const fileId = h.slack.uploads[0]!.id;
    expect(completions.map((c) => c.args.files[0].id)).toEqual([fileId, fileId]);
    const rows = await h.app.database.db.select().from(evidenceExports);
    expect(rows.map((r) => [r.fileId, r.completedAt !== null])).toEqual([
      [expect.any(String), true],
      [fileId, true],
    ]);
  });
});
