import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listInbox } from '../../src/db/queries/inbox';
import { customers, orderFulfillments, orders } from '../../src/db/schema';
import { orderContext } from '../../src/services/orders';
import { fixture } from '../ingest/providers/fixtures';
import { type Harness, startHarness } from '../support/harness';
import { deliver, reviewsConfig, SECRETS, sign } from '../support/providers';

// Shopify as the store's memory, over HTTP with Shopify's own signature: an order, its shipment
// moving to delivered, a refund and the customer record become one order context; replays and
// stale versions change nothing; a bad body is a 400 naming the field, a forged one a 401.

let h: Harness;
const now = new Date('2027-03-10T09:00:00Z');

beforeAll(async () => {
  h = await startHarness({ config: reviewsConfig(), env: { ...SECRETS }, clock: () => now });
});
afterAll(async () => {
  await h?.stop();
});

const send = (name: string, topic: string, id: string, body: Buffer = fixture(`providers/${name}`)) =>
  deliver(h.app.url, '/webhooks/shopify', body, sign.shopify(body, topic, id));

describe('Shopify order, fulfillment, refund and customer webhooks', () => {
  test('build the order context: carrier, tracking, delivered time, refund, order count and lifetime value', async () => {
    expect((await send('shopify-order-create.json', 'orders/create', 'wh-o1')).body).toMatchObject({ received: 1, duplicates: 0 });
    expect((await send('shopify-fulfillment-create.json', 'fulfillments/create', 'wh-f1')).body).toMatchObject({ received: 1 });
    expect((await send('shopify-fulfillment-update-in-transit.json', 'fulfillments/update', 'wh-f2')).body).toMatchObject({ stale: 0 });
    expect((await send('shopify-fulfillment-update-delivered.json', 'fulfillments/update', 'wh-f3')).body).toMatchObject({ stale: 0 });
    // Shopify delivers out of order: the in-transit version arriving again under a new id is older than "delivered".
    expect((await send('shopify-fulfillment-update-in-transit.json', 'fulfillments/update', 'wh-f4')).body).toMatchObject({
      received: 1,
      stale: 1,
    });
    expect((await send('shopify-refund-create.json', 'refunds/create', 'wh-r1')).body).toMatchObject({ received: 1 });
    // A retry of the same delivery (same X-Shopify-Webhook-Id) changes nothing.
    expect((await send('shopify-refund-create.json', 'refunds/create', 'wh-r1')).body).toMatchObject({ duplicates: 1 });
    expect((await send('shopify-customer-update.json', 'customers/update', 'wh-c1')).body).toMatchObject({ received: 1 });

    const db = h.app.database.db;
    const [order] = await db.select().from(orders).where(eq(orders.externalId, '5784930517213'));
    const ctx = await orderContext(db, { orderId: order!.id });
    expect(ctx).toMatchObject({
      order: { name: '#1042', amount: '189.00', currency: 'EUR', country: 'AT' },
      delivery: {
        carrier: 'DHL Express',
        trackingNumber: '1Z0847AT0394821',
        trackingUrl: 'https://www.dhl.com/at-en/home/tracking.html?tracking-id=1Z0847AT0394821',
        shipmentStatus: 'delivered',
        fulfilledAt: new Date('2027-03-03T09:12:40Z'),
        deliveredAt: new Date('2027-03-06T13:31:09Z'),
      },
      refunded: { amount: '12.5', currency: 'EUR' },
      // Shopify's own count includes two orders from before the store connected Trustloop.
      customer: { orderCount: 3, ordinal: 3, lifetime: { amount: '640', currency: 'EUR' } },
    });
    const [customer] = await db.select().from(customers).where(eq(customers.externalId, '7012345678901'));
    expect(customer).toMatchObject({ email: 'jonas.berger@example.com', name: 'Jonas Berger', ordersCount: 3, country: 'AT' });
    const inbox = await listInbox(db, { provider: 'shopify' });
    expect(inbox.filter((r) => r.status === 'processed').map((r) => r.eventType)).toEqual(
      expect.arrayContaining(['order.created', 'fulfillment.created', 'fulfillment.updated', 'refund.created', 'customer.updated']),
    );
  });

  test('an order payload that carries its fulfillments keeps them too', async () => {
    const body = JSON.parse(fixture('providers/shopify-order-create.json').toString('utf8'));
    body.id = 5784930517999;
    body.name = '#1043';
    body.updated_at = '2027-03-08T10:00:00+01:00';
    body.fulfillments = [
      { ...JSON.parse(fixture('providers/shopify-fulfillment-create.json').toString('utf8')), id: 4907853546000, order_id: undefined },
    ];
    expect((await send('', 'orders/fulfilled', 'wh-o2', Buffer.from(JSON.stringify(body)))).body).toMatchObject({ received: 1 });
    const rows = await h.app.database.db.select().from(orderFulfillments).where(eq(orderFulfillments.orderExternalId, '5784930517999'));
    expect(rows.map((r) => [r.externalId, r.carrier])).toEqual([['4907853546000', 'DHL Express']]);
  });

  test('a body without the fields Shopify always sends is a 400 naming them; a forged signature is a 401', async () => {
    const bad = Buffer.from(JSON.stringify({ id: 1, created_at: '2027-03-03T10:12:40+01:00' }));
    const res = await send('', 'fulfillments/create', 'wh-bad', bad);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['order_id']);
    const body = fixture('providers/shopify-refund-create.json');
    const forged = await deliver(
      h.app.url,
      '/webhooks/shopify',
      body,
      sign.shopify(body, 'refunds/create', 'wh-x', 'shpss_wrong_secret_123'),
    );
    expect(forged.status).toBe(401);
  });
});
