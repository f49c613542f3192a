import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reviews } from '../../src/db/schema';
import { BLOCK, REVIEW } from '../../src/slack/ids';
import { fixture } from '../ingest/providers/fixtures';
import { block, CHANNELS, type Harness, startHarness } from '../support/harness';
import { deliver, REVIEW_CHANNELS, reviewsConfig, SECRETS } from '../support/providers';

// Trustpilot's batched deliveries, the channels the bot joins at start-up, and a card whose
// photo Slack cannot fetch.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: reviewsConfig(), env: { ...SECRETS } });
});
afterAll(async () => {
  await h?.stop();
});

const cards = () => h.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === REVIEW_CHANNELS.reviews && !c.args.thread_ts);

describe('review providers', () => {
  test('at start-up the bot joined the reviews, disputes, UGC and supply-chain channels too', () => {
    expect([...h.slack.joined].sort()).toEqual(
      [
        CHANNELS.chat,
        CHANNELS.email,
        CHANNELS.escalation,
        CHANNELS.support,
        REVIEW_CHANNELS.reviews,
        REVIEW_CHANNELS.disputes,
        REVIEW_CHANNELS.ugc,
        REVIEW_CHANNELS.supplyChain,
      ].sort(),
    );
  });

  test('a Trustpilot batch stores every review once; the negative one is a case; a replay changes nothing', async () => {
    // Two new reviews (1★ and 5★) and a deletion, which Trustloop does not handle.
    const body = fixture('providers/trustpilot-batch.json');
    // Trustpilot signs nothing: the token travels in the URL (or as the Basic auth password).
    expect((await deliver(h.app.url, '/webhooks/trustpilot?token=wrong-token-0000000000', body)).status).toBe(401);
    const basic = `Basic ${Buffer.from(`trustpilot:${SECRETS.TRUSTPILOT_WEBHOOK_TOKEN}`).toString('base64')}`;
    const first = await deliver(h.app.url, '/webhooks/trustpilot', body, { authorization: basic });
    expect(first).toEqual({ status: 200, body: { ok: true, received: 2, duplicates: 0, stale: 0, ignored: 'service-review-deleted' } });
    const replay = await deliver(h.app.url, `/webhooks/trustpilot?token=${SECRETS.TRUSTPILOT_WEBHOOK_TOKEN}`, body);
    expect(replay.body).toEqual({ ok: true, received: 2, duplicates: 2, stale: 0, ignored: 'service-review-deleted' });
    await h.settle();
    const stored = await h.app.database.db.select().from(reviews).where(eq(reviews.provider, 'trustpilot'));
    expect(stored.map((r) => [r.externalId, r.rating, r.negative]).sort()).toEqual([
      ['65f3a1c2e4b0a7d9c1f2e3d4', 1, true],
      ['65f3a20de4b0a7d9c1f2e3f1', 5, false],
    ]);
    const lukas = stored.find((r) => r.externalId === '65f3a1c2e4b0a7d9c1f2e3d4')!;
    expect(lukas).toMatchObject({ rating: 1, title: 'Paket nie angekommen', orderRef: '1042', language: 'de', negative: true });
    const card = cards().find((c) => c.args.metadata.event_payload.case_id === lukas.caseId)!;
    // A service review is about the shop, not a product.
    expect(block(card.args.blocks, BLOCK.fields).fields[0].text).toBe('*Product*\n_the store (service review)_');
    expect(cards().filter((c) => stored.some((r) => r.caseId === c.args.metadata.event_payload.case_id))).toHaveLength(1);
  });

  test('when Slack cannot fetch a review photo, the card is posted without it rather than lost', async () => {
    h.slack.fail('chat.postMessage', { kind: 'error', error: 'invalid_blocks' });
    const res = await h.api('POST', '/api/v1/reviews', {
      external_id: 'g-photo-404',
      rating: 2,
      title: 'Faded',
      body: 'Faded after two washes.',
      media: [{ type: 'image', url: 'https://cdn.example.com/gone.jpg' }],
      created_at: '2027-03-14T21:04:00Z',
    });
    expect(res.status).toBe(201);
    await h.settle();
    const attempts = h.slack
      .callsOf('chat.postMessage')
      .filter((c) => c.args.channel === REVIEW_CHANNELS.reviews && c.args.metadata?.event_payload?.case_id === res.body.case.id);
    expect(attempts.map((a) => a.args.blocks.some((b: any) => b.type === 'image'))).toEqual([true, false]);
    expect(attempts[1]!.fault).toBeUndefined();
    const posted = h.slack.messages.filter(
      (m) => m.channel === REVIEW_CHANNELS.reviews && m.metadata?.event_payload?.case_id === res.body.case.id && !m.thread_ts,
    );
    expect(posted).toHaveLength(1);
    expect(block(posted[0]!.blocks, REVIEW.block.why).elements[0].text).toBe(
      ':warning: Negative review: 2★ is at or below 3★ · reports: Quality',
    );
  });
});
