import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listInbox } from '../../src/db/queries/inbox';
import { disputes, reviews } from '../../src/db/schema';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';

// Every provider, through the real app: a delivery is stored once; the same delivery again (a
// provider retry or a replay, re-signed where the scheme carries a time) changes nothing and
// posts nothing; a forged one is a 401 and nothing is kept; a signed body that is not readable
// is a 400 and is kept in the inbox for inspection.

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: reviewsConfig(), env: { ...SECRETS } });
});
afterAll(async () => {
  await h?.stop();
});

interface Provider {
  name: string;
  path: string;
  fixture: string;
  signed(body: Buffer): Record<string, string>;
  forged(body: Buffer): Record<string, string>;
  /** Where the signature is in the URL (token schemes). */
  forgedPath?: string;
}

const OTHER = 'whsec_QXR0YWNrZXJzIG93biBzZWNyZXQgMDAwMDAw'; // not any configured secret
const PROVIDERS: Provider[] = [
  {
    name: 'judgeme',
    path: '/webhooks/judgeme',
    fixture: 'providers/judgeme-review-created.json',
    signed: (b) => sign.judgeme(b),
    forged: (b) => sign.judgeme(b, 'not-the-secret'),
  },
  {
    name: 'trustpilot',
    path: `/webhooks/trustpilot?token=${SECRETS.TRUSTPILOT_WEBHOOK_TOKEN}`,
    fixture: 'providers/trustpilot-batch.json',
    signed: () => ({}),
    forged: () => ({}),
    forgedPath: '/webhooks/trustpilot?token=guessed-token-000000000000',
  },
  {
    name: 'yotpo',
    path: `/webhooks/yotpo?token=${SECRETS.YOTPO_WEBHOOK_TOKEN}`,
    fixture: 'providers/yotpo-review-create.json',
    signed: () => ({}),
    forged: () => ({}),
    forgedPath: '/webhooks/yotpo?token=guessed-token-000000000000',
  },
  {
    name: 'okendo',
    path: '/webhooks/okendo',
    fixture: 'providers/okendo-review-create.json',
    signed: (b) => sign.okendo(b, 'msg_2Zr4bq1', new Date()),
    forged: (b) => sign.okendo(b, 'msg_2Zr4bq1', new Date(), OTHER),
  },
  {
    name: 'stripe',
    path: '/webhooks/stripe',
    fixture: 'providers/stripe-dispute-created.json',
    signed: (b) => sign.stripe(b, new Date()),
    forged: (b) => sign.stripe(b, new Date(), OTHER),
  },
  {
    name: 'paypal',
    path: '/webhooks/paypal',
    fixture: 'providers/paypal-dispute-created.json',
    // Each PayPal retry is a new transmission of the same event.
    signed: (b) => sign.paypal(b, `tx-${Math.random().toString(36).slice(2)}`, new Date()),
    forged: (b) => sign.paypal(b, 'tx-forged', new Date(), '1JE4291016473214C'),
  },
  {
    name: 'shopify',
    path: '/webhooks/shopify',
    fixture: 'providers/shopify-dispute-create.json',
    signed: (b) => sign.shopify(b, 'disputes/create', 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043'),
    forged: (b) => sign.shopify(b, 'disputes/create', 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', 'shpss_not_the_secret'),
  },
];

const rows = async () => ({
  reviews: await h.app.database.db.select().from(reviews),
  disputes: await h.app.database.db.select().from(disputes),
});

describe.each(PROVIDERS)('$name', (p) => {
  const body = fixture(p.fixture);

  test('stored once; a replay changes nothing; a forgery is refused', async () => {
    const first = await deliver(h.app.url, p.path, body, p.signed(body));
    expect(first.status).toBe(200);
    expect(first.body.duplicates).toBe(0);
    expect(first.body.received).toBeGreaterThan(0);
    await h.settle();
    const before = await rows();
    const calls = h.slack.calls.length;
    // Stored deliveries (an event type Trustloop ignores is logged again on each delivery).
    const processed = async () => (await listInbox(h.app.database.db, { provider: p.name })).filter((r) => r.status === 'processed');
    const inbox = (await processed()).length;

    const replay = await deliver(h.app.url, p.path, body, p.signed(body));
    expect(replay.body).toMatchObject({ ok: true, received: first.body.received, duplicates: first.body.received });
    const forged = await deliver(h.app.url, p.forgedPath ?? p.path, body, p.forged(body));
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('invalid_signature');
    await h.settle();
    expect(h.slack.calls.length).toBe(calls);
    expect(await rows()).toEqual(before);
    expect((await processed()).length).toBe(inbox);
  });

  test('a signed body that cannot be read is a 400 with the failing path, kept for inspection', async () => {
    const bad = Buffer.from('{"id": "evt_truncated", "type": ');
    const res = await deliver(h.app.url, p.path, bad, p.signed(bad));
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['(body)']);
    const kept = (await listInbox(h.app.database.db, { provider: p.name })).filter((r) => r.status === 'rejected');
    expect(kept.map((r) => r.body)).toEqual([bad.toString('utf8')]);
    expect(kept[0]!.error?.issues?.map((i) => i.path)).toEqual(['(body)']);
  });
});

describe('generic API', () => {
  test('a review resent with the same event id changes nothing', async () => {
    const body = JSON.parse(fixture('providers/generic-review.json').toString('utf8'));
    const first = await h.api('POST', '/api/v1/reviews', body);
    expect(first.status).toBe(201);
    await h.settle();
    const before = await rows();
    const calls = h.slack.calls.length;
    const again = await h.api('POST', '/api/v1/reviews', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, duplicate: true, review_id: first.body.review_id });
    await h.settle();
    expect(h.slack.calls.length).toBe(calls);
    expect(await rows()).toEqual(before);
  });
});
