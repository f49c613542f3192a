import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reviewRequests } from '../../src/db/schema';
import { reviewRequestJob } from '../../src/jobs/review-requests';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';
import { SmtpDouble } from '../support/smtp-double';

// Erase-by-e-mail over the ingest API: a delivered Shopify order's request is waiting; the store's
// erasure call (bearer INGEST_TOKEN) stops it at once and the request stops naming the customer,
// so when it falls due nothing is e-mailed.

let h: Harness;
const smtp = new SmtpDouble();
let now = new Date('2027-03-06T12:00:00Z');

beforeAll(async () => {
  await smtp.start();
  h = await startHarness({
    config: reviewsConfig({ review_requests: { enabled: true, review_url: 'https://acme-linen.example/products/{product}#reviews' } }),
    env: {
      ...SECRETS,
      SMTP_URL: smtp.url(),
      SMTP_FROM: 'Acme Linen <hello@acme-linen.example>',
      PUBLIC_URL: 'https://trustloop.example.com',
      CUSTOMER_LINK_SECRET: 'e2e-customer-link-secret-0123456789',
    },
    clock: () => now,
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp.stop();
});

const send = (name: string, topic: string, id: string) => {
  const body = fixture(`providers/${name}`);
  return deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, topic, id));
};

describe('POST /api/v1/customers/erase', () => {
  test('stops the waiting request at once and forgets the customer; bad input is 400 with the field, no token 401', async () => {
    expect((await send('shopify-order-create.json', 'orders/create', 'er-o1')).status).toBe(200);
    expect((await send('shopify-fulfillment-update-delivered.json', 'fulfillments/update', 'er-f1')).status).toBe(200);
    const db = h.app.database.db;
    expect((await db.select().from(reviewRequests))[0]).toMatchObject({ customerEmail: 'jonas.berger@example.com', status: 'scheduled' });

    const noToken = await fetch(`${h.app.url}/api/v1/customers/erase`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"jonas.berger@example.com"}' });
    expect(noToken.status).toBe(401);
    const bad = await h.api('POST', '/api/v1/customers/erase', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['email']);

    const res = await h.api('POST', '/api/v1/customers/erase', { email: 'Jonas.Berger@Example.com' });
    expect(res).toEqual({ status: 200, body: { review_requests_erased: 1, review_requests_stopped: 1 } });
    const [r] = await db.select().from(reviewRequests);
    expect(r).toMatchObject({ customerEmail: `erased:${r!.id}`, customerName: null });

    now = new Date('2027-03-21T10:00:00Z');
    await h.app.scheduler.runNow(reviewRequestJob(h.app.deps));
    await h.settle();
    expect(smtp.received).toHaveLength(0);
    expect((await db.select().from(reviewRequests))[0]).toMatchObject({ status: 'skipped' });
  });
});
