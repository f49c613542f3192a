import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listInbox } from '../../src/db/queries/inbox';
import { cases, customers, orderFulfillments, orders } from '../../src/db/schema';
import { blockProblems } from '../../src/sandbox/slack/block-limits';
import { BLOCK } from '../../src/slack/ids';
import { orderContext } from '../../src/services/orders';
import { fixture } from '../ingest/providers/fixtures';
import { block, cardOf, type Harness, startHarness, ticket } from '../support/harness';
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

describe('a case matched to its customer and order', () => {
  const maya = (id: number, name: string, total: string, createdAt: string) => {
    const o = JSON.parse(fixture('providers/shopify-order-create.json').toString('utf8'));
    Object.assign(o, { id, name, order_number: Number(name.slice(1)), total_price: total, created_at: createdAt, updated_at: createdAt });
    Object.assign(o, { email: 'maya.lindqvist@example.com', contact_email: 'maya.lindqvist@example.com' });
    o.customer = { ...o.customer, id: 7012345670000, email: 'maya.lindqvist@example.com', first_name: 'Maya', last_name: 'Lindqvist' };
    o.shipping_address = { ...o.shipping_address, country_code: 'SE', name: 'Maya Lindqvist' };
    return Buffer.from(JSON.stringify(o));
  };

  test('a Shopify order then a ticket from the same customer: the card shows the order name and "2nd order"', async () => {
    await send('', 'orders/create', 'wh-m1', maya(6100000000001, '#2001', '451.00', '2027-01-05T10:00:00+01:00'));
    await send('', 'orders/create', 'wh-m2', maya(6100000000002, '#2002', '189.00', '2027-03-01T10:00:00+01:00'));
    const res = await h.ingest(
      ticket({
        external_id: 'ZD-MATCH-1',
        subject: 'Wrong size',
        body: 'Hello, the cardigan from order #2002 is too small. Can I exchange it?',
        customer: { name: 'Maya Lindqvist', email: 'maya.lindqvist@example.com' },
        order: undefined,
      }),
    );
    expect(res.status).toBe(201);
    await h.settle();
    const card = cardOf(h.slack, res.body.id)!;
    const fields = (block(card.blocks, BLOCK.fields).fields as { text: string }[]).map((f) => f.text);
    expect(fields).toContain('*Customer*\nMaya Lindqvist\nmaya.lindqvist@example.com\n2nd order · €640.00 lifetime');
    expect(fields).toContain(
      '*Order*\n#2002 · €189.00 · SE\n3 items: Merino Cardigan - M / Forest (MC-M-FOR), Wool Socks - 2 pack\n:package: Not shipped yet',
    );
    expect(blockProblems(card.blocks)).toEqual([]);
    const [c] = await h.app.database.db.select().from(cases).where(eq(cases.id, res.body.id));
    expect(c).toMatchObject({ orderId: '#2002', orderAmount: '189.00', orderCountry: 'SE', customerOrderCount: 2 });

    // The parcel moves after the case was opened: the card is re-rendered with the carrier and delivery.
    const f = JSON.parse(fixture('providers/shopify-fulfillment-update-delivered.json').toString('utf8'));
    Object.assign(f, { id: 4907853549999, order_id: 6100000000002 });
    await send('', 'fulfillments/update', 'wh-m3', Buffer.from(JSON.stringify(f)));
    await h.settle();
    const updated = h.slack
      .callsOf('chat.update')
      .filter((u) => u.args.ts === card.ts)
      .at(-1)!;
    const order = (block(updated.args.blocks, BLOCK.fields).fields as { text: string }[]).find((x) => x.text.startsWith('*Order*'))!.text;
    expect(order).toContain(':truck: DHL Express · delivered <!date^1804339869^{date_short}|2027-03-06 13:31 UTC>');
    expect(order).toContain('<https://www.dhl.com/at-en/home/tracking.html?tracking-id=1Z0847AT0394821|1Z0847AT0394821>');
  });

  test('without an order number the customer is matched by e-mail to their latest order; a named order that is not stored is not guessed', async () => {
    const byEmail = await h.ingest(
      ticket({ external_id: 'ZD-MATCH-2', body: 'Any news?', customer: { email: 'Maya.Lindqvist@example.com' }, order: undefined }),
    );
    const other = await h.ingest(
      ticket({ external_id: 'ZD-MATCH-3', body: 'Any news?', customer: { email: 'maya.lindqvist@example.com' }, order: { id: '9999' } }),
    );
    const rows = await h.app.database.db
      .select()
      .from(cases)
      .where(inArray(cases.id, [byEmail.body.id, other.body.id]));
    const of = (id: number) => rows.find((r) => r.id === id)!;
    expect(of(byEmail.body.id)).toMatchObject({ orderId: '#2002', customerName: 'Maya Lindqvist' });
    expect(of(byEmail.body.id).matchedOrderId).not.toBeNull();
    expect(of(other.body.id)).toMatchObject({ orderId: '9999', matchedOrderId: null });
  });
});
