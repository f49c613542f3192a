import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reviewRequests, reviewRequestSends } from '../../src/db/schema';
import { reviewRequestJob } from '../../src/jobs/review-requests';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';
import { SmtpDouble } from '../support/smtp-double';

// Review requests handed to the store's review platform: Trustloop still times them (delivery,
// delay, the customer's daytime, holds and caps), and when one may go it asks Judge.me's documented
// send_manual_review_request endpoint (here a local double) to send it, one call per delivered
// product by its Shopify product id. Judge.me sends its own reminders, so Trustloop queues none,
// and nothing leaves over SMTP.

let h: Harness;
const smtp = new SmtpDouble();
let now = new Date('2027-03-06T12:00:00Z');
const seen: { method: string; path: string; body: any }[] = [];
const judgeme = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', body: raw ? JSON.parse(raw) : null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"message":"Review request scheduled"}');
  });
});

beforeAll(async () => {
  await smtp.start();
  await new Promise<void>((r) => judgeme.listen(0, '127.0.0.1', () => r()));
  h = await startHarness({
    config: reviewsConfig({ review_requests: { enabled: true, send_via: 'judgeme' } }),
    env: {
      ...SECRETS,
      SMTP_URL: smtp.url(),
      SMTP_FROM: 'Acme Linen <hello@acme-linen.example>',
      JUDGEME_API_TOKEN: 'jm-private-token-0123',
      JUDGEME_SHOP_DOMAIN: 'acme-linen.myshopify.com',
      JUDGEME_API_URL: `http://127.0.0.1:${(judgeme.address() as AddressInfo).port}`,
    },
    clock: () => now,
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp.stop();
  await new Promise<void>((r) => judgeme.close(() => r()));
});

const send = (name: string, topic: string, id: string) => {
  const body = fixture(`providers/${name}`);
  return deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, topic, id));
};
const tick = () => h.app.scheduler.runNow(reviewRequestJob(h.app.deps));

describe('review requests handed to Judge.me', () => {
  test('at the scheduled time, one Judge.me request per delivered product, by Shopify product id; no e-mail, no reminders of our own', async () => {
    expect((await send('shopify-order-create.json', 'orders/create', 'jm-o1')).status).toBe(200);
    expect((await send('shopify-fulfillment-create.json', 'fulfillments/create', 'jm-f1')).status).toBe(200);
    expect((await send('shopify-fulfillment-update-delivered.json', 'fulfillments/update', 'jm-f2')).status).toBe(200);
    const db = h.app.database.db;
    const [r] = await db.select().from(reviewRequests);
    // The fulfilment names the products; their Shopify ids come from the order's lines.
    expect(r!.products).toEqual([
      { key: 'MC-M-FOR', name: 'Merino Cardigan - M / Forest', productId: '8123456789012' },
      { key: 'name:wool socks - 2 pack', name: 'Wool Socks - 2 pack', productId: '8123456789013' },
    ]);

    // Before it is due, Judge.me hears nothing.
    now = new Date('2027-03-20T13:30:00Z');
    await tick();
    await h.settle();
    expect(seen).toHaveLength(0);

    now = new Date('2027-03-20T13:32:00Z');
    await tick();
    await h.settle();
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
    expect(seen[0]!.path).toBe('/api/orders/send_manual_review_request?api_token=jm-private-token-0123&shop_domain=acme-linen.myshopify.com');
    expect(seen.map((s) => s.body)).toEqual([
      { reviewer_name: 'Jonas Berger', reviewer_email: 'jonas.berger@example.com', shopify_product_id: '8123456789012', product_handle: '', fulfilled_at: '06/03/2027', quantity: '', processed_at: '20/03/2027' },
      { reviewer_name: 'Jonas Berger', reviewer_email: 'jonas.berger@example.com', shopify_product_id: '8123456789013', product_handle: '', fulfilled_at: '06/03/2027', quantity: '', processed_at: '20/03/2027' },
    ]);
    expect(smtp.received).toHaveLength(0);
    const sends = await db.select().from(reviewRequestSends).where(eq(reviewRequestSends.requestId, r!.id));
    expect(sends).toMatchObject([{ step: 0, status: 'sent' }]);
    // Judge.me reminds the customer itself: the request is complete, nothing more is queued.
    expect((await db.select().from(reviewRequests))[0]).toMatchObject({ status: 'completed', sends: 1, checkAt: null });
    now = new Date('2027-03-30T13:32:00Z');
    await tick();
    await h.settle();
    expect(seen).toHaveLength(2);
    expect(smtp.received).toHaveLength(0);
  });
});
