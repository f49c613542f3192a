import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reviewRequests, reviewRequestSends } from '../../src/db/schema';
import { reviewRequestJob } from '../../src/jobs/review-requests';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';
import { SmtpDouble } from '../support/smtp-double';

// Review requests end to end: Shopify's signed order and fulfilment webhooks (the parcel reaches
// "delivered"), the schedule job under a fake clock, the e-mail through a real SMTP conversation
// with an in-process server, and the customer's one-click unsubscribe stopping the reminders.

let h: Harness;
let smtp: SmtpDouble;
let now = new Date('2027-03-06T12:00:00Z');
const PUBLIC = 'https://trustloop.example.com';

beforeAll(async () => {
  smtp = await new SmtpDouble().start();
  h = await startHarness({
    config: reviewsConfig({
      review_requests: {
        enabled: true,
        review_url: 'https://acme-linen.example/products/{product}#reviews',
        ask_for_media: { default: 'photo', products: { 'MC-M-FOR': 'video' } },
      },
    }),
    env: {
      ...SECRETS,
      SMTP_URL: smtp.url(),
      SMTP_FROM: 'Acme Linen <hello@acme-linen.example>',
      PUBLIC_URL: PUBLIC,
      CUSTOMER_LINK_SECRET: 'e2e-customer-link-secret-0123456789',
    },
    clock: () => now,
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp?.stop();
});

const send = (name: string, topic: string, id: string) => {
  const body = fixture(`providers/${name}`);
  return deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, topic, id));
};
const tick = () => h.app.scheduler.runNow(reviewRequestJob(h.app.deps));

describe('review requests after a Shopify delivery', () => {
  test('delivered → 14 days (abroad) → e-mail in German with a video ask and one-click unsubscribe; unsubscribing stops the reminders', async () => {
    expect((await send('shopify-order-create.json', 'orders/create', 'rr-o1')).status).toBe(200);
    expect((await send('shopify-fulfillment-create.json', 'fulfillments/create', 'rr-f1')).status).toBe(200);
    expect((await send('shopify-fulfillment-update-delivered.json', 'fulfillments/update', 'rr-f2')).status).toBe(200);
    // The same news again under a new webhook id (Shopify re-sends): still one request.
    expect((await send('shopify-fulfillment-update-delivered.json', 'fulfillments/update', 'rr-f3')).status).toBe(200);

    const db = h.app.database.db;
    const rows = await db.select().from(reviewRequests);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    // Delivered 6 March 13:31 UTC to Austria; the store is in Germany: international, 14 days.
    expect(r).toMatchObject({
      orderName: '#1042',
      customerEmail: 'jonas.berger@example.com',
      country: 'AT',
      status: 'scheduled',
      dueAt: new Date('2027-03-20T13:31:09Z'),
      products: [
        { key: 'MC-M-FOR', name: 'Merino Cardigan - M / Forest' },
        { key: 'name:wool socks - 2 pack', name: 'Wool Socks - 2 pack' },
      ],
    });

    now = new Date('2027-03-20T13:30:00Z');
    await tick();
    await h.settle();
    expect(smtp.received).toHaveLength(0);

    now = new Date('2027-03-20T13:32:00Z');
    await tick();
    await h.settle();
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['jonas.berger@example.com']);
    expect(mail.subject).toBe('Wie gefällt Ihnen Ihre Bestellung bei Acme Linen?');
    expect(mail.text).toContain('Hallo Jonas,');
    expect(mail.text).toContain('Ein kurzes Video im Gebrauch');
    expect(mail.text).toContain('Merino Cardigan - M / Forest: https://acme-linen.example/products/MC-M-FOR#reviews');
    expect(mail.text).not.toMatch(/rabatt|gutschein|discount|coupon/i);
    const unsubscribe = /Keine Bewertungsanfragen mehr erhalten: (\S+)/.exec(mail.text)![1]!;
    expect(unsubscribe.startsWith(`${PUBLIC}/u/`)).toBe(true);
    // Long headers are folded onto several lines (RFC 5322); unfolded they read as sent.
    const headers = mail.raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(headers).toContain(`List-Unsubscribe: <${unsubscribe}>`);
    expect(headers).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const [sent] = await db.select().from(reviewRequestSends).where(eq(reviewRequestSends.requestId, r.id));
    expect(sent).toMatchObject({ step: 0, status: 'sent' });

    // A link scanner opening the link changes nothing; the mail client's one-click POST unsubscribes.
    const local = unsubscribe.replace(PUBLIC, h.app.url);
    const opened = await fetch(local);
    expect(opened.status).toBe(200);
    expect((await db.select().from(reviewRequests))[0]!.status).toBe('sent');
    const forged = await fetch(`${local.slice(0, -3)}abc`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBe(401);
    const clicked = await fetch(local, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(clicked.status).toBe(200);
    expect(await clicked.text()).toContain('will not ask you for reviews again');
    expect((await db.select().from(reviewRequests))[0]).toMatchObject({ status: 'skipped', skipReason: 'unsubscribed', checkAt: null });

    // The reminder's day comes: nothing is sent.
    now = new Date('2027-03-26T13:32:00Z');
    await tick();
    await h.settle();
    expect(smtp.received).toHaveLength(1);
  });
});
