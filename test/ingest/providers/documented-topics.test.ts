import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { helpscout, shopify } from '../../../src/ingest/providers';
import { fixture } from './fixtures';

// Every topic the README asks the store to subscribe to, each delivered as the provider does
// (the documented payload, signed with the provider's scheme) and read as the event it is.
// Shopify's orders/* topics all carry the order resource, customers/* the customer resource
// (https://shopify.dev/docs/api/webhooks?reference=toml); Help Scout's convo.* events all carry
// the conversation (https://developer.helpscout.com/webhooks/).

const SHOPIFY_SECRET = 'shpss_topics_1a2b3c4d5e6f7a8b9c0d';
const HELPSCOUT_SECRET = 'helpscout-topics-secret-key';

function shopifyDelivery(topic: string, body: Buffer) {
  const headers = {
    'x-shopify-topic': topic,
    'x-shopify-webhook-id': `wh-${topic}`,
    'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64'),
  };
  shopify.verify(headers, body, SHOPIFY_SECRET, new Date());
  return shopify.parse(body, headers);
}

describe('Shopify store topics', () => {
  const order = fixture('providers/shopify-order-create.json');
  const cases: [string, string, string, string][] = [
    ['orders/create', 'providers/shopify-order-create.json', 'order', 'created'],
    ['orders/updated', 'providers/shopify-order-create.json', 'order', 'updated'],
    ['orders/paid', 'providers/shopify-order-create.json', 'order', 'updated'],
    ['orders/fulfilled', 'providers/shopify-order-create.json', 'order', 'updated'],
    ['orders/partially_fulfilled', 'providers/shopify-order-create.json', 'order', 'updated'],
    ['fulfillments/create', 'providers/shopify-fulfillment-create.json', 'fulfillment', 'created'],
    ['fulfillments/update', 'providers/shopify-fulfillment-update-delivered.json', 'fulfillment', 'updated'],
    ['refunds/create', 'providers/shopify-refund-create.json', 'refund', 'created'],
    ['customers/create', 'providers/shopify-customer-update.json', 'customer', 'created'],
    ['customers/update', 'providers/shopify-customer-update.json', 'customer', 'updated'],
    ['disputes/create', 'providers/shopify-dispute-create.json', 'dispute', 'created'],
  ];

  it.each(cases)('%s (%s) is read as a %s %s event', (topic, file, kind, action) => {
    const { events, ignored } = shopifyDelivery(topic, fixture(file));
    expect(ignored).toBeUndefined();
    expect(events.map((e) => [e.kind, e.action])).toEqual([[kind, action]]);
  });

  it('orders/cancelled carries the order with cancelled_at and cancels it', () => {
    const o = JSON.parse(order.toString('utf8'));
    Object.assign(o, { cancelled_at: '2027-03-04T08:00:00+01:00', cancel_reason: 'customer', updated_at: '2027-03-04T08:00:00+01:00' });
    const { events } = shopifyDelivery('orders/cancelled', Buffer.from(JSON.stringify(o)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'order', action: 'cancelled', cancelledAt: new Date('2027-03-04T07:00:00Z') });
  });

  it('a topic Trustloop does not use is acknowledged and named, not refused', () => {
    expect(shopifyDelivery('products/update', Buffer.from('{"id": 1}'))).toEqual({ events: [], ignored: { type: 'products/update' } });
  });
});

describe('Help Scout conversation events', () => {
  const body = fixture('helpdesks/helpscout-convo-created.json');
  const signature = createHmac('sha1', HELPSCOUT_SECRET).update(body).digest('base64');

  it.each([
    'convo.created',
    'convo.customer.reply.created',
    'convo.agent.reply.created',
    'convo.note.created',
    'convo.status',
    'convo.assigned',
  ])('%s carries the conversation: one case, its threads once each', (event) => {
    const headers = { 'x-helpscout-event': event, 'x-helpscout-signature': signature };
    helpscout.verify(headers, body, HELPSCOUT_SECRET, new Date());
    const { conversations, ignored } = helpscout.parse(body, headers);
    expect(ignored).toBeUndefined();
    expect(conversations.map((c) => [c.action, c.ticketId, c.messages.map((m) => m.id)])).toEqual([
      [event, String(JSON.parse(body.toString('utf8')).id), ['thread:2198262392']],
    ]);
  });

  it('convo.deleted and convo.merged are acknowledged and named, not read as a conversation', () => {
    for (const event of ['convo.deleted', 'convo.merged']) {
      expect(helpscout.parse(Buffer.from('{"id": 1}'), { 'x-helpscout-event': event })).toEqual({
        conversations: [],
        ignored: { type: event },
      });
    }
  });
});
